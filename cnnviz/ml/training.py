"""Training a CNN on MNIST: the settings, a callback that reports as it goes, and the run's record."""

import math
import os
import time
from dataclasses import dataclass, field
from functools import cache

import keras
import numpy as np

from cnnviz.core.input_layer import to_model_input
from cnnviz.data.augment import Augmentation
from cnnviz.data.mnist import load_mnist
from cnnviz.ml.batches import TrainingBatches
from cnnviz.ml.models import (
    OPTIMIZERS,
    CnnConfig,
    build_cnn,
    build_seed_cnn,
    compile_classifier,
    make_optimizer,
)
from cnnviz.ml.seeding import SEED_RANGE, seed_model
from cnnviz.ml.slots import env_whole_number

ENV_MAX_EPOCHS = "CNNVIZ_MAX_EPOCHS"
ENV_MAX_TRAIN_SIZE = "CNNVIZ_MAX_TRAIN_SIZE"
MIN_TRAIN_SIZE = 100
MAX_BATCH_SIZE = 2048
MAX_VALIDATION_SPLIT = 0.5
MAX_BATCH_POINTS = 2_000  # a run record keeps at most this many batch points; older ones are merged in pairs
AUGMENTATION = Augmentation()  # what the augmentation switch applies: the shipped model's ranges


@dataclass(frozen=True)
class TrainingCaps:
    """Upper bounds that keep a hosted demo's work bounded; set by $CNNVIZ_MAX_EPOCHS and $CNNVIZ_MAX_TRAIN_SIZE."""

    max_epochs: int = 20
    max_train_size: int = 60_000

    @classmethod
    def from_env(cls):
        return cls(
            max_epochs=env_whole_number(ENV_MAX_EPOCHS, cls.max_epochs),
            max_train_size=env_whole_number(ENV_MAX_TRAIN_SIZE, cls.max_train_size),
        )


@dataclass(frozen=True)
class TrainingSettings:
    """Everything that decides a training run. `model=None` is the classic course model (`build_seed_cnn`).

    The defaults reach about 98% test accuracy in two epochs (54,000 images seen) in well under a
    minute on two cores; see benchmarks/training_defaults.py.

    The last `validation_split` of the first `train_size` training images is held out for validation,
    as `model.fit(validation_split=...)` does.
    """

    model: CnnConfig | None = None
    epochs: int = 2
    batch_size: int = 64
    learning_rate: float = 1e-3
    optimizer: str = "adam"
    train_size: int = 30_000
    validation_split: float = 0.1
    augmentation: bool = False  # each training image turned, shifted, zoomed, slanted a little (AUGMENTATION)
    seed: int = 1  # this run's initial weights, batch order and augmentation (see cnnviz.ml.seeding)

    def __post_init__(self):
        caps = TrainingCaps.from_env()
        if self.model is not None and not isinstance(self.model, CnnConfig):
            raise ValueError(f"model must be None (the classic model) or a CnnConfig, got {self.model!r}.")
        _check_whole("epochs", self.epochs, 1, caps.max_epochs, f"${ENV_MAX_EPOCHS}")
        _check_whole("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        _check_whole("train_size", self.train_size, MIN_TRAIN_SIZE, caps.max_train_size, f"${ENV_MAX_TRAIN_SIZE}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}, got {self.optimizer!r}.")
        if isinstance(self.learning_rate, bool) or not isinstance(self.learning_rate, int | float):
            raise ValueError(f"learning_rate must be a number, got {self.learning_rate!r}; try 0.001.")
        if not 0 < self.learning_rate <= 1:
            raise ValueError(f"learning_rate must be in (0, 1], got {self.learning_rate!r}; try 0.001.")
        if isinstance(self.validation_split, bool) or not isinstance(self.validation_split, int | float):
            raise ValueError(f"validation_split must be a fraction, got {self.validation_split!r}; try 0.1.")
        if not 0 <= self.validation_split <= MAX_VALIDATION_SPLIT:
            raise ValueError(
                f"validation_split must be from 0 to {MAX_VALIDATION_SPLIT}, got {self.validation_split!r}; "
                "0 trains on every image and skips validation."
            )
        _check_whole("seed", self.seed, 0, SEED_RANGE - 1)
        if not isinstance(self.augmentation, bool):
            raise ValueError(f"augmentation must be True or False, got {self.augmentation!r}.")
        if self.fit_size < 1:
            raise ValueError(f"validation_split={self.validation_split} leaves no image to train on.")

    @property
    def fit_size(self):
        """Images trained on, counted as Keras' validation_split does: floor(train_size * (1 - split))."""
        return math.floor(self.train_size * (1.0 - self.validation_split))

    @property
    def validation_size(self):
        return self.train_size - self.fit_size

    def model_label(self):
        """'classic model', or the custom model's choices: 'custom 2×(32 filters 3×3) max pool, dense 128'."""
        if self.model is None:
            return "classic model"
        config = self.model
        text = f"custom {config.conv_blocks}×({config.filters} filters {config.kernel_size}×{config.kernel_size})"
        text += f" {config.pooling} pool, dense {config.dense_units}"
        if config.dropout:
            text += f", dropout {config.dropout:g}"
        return text + (", batch norm" if config.batch_norm else "")

    def label(self, epochs=None):
        """Short text naming the settings, for a legend: 'classic model · adam 0.001 · batch 128 · 20k × 2 ep'."""
        size = f"{self.train_size / 1000:g}k" if self.train_size >= 1000 else str(self.train_size)
        text = f"{self.model_label()} · {self.optimizer} {self.learning_rate:g} · batch {self.batch_size}"
        text += f" · {size} × {self.epochs if epochs is None else epochs} ep"
        return text + (" · augmented" if self.augmentation else "")


