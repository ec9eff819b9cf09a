"""Draw page speed: reading one drawing, and the whole page rerun after a new stroke.

Usage: python -m benchmarks.draw_page [drawings]

Targets on a 2-core CPU: preprocessing + prediction p50 ≤ 5 ms (never `model.predict`); the
page rerun after a new stroke ≤ 150 ms server-side. The rerun is timed in Streamlit's AppTest
with a different canvas-like drawing handed in at every run, once per tab of the page; "script"
is the page script's own execution (what the student waits for), "CPU" the processor time of the
script's thread (close to the wall time on an idle machine; on a busy one the wall time includes
waiting for a core), "AppTest run" adds AppTest's own overhead. Uses the shipped model, as the page
does. The machine's load average is printed: compare runs only at similar loads.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.ml.inspector import NetworkInspector
from cnnviz.ml.models import load_pretrained
from cnnviz.ml.predict import predict_digits
from cnnviz.ui import draw as draw_ui
from testkit.synthetic import canvas_style_drawings

ROOT = Path(__file__).resolve().parent.parent


def percentiles(seconds):
    milliseconds = np.asarray(seconds) * 1000
    return f"p50 {np.percentile(milliseconds, 50):6.2f} ms   p95 {np.percentile(milliseconds, 95):6.2f} ms"


def timed_each(action, items, warmup=10):
    """Wall-clock seconds of `action` on each item, and the process CPU seconds of the whole series."""
    for item in items[:warmup]:
        action(item)
    durations = []
    cpu_start = time.process_time()
    for item in items:
        start = time.perf_counter()
        action(item)
        durations.append(time.perf_counter() - start)
    return durations, (time.process_time() - cpu_start) / len(items)


def reading_latency(model, drawings):
    images = [canvas_to_mnist(drawing) for drawing in drawings]
    inspector = NetworkInspector(model)
    rows = {
        "preprocessing + prediction": timed_each(lambda d: predict_digits(model, canvas_to_mnist(d)), drawings),
        "  preprocessing (canvas_to_mnist)": timed_each(canvas_to_mnist, drawings),
        "  prediction (predict_digits)": timed_each(lambda image: predict_digits(model, image), images),
        "all layer outputs (activations)": timed_each(inspector.activations, images),
        "two evidence maps (explain)": timed_each(lambda image: inspector.explain(image, [3, 7]), images),
    }
    print(f"One drawing, {len(drawings)} canvas-like drawings:")
    for name, (durations, cpu) in rows.items():
        print(f"  {name:<36} {percentiles(durations)}   CPU mean {cpu * 1000:5.2f} ms")


class ScriptTimer:
    """Times each execution of the page script inside Streamlit's script runner: wall clock, and the CPU
    time of the script's thread (what the run costs when no other program competes for the CPU)."""

    def __init__(self):
        self.durations, self.cpu_times = [], []
        self._original = script_runner.exec_func_with_error_handling

    def __enter__(self):
        def timed(*args, **kwargs):
            start, cpu_start = time.perf_counter(), time.thread_time()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.durations.append(time.perf_counter() - start)
                self.cpu_times.append(time.thread_time() - cpu_start)

        script_runner.exec_func_with_error_handling = timed
        return self

    def __exit__(self, *exc):
        script_runner.exec_func_with_error_handling = self._original


def page_reruns(drawings, reruns):
    print(f"\nDraw page rerun after a new stroke, {reruns} strokes per tab (server side):")
    drawing_iterator = iter(drawings * 2)
    draw_ui.st_canvas = lambda **options: SimpleNamespace(
        json_data={"objects": [{"type": "path"}]}, image_data=next(drawing_iterator)
    )
    app = AppTest.from_file(str(ROOT / "app_pages" / "draw.py"), default_timeout=120)
    start = time.perf_counter()
    app.run()
    print(f"  (first run, loading the model: {time.perf_counter() - start:.2f} s)")
    for view in draw_ui.VIEWS:
        app.session_state["draw_view"] = view
        app.run()  # builds what the tab needs once (the inspector on first use)
        runs = []
        with ScriptTimer() as timer:
            for _ in range(reruns):
                start = time.perf_counter()
                app.run()
                runs.append(time.perf_counter() - start)
        assert not app.exception, app.exception
        cpu = statistics.median(timer.cpu_times) * 1000
        print(f"  {view:<20} script {percentiles(timer.durations)}   CPU p50 {cpu:4.0f} ms", end="")
        print(f"   AppTest run p50 {statistics.median(runs) * 1000:.0f} ms")


def main(count=200):
    print(f"Load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    model = load_pretrained()
    drawings = [drawing for drawing, _, _ in canvas_style_drawings(per_digit=max(1, count // 10), seed=1)]
    reading_latency(model, drawings)
    page_reruns(drawings, reruns=min(30, len(drawings)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
