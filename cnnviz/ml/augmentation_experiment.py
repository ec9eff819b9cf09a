"""Does augmentation make the course CNN robust to moved digits? Train it with and without, test on moved digits.

For every seed, the course CNN (`build_seed_cnn`) is trained twice on the same digits, through the
same `fit` the Training page uses: once on the digits as they are, once with the Training page's
augmentation switch on. Each model is then tested on the test digits shifted 0…k pixels (left, right,
up and down, averaged) and rotated 0…θ degrees (both ways, averaged). Several seeds measure how much
the numbers move from one run to the next.
"""

import time

import numpy as np

from cnnviz.data.ann_vs_cnn import DIRECTIONS, shift_digits
from cnnviz.data.augmentation_experiment import (
    AUGMENTED,
    PLAIN,
    AugmentationExperimentConfig,
    AugmentationResults,
    Run,
    rotate_digits,
)
from cnnviz.ml.ann_vs_cnn import accuracy
from cnnviz.ml.training import RunRecord, TrainingSettings, build_model, fit, load_training_data


def settings_for(config, condition, seed):
    """The Training page's settings for one condition and seed: the course model, no validation split."""
    return TrainingSettings(
        epochs=config.epochs,
        batch_size=config.batch_size,
        train_size=config.train_size,
        validation_split=0.0,
        augmentation=condition == AUGMENTED,
        seed=seed,  # the initial weights, the order of the batches and their augmentation
    )


def train(config, condition, seed, data, should_stop=None):
    """The course CNN trained for one condition and seed, as the Training page trains it: (model, seconds)."""
    settings = settings_for(config, condition, seed)
    model = build_model(settings)
    record = RunRecord(run_id=seed, settings=settings)
    fit(model, settings, data, record, should_stop=should_stop)
    return model, record.fit_seconds


def shift_accuracies(model, images, labels, shifts):
    """Accuracy for each shift in pixels, the mean over the four directions (shift 0 measured once)."""
    return [
        accuracy(model, images, labels)
        if pixels == 0
        else float(
            np.mean([accuracy(model, shift_digits(images, r * pixels, c * pixels), labels) for r, c in DIRECTIONS])
        )
        for pixels in shifts
    ]


def rotation_accuracies(model, images, labels, rotations):
    """Accuracy for each rotation in degrees, the mean over turning both ways (0° measured once)."""
    return [
        accuracy(model, images, labels)
        if degrees == 0
        else float(np.mean([accuracy(model, rotate_digits(images, sign * degrees), labels) for sign in (1, -1)]))
        for degrees in rotations
    ]


def measure(model, config, images, labels, seed, seconds):
    return Run(
        seed=seed,
        accuracy_by_shift=[round(value, 4) for value in shift_accuracies(model, images, labels, config.shifts)],
        accuracy_by_rotation=[
            round(value, 4) for value in rotation_accuracies(model, images, labels, config.rotations)
        ],
        train_seconds=round(seconds, 1),
    )


def train_and_measure(config, condition, seed, data=None):
    """One training of the experiment and its scores on moved test digits: a Run. Loads the data itself when
    `data` is None, so that it can run in a process of its own."""
    data = load_training_data() if data is None else data
    images, labels = data.x_test[: config.test_size], np.asarray(data.y_test[: config.test_size])
    model, seconds = train(config, condition, seed, data)
    return measure(model, config, images, labels, seed, seconds)


def run_experiment(config=None, data=None, on_progress=None, should_stop=None, processes=1):
    """Train and test every seed × condition of `config`; returns AugmentationResults.

    data: a `cnnviz.data.mnist.MnistData` (default `load_training_data()`: set $CNNVIZ_MNIST for the full set).
    on_progress(message, fraction): called before each step, fraction of the trainings done.
    should_stop(): checked during training; True ends the experiment early (the results are then partial).
    processes: trainings run side by side in this many processes (each loads the data itself); every
        training is seeded on its own, so the results are those of one process.
    """
    import keras

    config = config or AugmentationExperimentConfig()
    report = on_progress or (lambda message, fraction: None)
    data = load_training_data() if data is None else data
    if config.train_size > len(data.x_train) or config.test_size > len(data.x_test):
        raise ValueError(
            f"The experiment asks for {config.train_size:,} training and {config.test_size:,} test digits; the data "
            f"holds {len(data.x_train):,} and {len(data.x_test):,}. Lower train_size / test_size."
        )
    start = time.perf_counter()
    trainings = [(seed, condition) for seed in config.seeds for condition in (PLAIN, AUGMENTED)]
    if processes > 1:
        results = _in_processes(config, trainings, processes, report)
    else:
        results = {}
        for done, (seed, condition) in enumerate(trainings):
            report(f"Training the course CNN {condition} and testing it, seed {seed}", done / len(trainings))
            model, seconds = train(config, condition, seed, data, should_stop)
            if should_stop is not None and should_stop():
                break
            images, labels = data.x_test[: config.test_size], np.asarray(data.y_test[: config.test_size])
            results[seed, condition] = measure(model, config, images, labels, seed, seconds)
    report("Done", 1.0)
    runs = {
        condition: [results[seed, c] for seed, c in trainings if c == condition and (seed, c) in results]
        for condition in (PLAIN, AUGMENTED)
    }
    return AugmentationResults(
        config=config,
        data_source="the bundled sample" if data.is_sample else "full MNIST",
        runs=runs,
        run_seconds=round(time.perf_counter() - start, 1),
        versions={"keras": keras.__version__, "backend": keras.backend.backend()},
    )


def _in_processes(config, trainings, processes, report):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results = {}
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: TensorFlow does not survive a fork
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = {pool.submit(train_and_measure, config, c, seed): (seed, c) for seed, c in trainings}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            seed, condition = futures[future]
            report(f"Trained and tested the course CNN {condition}, seed {seed}", len(results) / len(trainings))
    return results
