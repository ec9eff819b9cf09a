"""Training library: settings and caps, the live callback, the slot limiter, evaluation, code generation, jobs."""

import threading
import time

import keras
import numpy as np
import pytest
from conftest import use_full_mnist

from cnnviz.data.augment import Augmentation
from cnnviz.ml import batches as batches_module
from cnnviz.ml.batches import TrainingBatches
from cnnviz.ml.codegen import keras_code, layer_code
from cnnviz.ml.evaluation import (
    confusion_matrix,
    first_layer_filters,
    first_layer_maps,
    misclassified,
    score_predictions,
)
from cnnviz.ml.jobs import CANCELLED, FAILED, FINISHED, STOPPED, WAITING, TrainingJob
from cnnviz.ml.models import CnnConfig
from cnnviz.ml.slots import TrainingSlots, max_trainings, shared_slots
from cnnviz.ml.training import (
    LiveCallback,
    RunRecord,
    TrainingCaps,
    TrainingSettings,
    build_model,
    fit,
    load_training_data,
)


@pytest.fixture(autouse=True)
def full_mnist(monkeypatch):
    use_full_mnist(monkeypatch)


def wait_until(condition, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


# Settings and caps


def test_default_settings_are_valid_and_hold_out_a_tenth():
    settings = TrainingSettings()
    assert (settings.validation_size, settings.fit_size) == (3_000, 27_000)


@pytest.mark.parametrize(("size", "split"), [(1000, 0.15), (333, 0.3), (60_000, 0.05), (101, 0.5)])
def test_held_out_images_are_counted_as_keras_counts_them(size, split):
    from keras.src.trainers.data_adapters.array_slicing import train_validation_split

    settings = TrainingSettings(train_size=size, validation_split=split)
    kept, held_out = train_validation_split((np.zeros(size),), validation_split=split)
    assert (settings.fit_size, settings.validation_size) == (len(kept[0]), len(held_out[0]))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("epochs", 0, "epochs must be a whole number from 1"),
        ("epochs", 21, "CNNVIZ_MAX_EPOCHS"),
        ("epochs", True, "epochs must be a whole number"),
        ("batch_size", 0, "batch_size"),
        ("train_size", 50, "train_size must be a whole number from 100"),
        ("train_size", 60_001, "CNNVIZ_MAX_TRAIN_SIZE"),
        ("learning_rate", 0.0, "learning_rate must be in (0, 1]"),
        ("learning_rate", "fast", "learning_rate must be a number"),
        ("optimizer", "adagrad", "optimizer must be one of"),
        ("validation_split", 0.6, "validation_split must be from 0 to 0.5"),
        ("augmentation", "yes", "augmentation must be True or False"),
        ("model", "big", "model must be None"),
    ],
)
def test_bad_setting_raises_a_value_error_that_names_it(field, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")):
        TrainingSettings(**{field: value})


def test_epoch_cap_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CNNVIZ_MAX_EPOCHS", "3")
    TrainingSettings(epochs=3)
    with pytest.raises(ValueError, match="from 1 to 3"):
        TrainingSettings(epochs=4)


def test_a_cap_that_is_not_a_number_is_explained(monkeypatch):
    monkeypatch.setenv("CNNVIZ_MAX_TRAIN_SIZE", "lots")
    with pytest.raises(ValueError, match=r"\$CNNVIZ_MAX_TRAIN_SIZE must be a whole number"):
        TrainingCaps.from_env()


def test_label_names_the_settings_that_differ_between_runs():
    settings = TrainingSettings(
        model=CnnConfig(dropout=0.5), optimizer="sgd", learning_rate=0.01, train_size=5_000, augmentation=True
    )
    label = settings.label()
    for part in ("dropout 0.5", "sgd 0.01", "5k × 2 ep", "augmented"):
        assert part in label


def test_augmentation_leaves_the_model_as_it_is():
    plain = build_model(TrainingSettings())
    augmented = build_model(TrainingSettings(augmentation=True))
    assert [layer.name for layer in augmented.layers] == [layer.name for layer in plain.layers]
    assert augmented.count_params() == plain.count_params()


def test_model_is_compiled_with_the_chosen_optimizer_and_learning_rate():
    model = build_model(TrainingSettings(optimizer="rmsprop", learning_rate=0.003))
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.003)


