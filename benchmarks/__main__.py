"""Every figure that says whether the app holds up under a class, in one table, from one run.

Usage (from the repository root):
    CNNVIZ_MNIST=/path/to/mnist.npz python -m benchmarks [--quick] [--sessions 10]

--quick: one repeat of each page, fewer latency samples, one training epoch, 3 extra sessions.
Ratios are measured within this run, alternating the two sides to share out the machine's noise.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.concept_pages import open_app, timed
from benchmarks.predict_latency import timings_ms
from benchmarks.server_memory import measure_server_memory
from testkit.apptest import app_pages

ROOT = Path(__file__).resolve().parent.parent


def measure_tensorflow_import():
    """Seconds for `import tensorflow` in a fresh Python, as a server pays once on its first model page."""
    code = "import time; t = time.perf_counter(); import tensorflow; print(time.perf_counter() - t)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.split()[-1])


def measure_page_renders(repeats):
    """{page: (first visit in a cold process, median first render of a fresh session in the warm process)},
    and the median step rerun on the Convolution page, all in seconds (AppTest)."""
    pages = app_pages()
    app = open_app()
    cold = {name: timed(lambda page=page: app.switch_page(page).run()) for name, page in pages.items()}
    renders = {name: [] for name in pages}
    steps = []
    for _ in range(repeats):
        for name, page in pages.items():
            app = open_app()
            renders[name].append(timed(lambda page=page: app.switch_page(page).run()))  # noqa: B023
            assert not app.exception, (name, app.exception)
            if page.endswith("convolution.py"):
                steps.append(timed(lambda: app.button(key="conv_next").click().run()))  # noqa: B023
    return {name: (cold[name], statistics.median(renders[name])) for name in pages}, statistics.median(steps)


def measure_reading_latency(samples):
    """p50 and p95 ms of one drawing read by the app (canvas_to_mnist + predict_digits), and of
    `model.predict()` on the same 28×28 input."""
    from cnnviz.core.input_layer import to_model_input
    from cnnviz.data.drawing import canvas_to_mnist
    from cnnviz.ml.models import load_pretrained
    from cnnviz.ml.predict import predict_digits
    from testkit.synthetic import render_digit

    model = load_pretrained()
    canvas = render_digit(3, offset=(25, -30), angle=8, stroke=20)  # (280, 280, 4)
    batch = to_model_input(canvas_to_mnist(canvas))  # (1, 28, 28, 1)
    app_path = timings_ms(lambda: predict_digits(model, canvas_to_mnist(canvas)), samples)
    predict = timings_ms(lambda: model.predict(batch, verbose=0), max(20, samples // 4))
    percentiles = statistics.quantiles
    return {
        "app": (statistics.median(app_path), percentiles(app_path, n=20)[18]),
        "model.predict()": (statistics.median(predict), percentiles(predict, n=20)[18]),
    }


def measure_intervention(repeats):
    """(p50, p95) ms of one Draw page intervention rerun (benchmarks.interventions), and its target in ms."""
    from benchmarks.interventions import TARGET_MS, intervention_rerun_ms

    return intervention_rerun_ms(repeats), TARGET_MS


def measure_training(settings, repeats):
    """(median plain `model.fit` seconds, median live-view seconds, seconds per epoch on the live path)."""
    from benchmarks.training_overhead import live_fit, plain_fit
    from cnnviz.ml.training import TrainingSettings, load_training_data

    data = load_training_data()
    plain_fit(TrainingSettings(train_size=1000, epochs=1), data)  # TensorFlow's one-off start-up
    plain, live = [], []
    for _ in range(repeats):
        plain.append(plain_fit(settings, data))
        live.append(live_fit(settings, data)[0])
    plain_seconds, live_seconds = statistics.median(plain), statistics.median(live)
    return plain_seconds, live_seconds, live_seconds / settings.epochs, data.source


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer repeats and samples, one epoch")
    parser.add_argument("--sessions", type=int, default=None, help="extra server sessions for the memory figure")
    arguments = parser.parse_args()
    quick = arguments.quick
    sessions = arguments.sessions if arguments.sessions is not None else (3 if quick else 10)

    from cnnviz.ml.training import TrainingSettings

    defaults = TrainingSettings()
    settings = TrainingSettings(epochs=1) if quick else defaults
    started = time.perf_counter()
    load = os.getloadavg()[0]

    tensorflow_seconds = measure_tensorflow_import()
    pages, step = measure_page_renders(1 if quick else 3)
    latency = measure_reading_latency(100 if quick else 400)
    intervention, intervention_target = measure_intervention(30 if quick else 100)
    plain, live, per_epoch, source = measure_training(settings, 1 if quick else 3)
    memory = measure_server_memory(sessions)

    rows = [("import tensorflow (fresh process)", f"{tensorflow_seconds:.2f} s", "paid once per server process")]
    for name, (cold, warm) in pages.items():
        rows.append((f"first render: {name}", f"{warm * 1000:.0f} ms", f"first in a cold process {cold:.2f} s"))
    rows.append(("Convolution page: one step rerun", f"{step * 1000:.0f} ms", "AppTest, median"))
    labels = {"app": "one drawing: preprocess + predict", "model.predict()": "model.predict(), same input"}
    for name, label in labels.items():
        p50, p95 = latency[name]
        rows.append((label, f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms"))
    ratio = latency["model.predict()"][0] / latency["app"][0]
    rows.append(("model.predict() / the app's path", f"{ratio:.0f}×", "p50 over p50"))
    p50, p95 = intervention
    rows.append(
        ("Draw: one intervention rerun", f"p50 {p50:.1f} ms", f"p95 {p95:.1f} ms; target ≤ {intervention_target} ms")
    )
    rows.append(("live training / plain model.fit", f"{live / plain:.3f}", f"{live:.1f} s vs {plain:.1f} s"))
    rows.append(
        (
            "seconds per epoch, default settings",
            f"{per_epoch:.1f} s",
            f"{settings.train_size:,} images, batch {settings.batch_size}, {settings.epochs} epoch(s) timed",
        )
    )
    rows.append(("server RSS, no session", f"{memory['idle']:.0f} MB", "streamlit run app.py"))
    rows.append(("server RSS, one Draw session", f"{memory['one session']:.0f} MB", "TensorFlow and the model loaded"))
    rows.append(
        (
            f"server RSS, {memory['sessions'] + 1} Draw sessions",
            f"{memory['all sessions']:.0f} MB",
            f"+{memory['per session']:.1f} MB per extra session",
        )
    )

    width = max(len(row[0]) for row in rows)
    print(f"cnnviz benchmarks{' (--quick)' if quick else ''}: {os.cpu_count()} cores, load average {load:.1f} at start")
    print(f"data: {source}")
    print(f"{'measure':<{width}}  {'value':>14}  note")
    print(f"{'-' * width}  {'-' * 14}  {'-' * 40}")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>14}  {note}")
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
