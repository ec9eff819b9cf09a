"""Seconds and test accuracy of candidate default settings for the Training page (one run each).

CNNVIZ_MNIST=path/to/mnist.npz python -m benchmarks.training_defaults
"""

import os
import time

from cnnviz.ml.evaluation import evaluate
from cnnviz.ml.training import RunRecord, TrainingSettings, build_model, fit, load_training_data

CANDIDATES = (
    TrainingSettings(),  # the page's defaults
    TrainingSettings(train_size=60_000, epochs=2),
    TrainingSettings(train_size=30_000, epochs=2, batch_size=64),
    TrainingSettings(train_size=20_000, epochs=2, batch_size=32),
)


def main():
    data = load_training_data()
    print(f"{data.source}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    fit(
        build_model(TrainingSettings(train_size=500, epochs=1)),
        TrainingSettings(train_size=500, epochs=1),
        data,
        RunRecord(0, TrainingSettings(train_size=500, epochs=1)),
    )  # warm up TensorFlow
    for settings in CANDIDATES:
        record = RunRecord(1, settings)
        started = time.perf_counter()
        model = build_model(settings)
        fit(model, settings, data, record)
        trained = time.perf_counter() - started
        test = evaluate(model, data.x_test, data.y_test)
        print(
            f"{settings.label():60} {trained:5.1f} s ({trained / settings.epochs:4.1f} s/epoch, "
            f"{record.images_per_second:,.0f} images/s), evaluation {time.perf_counter() - started - trained:4.1f} s, "
            f"test accuracy {test.accuracy:.2%}"
        )


if __name__ == "__main__":
    main()