# The live callback, driven by hand: no training needed


def drive(callback, epochs=2, steps=5, stop_at=None):
    """Call the callback as model.fit would, with made-up logs; returns the fake model."""
    model = build_model(TrainingSettings())
    callback.set_model(model)
    callback.set_params({"epochs": epochs, "steps": steps, "verbose": 0})
    callback.on_train_begin()
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            callback.on_train_batch_end(batch, {"loss": 1.0 / (batch + 1), "accuracy": 0.1 * batch})
            if model.stop_training:
                break
        callback.on_epoch_end(epoch, {"loss": 0.5, "accuracy": 0.4, "val_loss": 0.6, "val_accuracy": 0.3})
        if model.stop_training:
            break
    return model


def test_callback_throttles_reports_but_loses_no_batch():
    reports = []
    drive(LiveCallback(on_batch=reports.append, every_seconds=3600), epochs=2, steps=5)
    assert len(reports) == 2  # once per epoch, at its last batch
    assert [len(r.new_points) for r in reports] == [5, 5]


def test_callback_reports_every_batch_when_not_throttled():
    reports = []
    drive(LiveCallback(on_batch=reports.append, every_seconds=0), epochs=1, steps=4)
    assert [r.batch for r in reports] == [1, 2, 3, 4]


def test_callback_positions_count_epochs_of_training():
    reports = []
    drive(LiveCallback(on_batch=reports.append, every_seconds=0), epochs=2, steps=4)
    assert [p.position for r in reports for p in r.new_points][3:5] == [1.0, 1.25]


def test_each_batch_value_is_recovered_from_the_running_means():
    reports = []
    callback = LiveCallback(reports.append, every_seconds=0, batch_size=10, images_per_epoch=45)
    model = build_model(TrainingSettings())
    callback.set_model(model)
    callback.set_params({"epochs": 1, "steps": 5})
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    batch_losses = [2.0, 1.0, 0.5, 0.5, 0.25]  # the last batch holds 5 images
    seen = np.array([10, 20, 30, 40, 45])
    means = np.cumsum(np.array(batch_losses) * np.diff(seen, prepend=0)) / seen
    for batch, mean in enumerate(means):
        callback.on_train_batch_end(batch, {"loss": mean, "accuracy": 0.5})
    points = [p for r in reports for p in r.new_points]
    np.testing.assert_allclose([p.loss for p in points], batch_losses, rtol=1e-6)
    np.testing.assert_allclose([p.mean_loss for p in points], means)


def test_positions_go_on_from_an_epoch_cut_short():
    reports = []
    callback = LiveCallback(reports.append, every_seconds=0, start_position=0.5)
    model = build_model(TrainingSettings())
    callback.set_model(model)
    callback.set_params({"epochs": 2, "steps": 4})
    callback.on_train_begin()
    callback.on_epoch_begin(1)  # Continue starts a new epoch after the stopped one
    callback.on_train_batch_end(0, {"loss": 1.0, "accuracy": 0.5})
    assert reports[0].new_points[0].position == pytest.approx(0.75)


def test_epoch_report_carries_validation_metrics():
    epochs = []
    drive(LiveCallback(on_epoch=lambda point, progress: epochs.append(point)), epochs=2, steps=3)
    assert [(e.epoch, e.complete, e.val_accuracy) for e in epochs] == [(0, True, 0.3), (1, True, 0.3)]


