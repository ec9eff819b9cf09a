"""Train the two networks the Draw page's invariance lab compares with the shipped model.

Usage:
    CNNVIZ_MNIST=/path/to/mnist.npz python -m scripts.train_invariance_models

Writes models/course_cnn.keras (the course CNN, `build_seed_cnn`) and models/mlp.keras (a plain dense
network 784 → 100 → 10, `build_mlp`), both trained on all 60,000 MNIST training digits as they are,
without augmentation, and models/invariance_models.json with how they were trained and their
accuracy on the 10,000 test digits. The models are saved without optimizer state (the app only
predicts). Seeded: the same command repeats the same run, up to the order of floating-point sums.
"""

import json
import platform
import sys
import time

import keras

from cnnviz.core.input_layer import to_model_input
from cnnviz.data.mnist import load_mnist
from cnnviz.ml.ann_vs_cnn import build_mlp
from cnnviz.ml.invariance import COURSE_CNN, MLP, MODEL_PATHS
from cnnviz.ml.models import MODELS_DIR, build_seed_cnn, save_model

COURSE_CNN_PATH, MLP_PATH = MODEL_PATHS[COURSE_CNN], MODEL_PATHS[MLP]  # models/course_cnn.keras, models/mlp.keras
REPORT_PATH = MODELS_DIR / "invariance_models.json"
SEED = 0
BATCH_SIZE = 128
EPOCHS = {"course_cnn": 3, "mlp": 8}  # the small MLP learns faster per epoch and needs more of them


def train(name, build, x_train, y_train, x_test, y_test):
    """Fit a fresh model; return (an uncompiled copy with its weights, facts for the report)."""
    keras.utils.set_random_seed(SEED)
    model = build()
    started = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS[name], verbose=2)
    seconds = time.perf_counter() - started
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    shipped = build()  # a fresh copy: weights only, no optimizer state
    shipped.set_weights(model.get_weights())
    facts = {
        "epochs": EPOCHS[name],
        "batch_size": BATCH_SIZE,
        "optimizer": "adam 0.001",
        "augmentation": None,
        "parameters": int(shipped.count_params()),
        "training_seconds": round(seconds, 1),
        "final_training_accuracy": round(float(history.history["accuracy"][-1]), 5),
        "mnist_test_accuracy": round(float(accuracy), 5),
    }
    print(f"{name}: test accuracy {accuracy:.4f} after {seconds:.0f} s", flush=True)
    return shipped, facts


def main():
    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz to train these models.")
    (x_train, y_train), (x_test, y_test) = data
    x_train, x_test = to_model_input(x_train), to_model_input(x_test)  # (N, 28, 28, 1) in [0, 1]
    report = {
        "data": "full MNIST",
        "train_digits": len(x_train),
        "test_digits": len(x_test),
        "seed": SEED,
        "machine": platform.machine(),
        "keras_version": keras.__version__,
        "models": {},
    }
    for name, build, path in (("course_cnn", build_seed_cnn, COURSE_CNN_PATH), ("mlp", build_mlp, MLP_PATH)):
        model, facts = train(name, build, x_train, y_train, x_test, y_test)
        save_model(model, path)
        report["models"][name] = {"file": path.name, "file_bytes": path.stat().st_size, **facts}
    REPORT_PATH.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {COURSE_CNN_PATH.name}, {MLP_PATH.name} and {REPORT_PATH.name}", flush=True)


if __name__ == "__main__":
    main()