def _check_whole(name, value, low, high, cap_var=None):
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        hint = f" (the cap is set by {cap_var})" if cap_var else ""
        raise ValueError(f"{name} must be a whole number from {low} to {high}{hint}, got {value!r}.")


# Prepare the data


def load_training_data():
    """MNIST from the best source available (see `cnnviz.data.mnist.load_mnist`), loaded once per process."""
    return _load_cached(os.environ.get("CNNVIZ_MNIST", ""))


@cache
def _load_cached(_source_key):
    return load_mnist().read_only()


def training_arrays(settings, data):
    """The first `train_size` training images, normalised, and their labels."""
    available = len(data.x_train)
    if settings.train_size > available:
        raise ValueError(
            f"train_size={settings.train_size:,} but only {available:,} training images are loaded "
            f"({data.source}); choose at most {available:,}."
        )
    return to_model_input(data.x_train[: settings.train_size]), np.asarray(data.y_train[: settings.train_size])


# Build the model


def build_model(settings):
    """A fresh model for `settings`, compiled with its optimizer and learning rate, its weights drawn from
    `settings.seed`."""
    model = build_seed_cnn() if settings.model is None else build_cnn(settings.model, compile=False)
    compile_classifier(model, make_optimizer(settings.optimizer, settings.learning_rate))
    return seed_model(model, settings.seed)


# Train, reporting as it goes


@dataclass(frozen=True)
class BatchPoint:
    """Metrics of one batch. Keras reports means over the epoch so far (`mean_loss`, `mean_accuracy`);
    `loss` and `accuracy` are this batch's own, recovered from two successive means."""

    epoch: int  # 0-based, counting on across Continue
    batch: int  # batches completed in this epoch, 1-based
    position: float  # epochs of training so far, fractional (a stopped epoch counts its part)
    loss: float
    accuracy: float
    mean_loss: float
    mean_accuracy: float
    images: int = 1  # in this batch (the last of an epoch may be short)


@dataclass(frozen=True)
class EpochPoint:
    """Metrics at the end of an epoch; `complete` is False when Stop ended it early."""

    epoch: int
    batches: int
    position: float  # epochs of training when it ended
    complete: bool
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    seconds: float


@dataclass(frozen=True)
class Progress:
    """Where a fit is: for a progress bar, elapsed time, ETA and throughput."""

    epoch: int  # 0-based epoch running now
    first_epoch: int
    last_epoch: int  # exclusive: the `epochs` passed to fit
    batch: int  # batches completed in this epoch
    batches_per_epoch: int
    elapsed: float  # seconds since this fit began
    images_per_second: float | None
    new_points: tuple = ()  # BatchPoints since the previous report

    @property
    def fraction(self):
        total = (self.last_epoch - self.first_epoch) * self.batches_per_epoch
        done = (self.epoch - self.first_epoch) * self.batches_per_epoch + self.batch
        return min(done / total, 1.0) if total else 1.0

    @property
    def eta(self):
        """Seconds left at the pace so far (validation included); None for the first few batches,
        whose pace includes TensorFlow preparing the model."""
        done = (self.epoch - self.first_epoch) * self.batches_per_epoch + self.batch
        if done < 5 or self.fraction <= 0:
            return None
        return self.elapsed * (1 - self.fraction) / self.fraction