def test_stop_request_ends_at_the_batch_that_saw_it():
    reports, epochs = [], []
    calls = {"count": 0}

    def should_stop():
        calls["count"] += 1
        return calls["count"] >= 3

    callback = LiveCallback(reports.append, lambda p, _: epochs.append(p), should_stop=should_stop, every_seconds=3600)
    model = drive(callback, epochs=2, steps=5)
    assert model.stop_training and callback.stopped_early
    assert sum(len(r.new_points) for r in reports) == 3
    assert [(e.batches, e.complete) for e in epochs] == [(3, False)]


def test_progress_gives_fraction_eta_and_images_per_second():
    reports = []
    drive(LiveCallback(reports.append, every_seconds=0, batch_size=10, images_per_epoch=45), epochs=2, steps=5)
    assert reports[3].eta is None  # too early to tell
    halfway = reports[4]
    assert halfway.fraction == pytest.approx(0.5)
    assert halfway.eta == pytest.approx(halfway.elapsed)
    assert halfway.images_per_second == pytest.approx(45 / halfway.elapsed)  # the last batch holds 5


def test_smoothing_starts_at_the_first_value_and_gives_a_short_batch_less_weight():
    from cnnviz.figures.training import smooth

    assert smooth([2.0, 2.0, 2.0], span=5).tolist() == pytest.approx([2.0, 2.0, 2.0])
    full, short = smooth([1.0, 1.0, 3.0], span=5), smooth([1.0, 1.0, 3.0], span=5, sizes=[64, 64, 8])
    assert 1.0 < short[-1] < full[-1]


# Slots


def test_slots_never_run_more_than_their_capacity_at_once():
    slots = TrainingSlots(2)
    running, peak, lock = [0], [0], threading.Lock()

    def work():
        assert slots.acquire(timeout=30)
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        slots.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2 and slots.in_use == 0


def test_acquire_without_waiting_fails_when_every_slot_is_taken():
    slots = TrainingSlots(1)
    assert slots.acquire(timeout=0)
    assert not slots.acquire(timeout=0)
    slots.release()
    assert slots.acquire(timeout=0)


def test_waiting_counts_the_trainings_queued_for_a_slot():
    slots = TrainingSlots(1)
    slots.acquire()
    waiters = [threading.Thread(target=slots.acquire, kwargs={"timeout": 5}) for _ in range(3)]
    for thread in waiters:
        thread.start()
    wait_until(lambda: slots.waiting == 3, timeout=5)
    for _ in range(3):
        slots.release()
        time.sleep(0.05)
    for thread in waiters:
        thread.join()
    assert slots.waiting == 0 and slots.in_use == 1


def test_releasing_a_slot_never_taken_is_an_error():
    with pytest.raises(RuntimeError, match="release"):
        TrainingSlots(1).release()


def test_server_cap_defaults_to_the_cpu_count_and_is_shared(monkeypatch):
    import os

    assert max_trainings() == os.cpu_count()
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "3")
    assert shared_slots().capacity == 3 and shared_slots() is shared_slots()
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "0")
    with pytest.raises(ValueError, match="CNNVIZ_MAX_TRAININGS"):
        max_trainings()


# Evaluation


def test_score_loss_matches_keras_cross_entropy():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10), size=50).astype(np.float32)
    labels = rng.integers(0, 10, size=50)
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert score_predictions(probabilities, labels).loss == pytest.approx(float(expected), rel=1e-5)


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    counts = confusion_matrix([1, 1, 2, 3], [1, 7, 2, 3])
    assert counts[1, 7] == 1 and counts[1, 1] == 1 and counts.sum() == 4


def test_misclassified_lists_the_most_confident_mistakes_first():
    probabilities = np.full((4, 10), 0.01)
    probabilities[[0, 1, 2, 3], [5, 6, 2, 4]] = [0.6, 0.9, 0.9, 0.5]
    results = score_predictions(probabilities, [0, 1, 2, 3])
    assert misclassified([0, 1, 2, 3], results).tolist() == [1, 0, 3]
    assert misclassified([0, 1, 2, 3], results, true_digit=3).tolist() == [3]


