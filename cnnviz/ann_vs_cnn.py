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

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

from cnnviz.data import load_mnist, load_sample

RESULTS_PATH = Path(__file__).with_name("ann_vs_cnn_results.json")
MLP, CNN, DEEP_CNN = "mlp", "cnn", "deep_cnn"
MODEL_LABELS = {
    MLP: "Dense network (MLP): 784 → 100 → 10",
    CNN: "Course CNN: conv 32 → pool → 100 → 10",
    DEEP_CNN: "Deeper CNN: (conv 32 → pool) → (conv 64 → pool) → 100 → 10",
}
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))  # (rows, columns): right, left, down, up


@dataclass(frozen=True)
class ExperimentConfig:
    """How much data and training every model gets; the defaults are the run shipped with the app."""

    train_size: int = 20_000  # first digits of the training set
    test_size: int = 10_000  # first digits of the test set
    epochs: int = 3
    batch_size: int = 128
    max_shift: int = 6  # shifts 0, 1, ..., max_shift pixels
    hidden_units: int = 100  # of the MLP's hidden layer, as the CNN's Dense(100)
    seed: int = 0
    models: tuple = (MLP, CNN, DEEP_CNN)

    def __post_init__(self):
        unknown = [kind for kind in self.models if kind not in MODEL_LABELS]
        if unknown or not self.models:
            raise ValueError(f"models must be some of {', '.join(MODEL_LABELS)}; got {self.models!r}.")
        for name, low in (("train_size", 100), ("test_size", 10), ("epochs", 1), ("batch_size", 1), ("seed", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}.")
        if isinstance(self.max_shift, bool) or not isinstance(self.max_shift, int) or not 0 <= self.max_shift <= 14:
            raise ValueError(f"max_shift must be a whole number of pixels from 0 to 14, got {self.max_shift!r}.")


@dataclass(frozen=True)
class ModelResult:
    """What one model scored."""

    label: str
    params: int
    accuracy_by_shift: list  # test accuracy for shifts 0, 1, ..., max_shift pixels
    permuted_accuracy: float  # test accuracy when trained and tested on pixel-shuffled digits
    train_seconds: float  # both trainings of this model

    @property
    def accuracy(self):
        """Test accuracy on ordinary (unshifted, unshuffled) digits."""
        return self.accuracy_by_shift[0]


@dataclass(frozen=True)
class ExperimentResults:
    config: ExperimentConfig
    data_source: str
    models: dict  # MLP / CNN / DEEP_CNN → ModelResult
    run_seconds: float
    versions: dict = field(default_factory=dict)

    @property
    def shifts(self):
        return list(range(self.config.max_shift + 1))

    def to_json(self):
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text):
        raw = json.loads(text)
        config = dict(raw["config"])
        config["models"] = tuple(config.get("models", raw["models"]))
        return cls(
            config=ExperimentConfig(**config),
            data_source=raw["data_source"],
            models={key: ModelResult(**value) for key, value in raw["models"].items()},
            run_seconds=raw["run_seconds"],
            versions=raw.get("versions", {}),
        )


def load_results(path=RESULTS_PATH):
    """The precomputed results shipped with the package (made by scripts/ann_vs_cnn.py)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"No results at {path}; make them with `python scripts/ann_vs_cnn.py`.")
    return ExperimentResults.from_json(path.read_text())


# The data


def shift_digits(images, rows, cols):
    """Move every image of (N, 28, 28) by whole pixels (positive: down / right); what leaves the frame is lost."""
    images = np.asarray(images)
    return ndimage.shift(images, (0, rows, cols), order=0, mode="constant", cval=0)


def pixel_permutation(seed=0, pixels=28 * 28):
    """One fixed shuffle of the pixel positions: `flat_image[permutation]` is the shuffled image."""
    return np.random.default_rng(seed).permutation(pixels)


def permute_pixels(images, permutation):
    """(N, 28, 28) images with their pixels moved by `permutation`, the same move for every image."""
    images = np.asarray(images)
    return images.reshape(len(images), -1)[:, permutation].reshape(images.shape)


def _as_input(images):
    return np.asarray(images, dtype=np.float32)[..., None] / 255.0  # (N, 28, 28, 1) in [0, 1]


# The models


def build_mlp(hidden_units=100):
    """Flatten → Dense(hidden_units, relu) → Dense(10, softmax): every pixel connected to every unit."""
    import keras

    from cnnviz.models import INPUT_SHAPE, NUM_CLASSES, compile_classifier, make_optimizer

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
    from cnnviz.models import CnnConfig, build_cnn, build_seed_cnn

    if kind == MLP:
        return build_mlp(config.hidden_units)
    if kind == CNN:
        return build_seed_cnn()
    return build_cnn(CnnConfig(conv_blocks=2, padding="valid", dense_units=config.hidden_units))


def _train(kind, config, images, labels):
    import keras

    keras.utils.set_random_seed(config.seed)
    model = _build(kind, config)
    model.fit(_as_input(images), labels, epochs=config.epochs, batch_size=config.batch_size, verbose=0)
    return model


def accuracy(model, images, labels, batch_size=1000):
    """Share of `images` (uint8, (N, 28, 28)) the model labels right."""
    inputs = _as_input(images)
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


def run_experiment(config=None, data=None, on_progress=None):
    """Train each model of `config.models` on ordinary, then on shuffled digits; returns ExperimentResults.

    data: ((x_train, y_train), (x_test, y_test)) uint8 as keras' load_data gives; default
    `cnnviz.data.load_mnist()` (set $CNNVIZ_MNIST for the full set).
    on_progress: called with a short sentence before each step.
    """
    import keras

    config = config or ExperimentConfig()
    report = on_progress or (lambda message: None)
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
    return ExperimentResults(
        config=config,
        data_source=_describe(data),
        models=models,
        run_seconds=round(time.perf_counter() - start, 1),
        versions={"keras": keras.__version__, "backend": keras.backend.backend()},
    )
