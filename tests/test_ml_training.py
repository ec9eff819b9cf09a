"""cnnviz.ml.training: settings and caps, building the model, the live callback, fit."""

import keras
import numpy as np
import pytest

from cnnviz.ml import batches as batches_module
from cnnviz.ml.models import CnnConfig
from cnnviz.ml.training import (
    LiveCallback,
    RunRecord,
    TrainingCaps,
    TrainingSettings,
    build_model,
    fit,
    load_training_data,
)

pytestmark = pytest.mark.tf

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


# Fit and the background job (real training, small)


@pytest.mark.slow
def test_fit_records_every_batch_and_epoch():
    settings = TrainingSettings(train_size=1_000, epochs=2, batch_size=100)
    record = RunRecord(run_id=1, settings=settings)
    fit(build_model(settings), settings, load_training_data(), record)
    assert len(record.batches) == 2 * 9 and [e.complete for e in record.epochs] == [True, True]
    assert record.epochs[-1].val_accuracy is not None and record.fit_seconds > 0


@pytest.mark.slow
def test_the_first_layers_filters_are_kept_at_the_start_and_after_every_epoch_and_continue():
    settings = TrainingSettings(train_size=1_000, epochs=2, batch_size=100)
    record = RunRecord(run_id=1, settings=settings)
    model = build_model(settings)
    start = np.moveaxis(np.asarray(model.get_layer("conv1").kernel)[:, :, 0, :], -1, 0).copy()  # (32, 3, 3)
    data = load_training_data()

    fit(model, settings, data, record)
    fit(model, settings, data, record, epochs=1)  # Continue

    assert [snapshot.position for snapshot in record.filters] == [0.0, 1.0, 2.0, 3.0]
    np.testing.assert_array_equal(record.filters[0].filters, start)
    final = np.moveaxis(np.asarray(model.get_layer("conv1").kernel)[:, :, 0, :], -1, 0)
    np.testing.assert_array_equal(record.filters[-1].filters, final)
    assert not np.array_equal(record.filters[1].filters, start)  # they learned


@pytest.mark.slow
def test_trainings_one_after_another_leave_no_traced_graph_behind():
    """Keras' optimizer all-reduces the gradients in its traced step even with one replica, and that kept
    each trained model's step, with every variable, alive for good (make_optimizer leaves it out)."""
    import gc

    from tensorflow.python.framework.func_graph import FuncGraph

    def train_and_count_graphs(seeds):
        data = load_training_data()
        for seed in seeds:
            settings = TrainingSettings(train_size=300, epochs=1, batch_size=100, seed=seed)
            fit(build_model(settings), settings, data, RunRecord(run_id=seed, settings=settings))
        gc.collect()
        return sum(isinstance(thing, FuncGraph) for thing in gc.get_objects())

    after_two = train_and_count_graphs(range(2))
    assert train_and_count_graphs(range(2, 6)) <= after_two


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


def test_a_long_run_keeps_a_bounded_record_with_the_same_mean():
    from cnnviz.ml.training import MAX_BATCH_POINTS, BatchPoint, Progress, RunRecord, TrainingSettings

    record = RunRecord(run_id=1, settings=TrainingSettings())
    rng = np.random.default_rng(0)
    losses = rng.uniform(0, 2, size=75_000)  # batch 16 × 60,000 images × 20 epochs
    for start in range(0, len(losses), 500):
        points = tuple(
            BatchPoint(
                epoch=0,
                batch=i + 1,
                position=i / 1000,
                loss=loss,
                accuracy=0.5,
                mean_loss=loss,
                mean_accuracy=0.5,
                images=16,
            )
            for i, loss in enumerate(losses[start : start + 500], start=start)
        )
        record.add_batches(Progress(0, 0, 1, 0, 1, 0.0, None, new_points=points))
    assert len(record.batches) <= MAX_BATCH_POINTS
    assert sum(point.images for point in record.batches) == 16 * len(losses)
    weighted = sum(point.loss * point.images for point in record.batches) / (16 * len(losses))
    assert weighted == pytest.approx(losses.mean())
    assert record.batches[-1].position == pytest.approx((len(losses) - 1) / 1000)


def test_an_epoch_cut_short_by_stop_is_not_counted_as_trained():
    from cnnviz.ml.training import EpochPoint, RunRecord

    def epoch(index, batches, complete):
        return EpochPoint(index, batches, index + 1, complete, 0.1, 0.9, None, None, 1.0)

    record = RunRecord(run_id=1, settings=TrainingSettings())
    record.epochs = [epoch(i, 100, True) for i in range(13)] + [epoch(13, 74, False)]
    assert record.epochs_trained == 13 and record.stopped_batches == 74
    record.epochs.append(epoch(13, 100, True))  # Continue trains epoch 14 again, in full
    assert record.epochs_trained == 14 and record.stopped_batches == 0