def test_first_layer_maps_match_keras_conv_output():
    model = build_model(TrainingSettings())
    image = load_training_data().x_test[0]
    conv = model.get_layer("conv1")
    expected = np.asarray(conv(image[None, :, :, None].astype("float32") / 255))[0]
    np.testing.assert_allclose(first_layer_maps(model, image), np.moveaxis(expected, -1, 0), atol=1e-6)
    assert first_layer_filters(model).shape == (32, 3, 3)


# Code generation


@pytest.mark.parametrize(
    "settings",
    [
        TrainingSettings(),
        TrainingSettings(model=CnnConfig(batch_norm=True, dropout=0.3, pooling="average"), augmentation=True),
        TrainingSettings(optimizer="sgd", learning_rate=0.01, validation_split=0.0, batch_size=32),
    ],
)
def test_generated_code_is_valid_python_with_the_settings(settings):
    code = keras_code(settings)
    compile(code, "train_mnist.py", "exec")
    assert f"batch_size={settings.batch_size}" in code and f"x_train[:{settings.train_size}]" in code


def test_layer_code_leaves_out_defaults():
    assert layer_code(keras.layers.Conv2D(16, 5, padding="same")) == 'layers.Conv2D(16, kernel_size=5, padding="same")'
    assert layer_code(keras.layers.MaxPooling2D(2)) == "layers.MaxPooling2D(2)"


@pytest.mark.slow
def test_generated_code_builds_the_same_model_and_trains(monkeypatch, capsys):
    settings = TrainingSettings(model=CnnConfig(dropout=0.2), train_size=300, epochs=1, augmentation=True)
    data = load_training_data()
    small = ((data.x_train, data.y_train), (data.x_test[:200], data.y_test[:200]))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: small)
    namespace = {}
    exec(compile(keras_code(settings), "train_mnist.py", "exec"), namespace)
    assert namespace["model"].count_params() == build_model(settings).count_params()
    assert len(namespace["history"].history["val_loss"]) == 1
    assert "Test accuracy" in capsys.readouterr().out


# Fit and the background job (real training, small)


@pytest.mark.slow
def test_fit_records_every_batch_and_epoch():
    settings = TrainingSettings(train_size=1_000, epochs=2, batch_size=100)
    record = RunRecord(run_id=1, settings=settings)
    fit(build_model(settings), settings, load_training_data(), record)
    assert len(record.batches) == 2 * 9 and [e.complete for e in record.epochs] == [True, True]
    assert record.epochs[-1].val_accuracy is not None and record.fit_seconds > 0


@pytest.mark.slow
def test_augmented_fit_trains_on_batches_and_validates_on_the_held_out_digits_as_they_are(monkeypatch):
    seen = []
    real_augment = batches_module.augment
    monkeypatch.setattr(batches_module, "augment", lambda *args: seen.append(args[1]) or real_augment(*args))
    settings = TrainingSettings(train_size=1_000, epochs=2, batch_size=100, augmentation=True)
    record = RunRecord(run_id=1, settings=settings)
    fit(build_model(settings), settings, load_training_data(), record)
    assert len(record.batches) == 2 * 9 and [e.complete for e in record.epochs] == [True, True]
    assert record.epochs[-1].val_accuracy is not None
    assert {(epoch, batch) for _, epoch, batch in seen} >= {(e, b) for e in (0, 1) for b in range(9)}


def test_training_batches_reshuffle_each_epoch_and_repeat_with_their_seed():
    images = np.random.default_rng(0).random((250, 28, 28, 1), dtype=np.float32)
    labels = np.arange(250)
    batches = TrainingBatches(images, labels, 100, Augmentation(), seed=3)
    assert len(batches) == 3 and len(TrainingBatches(images, labels, 100, seed=3, drop_remainder=True)) == 2
    first = [batches[i] for i in range(3)]
    assert sorted(np.concatenate([labels for _, labels in first]).tolist()) == labels.tolist()  # each once
    again = TrainingBatches(images, labels, 100, Augmentation(), seed=3)[0]
    np.testing.assert_array_equal(again[0], first[0][0])
    assert not np.allclose(first[0][0], images[first[0][1]])  # augmented
    batches.on_epoch_begin()  # the first epoch
    np.testing.assert_array_equal(batches[0][0], first[0][0])
    batches.on_epoch_begin()  # the second
    assert not np.array_equal(batches[0][1], first[0][1])  # a new order next epoch


