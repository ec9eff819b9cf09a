"""What the live view costs: plain `model.fit` against the Training page's path, on the same settings.

The live path is `cnnviz.ml.training.fit` (the LiveCallback recording every batch, reporting every
0.5 s, checking for Stop after each batch) while a second thread redraws the curves once a second,
as the page's fragment does. Runs alternate plain / live to share out the machine's noise.

    CNNVIZ_MNIST=path/to/mnist.npz python -m benchmarks.training_overhead [--repeats 3]
        [--train-size N] [--epochs N]
"""

import argparse
import statistics
import threading
import time

import keras

from cnnviz.figures.training import curves_figure
from cnnviz.ml.training import RunRecord, TrainingSettings, build_model, fit, load_training_data, training_arrays


def plain_fit(settings, data):
    model = build_model(settings)
    x, y = training_arrays(settings, data)
    started = time.perf_counter()
    model.fit(
        x,
        y,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        validation_split=settings.validation_split,
        verbose=0,
    )
    return time.perf_counter() - started


def live_fit(settings, data, redraw_every=1.0):
    model = build_model(settings)
    record = RunRecord(run_id=1, settings=settings)
    done = threading.Event()

    def viewer():  # what the page does while the thread trains: redraw from the record
        while not done.wait(redraw_every):
            curves_figure([("run", list(record.batches), list(record.epochs), "#0072B2")]).to_json()

    watcher = threading.Thread(target=viewer, daemon=True)
    watcher.start()
    started = time.perf_counter()
    fit(model, settings, data, record, on_batch=lambda progress: None, should_stop=lambda: False)
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    return elapsed, record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--train-size", type=int, default=TrainingSettings().train_size)
    parser.add_argument("--epochs", type=int, default=TrainingSettings().epochs)
    arguments = parser.parse_args()
    settings = TrainingSettings(train_size=arguments.train_size, epochs=arguments.epochs)
    data = load_training_data()
    print(f"Settings: {settings.label()} ({data.source}); Keras {keras.__version__}")
    plain_fit(TrainingSettings(train_size=1000, epochs=1), data)  # warm up TensorFlow once
    plain_times, live_times = [], []
    for repeat in range(arguments.repeats):
        plain_times.append(plain_fit(settings, data))
        live_seconds, record = live_fit(settings, data)
        live_times.append(live_seconds)
        print(f"  repeat {repeat + 1}: plain {plain_times[-1]:.2f} s, live {live_times[-1]:.2f} s")
    plain, live = statistics.median(plain_times), statistics.median(live_times)
    per_epoch = live / settings.epochs
    print(f"plain model.fit: {plain:.2f} s (median of {arguments.repeats})")
    print(f"live view path:  {live:.2f} s ({per_epoch:.1f} s per epoch, {record.images_per_second:,.0f} images/s)")
    print(f"ratio live / plain: {live / plain:.3f} of the medians, {min(live_times) / min(plain_times):.3f} of the")
    print("fastest runs (the better estimate on a busy machine); target ≤ 1.05")


if __name__ == "__main__":
    main()
