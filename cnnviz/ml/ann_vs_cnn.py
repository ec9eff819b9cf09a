"""A plain dense network (MLP) against CNNs: tolerance to shifted digits and need for pixel order.

Two experiments on the same MNIST digits, with the same training for every model (the MLP, the
course CNN, and a deeper CNN with two conv + pool blocks):

- shifts: train on the digits as they are, test on test digits moved 0, 1, ..., k pixels (left,
  right, up and down, averaged); accuracy against shift for each model.
- permutation: shuffle the 784 pixels of every image with one fixed permutation, train every model
  again on the shuffled digits, and compare their test accuracy with the one on ordinary digits.

`run_experiment` trains and measures (it imports Keras, inside the function); the results are a
plain dataclass saved as JSON, so a page can show them without TensorFlow.
"""

import time

import numpy as np

from cnnviz.core.input_layer import to_model_input
from cnnviz.data.ann_vs_cnn import (
    CNN,
    DIRECTIONS,
    MLP,
    MODEL_LABELS,
    ExperimentConfig,
    ExperimentResults,
    ModelResult,
    permute_pixels,
    pixel_permutation,
    shift_digits,
)
from cnnviz.data.mnist import load_mnist, load_sample

# The models


def build_mlp(hidden_units=100):
    """Flatten → Dense(hidden_units, relu) → Dense(10, softmax): every pixel connected to every unit."""
    import keras

    from cnnviz.ml.models import INPUT_SHAPE, NUM_CLASSES, compile_classifier, make_optimizer

    model = keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE, name="image"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(hidden_units, activation="relu", name="dense1"),
            keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output"),
        ],
        name="mlp",
    )
    return compile_classifier(model, make_optimizer("adam"))


def _build(kind, config):
    from cnnviz.ml.models import CnnConfig, build_cnn, build_seed_cnn

    if kind == MLP:
        return build_mlp(config.hidden_units)
    if kind == CNN:
        return build_seed_cnn()
    return build_cnn(CnnConfig(conv_blocks=2, padding="valid", dense_units=config.hidden_units))


def _train(kind, config, images, labels):
    """Train a fresh `kind` network, its weights and batch order seeded from config.seed alone (the process's
    random state is left alone: other students may be training in the same server)."""
    from cnnviz.ml.batches import TrainingBatches
    from cnnviz.ml.seeding import seed_model

    model = seed_model(_build(kind, config), config.seed)
    batches = TrainingBatches(to_model_input(images), labels, config.batch_size, seed=config.seed)
    model.fit(batches, epochs=config.epochs, shuffle=False, verbose=0)
    return model


def accuracy(model, images, labels, batch_size=1000):
    """Share of `images` (uint8, (N, 28, 28)) the model labels right."""
    inputs = to_model_input(images)
    predicted = np.concatenate(
        [
            np.asarray(model(inputs[start : start + batch_size], training=False)).argmax(axis=1)
            for start in range(0, len(inputs), batch_size)
        ]
    )
    return float((predicted == np.asarray(labels)).mean())


def shift_accuracies(model, images, labels, max_shift):
    """Accuracy for shifts 0..max_shift, each the mean over the four directions (shift 0 measured once)."""
    scores = [accuracy(model, images, labels)]
    for pixels in range(1, max_shift + 1):
        moved = [
            accuracy(model, shift_digits(images, rows * pixels, cols * pixels), labels) for rows, cols in DIRECTIONS
        ]
        scores.append(float(np.mean(moved)))
    return scores


def _describe(data):
    """Which digits, without the machine's file paths."""
    if data is load_sample():
        return "the bundled sample"
    if hasattr(data, "is_sample"):
        return "the bundled sample" if data.is_sample else "full MNIST"
    return "the given arrays"


def run_experiment(config=None, data=None, on_progress=None, should_stop=None):
    """Train each model of `config.models` on ordinary, then on shuffled digits; returns ExperimentResults.

    data: ((x_train, y_train), (x_test, y_test)) uint8 as keras' load_data gives; default
    `cnnviz.data.mnist.load_mnist()` (set $CNNVIZ_MNIST for the full set).
    on_progress: called before each step with a short sentence and the share of the steps done (0–1).
    should_stop: checked before each step; when it answers True the experiment ends and returns None.
    """
    import keras

    config = config or ExperimentConfig()
    steps_done, steps = [0], 3 * len(config.models)

    def report(message):
        if should_stop is not None and should_stop():
            raise _Stopped
        if on_progress is not None:
            on_progress(message, steps_done[0] / steps)
        steps_done[0] += 1

    data = load_mnist() if data is None else data
    (x_train, y_train), (x_test, y_test) = data
    if config.train_size > len(x_train) or config.test_size > len(x_test):
        raise ValueError(
            f"The experiment asks for {config.train_size:,} training and {config.test_size:,} test digits; the data "
            f"holds {len(x_train):,} and {len(x_test):,}. Lower train_size / test_size."
        )
    x_train, y_train = x_train[: config.train_size], np.asarray(y_train[: config.train_size])
    x_test, y_test = x_test[: config.test_size], np.asarray(y_test[: config.test_size])
    permutation = pixel_permutation(config.seed)
    start = time.perf_counter()
    try:
        models = _measure_models(config, report, x_train, y_train, x_test, y_test, permutation)
    except _Stopped:
        return None
    return ExperimentResults(
        config=config,
        data_source=_describe(data),
        models=models,
        run_seconds=round(time.perf_counter() - start, 1),
        versions={"keras": keras.__version__, "backend": keras.backend.backend()},
    )


class _Stopped(Exception):
    """should_stop() answered True between two steps."""


def _measure_models(config, report, x_train, y_train, x_test, y_test, permutation):
    models = {}
    for kind in config.models:
        began = time.perf_counter()
        report(f"Training the {MODEL_LABELS[kind]} on ordinary digits")
        model = _train(kind, config, x_train, y_train)
        report(f"Testing the {MODEL_LABELS[kind]} on shifted digits")
        by_shift = shift_accuracies(model, x_test, y_test, config.max_shift)
        report(f"Training the {MODEL_LABELS[kind]} on shuffled digits")
        shuffled_model = _train(kind, config, permute_pixels(x_train, permutation), y_train)
        permuted = accuracy(shuffled_model, permute_pixels(x_test, permutation), y_test)
        models[kind] = ModelResult(
            label=MODEL_LABELS[kind],
            params=int(model.count_params()),
            accuracy_by_shift=[round(value, 4) for value in by_shift],
            permuted_accuracy=round(permuted, 4),
            train_seconds=round(time.perf_counter() - began, 1),
        )
    return models