class LiveCallback(keras.callbacks.Callback):
    """Reports training to plain callables, so a page, a notebook or a test decides how to show it.

    on_batch(progress): at most every `every_seconds` (and at each epoch's last batch), with every
        BatchPoint since the previous call in `progress.new_points`, so none is lost to throttling.
    on_epoch(point, progress): after each epoch, with validation metrics.
    should_stop(): checked after each batch; True ends training there, keeping the weights so far.
    start_position: epochs trained before this fit (fractional), where the positions go on from;
        default: the fit's first epoch number.
    """

    def __init__(
        self,
        on_batch=None,
        on_epoch=None,
        *,
        should_stop=None,
        every_seconds=0.5,
        batch_size=None,
        images_per_epoch=None,
        start_position=None,
    ):
        super().__init__()
        self.start_position = start_position
        self.on_batch = on_batch
        self.on_epoch = on_epoch
        self.should_stop = should_stop
        self.every_seconds = every_seconds
        self.batch_size = batch_size
        self.images_per_epoch = images_per_epoch
        self.stopped_early = False

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._last_report = self._start
        self._pending = []
        self._images = 0
        self._epoch = 0
        self._first_epoch = None
        self._offset = 0.0
        self._batch = 0
        self.stopped_early = False

    def on_epoch_begin(self, epoch, logs=None):
        if self._first_epoch is None:
            self._first_epoch = epoch
            # positions go on from where training stood, even after an epoch cut short by Stop
            self._offset = 0.0 if self.start_position is None else self.start_position - epoch
        self._epoch = epoch
        self._batch = 0
        self._seen = 0  # images of this epoch so far
        self._means = (0.0, 0.0)
        self._epoch_start = time.perf_counter()

    def _batch_images(self, steps):
        """Images in the batch just done: batch_size, less in a short last batch (1 when unknown)."""
        if not self.batch_size:
            return 1
        if self.images_per_epoch and self._batch == steps:
            return self.images_per_epoch - (steps - 1) * self.batch_size
        return self.batch_size

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        self._batch = batch + 1
        steps = self._steps()
        size = self._batch_images(steps)
        self._images += size
        seen_before, self._seen = self._seen, self._seen + size
        mean_loss, mean_accuracy = float(logs.get("loss", np.nan)), float(logs.get("accuracy", np.nan))
        self._pending.append(
            BatchPoint(
                epoch=self._epoch,
                batch=self._batch,
                position=self._offset + self._epoch + self._batch / steps,
                loss=(mean_loss * self._seen - self._means[0] * seen_before) / size,
                accuracy=(mean_accuracy * self._seen - self._means[1] * seen_before) / size,
                mean_loss=mean_loss,
                mean_accuracy=mean_accuracy,
                images=size,
            )
        )
        self._means = (mean_loss, mean_accuracy)
        if self.should_stop is not None and self.should_stop():
            self.model.stop_training = True
            self.stopped_early = True
        now = time.perf_counter()
        if now - self._last_report >= self.every_seconds or self._batch == steps or self.stopped_early:
            self._report(now)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._pending:
            self._report(time.perf_counter())
        if self.on_epoch is not None:
            point = EpochPoint(
                epoch=epoch,
                batches=self._batch,
                position=self._offset + epoch + self._batch / self._steps(),
                complete=self._batch == self._steps(),
                loss=float(logs.get("loss", np.nan)),
                accuracy=float(logs.get("accuracy", np.nan)),
                val_loss=_optional_float(logs.get("val_loss")),
                val_accuracy=_optional_float(logs.get("val_accuracy")),
                seconds=time.perf_counter() - self._epoch_start,
            )
            self.on_epoch(point, self._progress(time.perf_counter(), ()))

    def _steps(self):
        return max(int(self.params.get("steps") or 1), 1)

    def _progress(self, now, points):
        elapsed = now - self._start
        return Progress(
            epoch=self._epoch,
            first_epoch=self._first_epoch if self._first_epoch is not None else 0,
            last_epoch=int(self.params.get("epochs") or 1),
            batch=self._batch,
            batches_per_epoch=self._steps(),
            elapsed=elapsed,
            images_per_second=self._images / elapsed if self.batch_size and elapsed > 0 else None,
            new_points=tuple(points),
        )

    def _report(self, now):
        points, self._pending = self._pending, []
        self._last_report = now
        if self.on_batch is not None:
            self.on_batch(self._progress(now, points))


def _optional_float(value):
    return None if value is None else float(value)


# A run's record


@dataclass
class TestResults:
    """How the model does on the MNIST test set."""

    loss: float
    accuracy: float
    predicted: np.ndarray  # (N,) digit predicted for each test image
    confidence: np.ndarray  # (N,) softmax probability of that prediction
    images: int


@dataclass(frozen=True)
class FilterSnapshot:
    """The first conv layer's kernels at one moment of a run: at the start, then after each epoch."""

    position: float  # epochs trained when it was taken: 0 at the start, then each epoch's end
    filters: np.ndarray  # (filters, k, k) float32, for the grey input channel


