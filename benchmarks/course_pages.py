"""First render and one widget rerun of the landing, Input layer, Fully connected and ANN vs CNN pages, in AppTest.

Usage: python -m benchmarks.course_pages [repeats]

The first render is of a fresh session in a warm process (imports done, the shipped model loaded
once), as a server serves a new student. The ANN vs CNN page only reads its precomputed results.
"""

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # page: (file, widget kind, key, new value)
    "Landing": ("app_pages/home.py", "segmented_control", "home_stage", 4),
    "Input layer": ("app_pages/input_layer.py", "slider", "input_window_row", 0),
    "Fully connected": ("app_pages/fully_connected.py", "number_input", "fc_digit", 7),
    "ANN vs CNN": ("app_pages/ann_vs_cnn.py", "slider", "avc_shift", 5),
}


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def open_app():
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    return app


def main(repeats=5):
    cold = timed(open_app)
    warm_up = open_app()
    model = timed(lambda: warm_up.switch_page(PAGES["Fully connected"][0]).run())
    print(f"cold start {cold:.2f} s; first Fully connected page of the process (TensorFlow, model) {model:.2f} s")
    print(f"{'page':<16} {'first render':>14} {'widget rerun':>14}   (median of {repeats})")
    for name, (page, kind, key, value) in PAGES.items():
        renders, reruns = [], []
        for _ in range(repeats):
            app = open_app()
            renders.append(timed(lambda: app.switch_page(page).run()))  # noqa: B023 (called at once)
            widget = getattr(app, kind)(key=key)
            reruns.append(timed(lambda: widget.set_value(value).run()))  # noqa: B023
            assert not app.exception, app.exception
        print(f"{name:<16} {statistics.median(renders) * 1000:>11.0f} ms {statistics.median(reruns) * 1000:>11.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