@pytest.mark.slow
def test_job_trains_evaluates_and_continues_on_the_same_model():
    job = TrainingJob(TrainingSettings(train_size=500, epochs=1), slots=TrainingSlots(1))
    job.start()
    job.join(120)
    assert job.state == FINISHED and job.record.test.images == 10_000
    weights = [w.copy() for w in job.model.get_weights()]
    job.continue_training(1)
    job.join(120)
    assert job.state == FINISHED and job.record.epochs_trained == 2
    assert [e.epoch for e in job.record.epochs] == [0, 1]
    assert any(not np.array_equal(a, b) for a, b in zip(weights, job.model.get_weights(), strict=True))


@pytest.mark.slow
def test_stopped_job_keeps_the_model_and_the_partial_history():
    job = TrainingJob(TrainingSettings(train_size=20_000, epochs=3, batch_size=32), slots=TrainingSlots(1))
    job.start()
    wait_until(lambda: len(job.record.batches) >= 20)
    job.request_stop()
    job.join(120)
    assert job.state == STOPPED and job.record.stopped_early
    assert len(job.record.batches) < 3 * 563 and job.record.epochs[-1].complete is False
    assert job.model is not None and job.record.test is not None


@pytest.mark.slow
def test_continue_after_stop_draws_on_from_where_training_stood():
    job = TrainingJob(TrainingSettings(train_size=5_000, epochs=3, batch_size=32), slots=TrainingSlots(1))
    job.start()
    wait_until(lambda: len(job.record.batches) >= 20)
    job.request_stop()
    job.join(120)
    stopped_at = job.record.epochs[-1].position
    job.continue_training(1)
    job.join(120)
    positions = [point.position for point in job.record.batches]
    assert job.state == FINISHED and 0 < stopped_at < 1
    assert all(later > earlier for earlier, later in zip(positions, positions[1:], strict=False))
    assert job.record.epochs[-1].position == pytest.approx(stopped_at + 1)


@pytest.mark.slow
def test_job_nobody_watches_stops_by_itself():
    job = TrainingJob(TrainingSettings(train_size=20_000, epochs=3), slots=TrainingSlots(1), abandon_after=1.0)
    job.start()
    job.join(120)
    assert job.state == STOPPED and "not watching" in job.stop_reason


@pytest.mark.slow
def test_job_of_a_closed_tab_stops_after_the_grace_period():
    job = TrainingJob(
        TrainingSettings(train_size=20_000, epochs=3),
        slots=TrainingSlots(1),
        session_alive=lambda: False,
        disconnect_grace=0.5,
    )
    job.start()
    job.join(120)
    assert job.state == STOPPED and "closed" in job.stop_reason


def test_job_waits_for_a_free_slot_and_can_leave_the_queue():
    slots = TrainingSlots(1)
    slots.acquire()
    job = TrainingJob(TrainingSettings(train_size=300, epochs=1), slots=slots)
    job.start()
    time.sleep(0.3)
    assert job.state == WAITING and slots.waiting == 1
    job.request_stop()
    job.join(10)
    assert job.state == CANCELLED and job.model is None and slots.in_use == 1


def test_job_reports_a_failure_as_a_sentence():
    class Tiny:
        x_train = np.zeros((10, 28, 28), np.uint8)
        y_train = np.zeros(10, np.uint8)
        source = "ten blank digits"

    job = TrainingJob(TrainingSettings(train_size=300, epochs=1), slots=TrainingSlots(1), data=Tiny())
    job.start()
    job.join(60)
    assert job.state == FAILED and "only 10 training images" in job.error