@dataclass
class RunRecord:
    """One training run: its settings, every batch and epoch, timings and test results.

    Filled in by the thread that trains; read by the page. Continue adds epochs to the same record.
    """

    run_id: int
    settings: TrainingSettings
    data_source: str = ""
    parameters: int = 0
    batches: list = field(default_factory=list)  # BatchPoint
    epochs: list = field(default_factory=list)  # EpochPoint
    fit_seconds: float = 0.0
    images_per_second: float | None = None
    stopped_early: bool = False
    test: TestResults | None = None
    filters: list = field(default_factory=list)  # FilterSnapshot: the start, then one per epoch

    @property
    def epochs_trained(self):
        """Whole epochs: one that Stop cut short is not counted (Continue trains it again from its start)."""
        return sum(point.complete for point in self.epochs)

    @property
    def stopped_batches(self):
        """Batches of the last epoch when Stop cut it short; 0 when it ran to its end."""
        last = self.epochs[-1] if self.epochs else None
        return last.batches if last is not None and not last.complete else 0

    @property
    def label(self):
        text = f"Run {self.run_id}: {self.settings.label(epochs=self.epochs_trained or self.settings.epochs)}"
        return text + (" (stopped)" if self.stopped_early else "")

    def add_batches(self, progress):
        batches = self.batches + list(progress.new_points)
        while len(batches) > MAX_BATCH_POINTS:
            batches = merge_pairs(batches)
        self.batches = batches  # one assignment: a page copying the list meanwhile sees the old or the new

    def add_filters(self, snapshot):
        self.filters = [*self.filters, snapshot]  # one assignment, as for the batches

    def add_epoch(self, point, progress):
        self.epochs.append(point)
        if progress.images_per_second:
            self.images_per_second = progress.images_per_second


def merge_pairs(points):
    """Halve a run's batch points: each two neighbours become one, their loss and accuracy weighted by their
    images, at the later one's place (an odd last point stays as it is). The smoothed curve keeps its shape,
    and a long run's record stops growing."""
    merged = []
    for first, second in zip(points[0::2], points[1::2], strict=False):
        images = first.images + second.images
        merged.append(
            BatchPoint(
                epoch=second.epoch,
                batch=second.batch,
                position=second.position,
                loss=(first.loss * first.images + second.loss * second.images) / images,
                accuracy=(first.accuracy * first.images + second.accuracy * second.images) / images,
                mean_loss=second.mean_loss,
                mean_accuracy=second.mean_accuracy,
                images=images,
            )
        )
    if len(points) % 2:
        merged.append(points[-1])
    return merged


def fit(model, settings, data, record, *, epochs=None, on_batch=None, on_epoch=None, should_stop=None, every=0.5):
    """Train `model` for `epochs` more epochs (default settings.epochs), appending to `record`.

    on_batch / on_epoch are called as LiveCallback calls them, after the record is updated.
    Returns the LiveCallback (its `stopped_early` says whether should_stop ended the fit).
    """
    x_train, y_train = training_arrays(settings, data)
    if not record.filters:
        _keep_filters(model, record, 0.0)

    def batch_reported(progress):
        record.add_batches(progress)
        if on_batch is not None:
            on_batch(progress)

    def epoch_reported(point, progress):
        record.add_epoch(point, progress)
        _keep_filters(model, record, point.position)
        if on_epoch is not None:
            on_epoch(point, progress)

    callback = LiveCallback(
        batch_reported,
        epoch_reported,
        should_stop=should_stop,
        every_seconds=every,
        batch_size=settings.batch_size,
        images_per_epoch=settings.fit_size,
        start_position=record.epochs[-1].position if record.epochs else 0.0,
    )
    first_epoch = record.epochs_trained
    epochs = first_epoch + (settings.epochs if epochs is None else epochs)
    started = time.perf_counter()
    fit_size = settings.fit_size  # the last images are held out, as fit(validation_split=...) would
    batches = TrainingBatches(  # this run's own order (and augmentation), from its seed alone
        x_train[:fit_size],
        y_train[:fit_size],
        settings.batch_size,
        AUGMENTATION if settings.augmentation else None,
        seed=settings.seed,
        first_epoch=first_epoch,
    )
    validation = (x_train[fit_size:], y_train[fit_size:]) if settings.validation_size else None
    model.fit(
        batches,
        epochs=epochs,
        initial_epoch=first_epoch,
        validation_data=validation,
        shuffle=False,  # the batches shuffle themselves, by their seed
        callbacks=[callback],
        verbose=0,
    )
    record.fit_seconds += time.perf_counter() - started
    record.stopped_early = callback.stopped_early
    record.parameters = model.count_params()
    return callback


def _keep_filters(model, record, position):
    """Add a FilterSnapshot of the model's first conv layer to the record (nothing for a model without one)."""
    from cnnviz.ml.evaluation import first_layer_filters

    try:
        filters = first_layer_filters(model)
    except ValueError:
        return
    record.add_filters(FilterSnapshot(position, filters.astype(np.float32)))
