"""Keras CNNs for MNIST: the course's seed model, a configurable family, and the shipped pretrained model."""

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import keras

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"  # beside the package, in the checkout
PRETRAINED_PATH = MODELS_DIR / "cnnviz_mnist.keras"
ENV_MODEL = "CNNVIZ_MODEL"  # another .keras file to serve instead of the shipped one

PADDINGS = ("valid", "same")
POOLINGS = ("max", "average")
OPTIMIZERS = ("adam", "sgd", "rmsprop")


log = logging.getLogger(__name__)


class ModelLoadError(ValueError, RuntimeError):
    """The model file is missing, unreadable, or not a model this app can use."""


@dataclass(frozen=True)
class CnnConfig:
    """One CNN of the family: `conv_blocks` blocks of convolutions + pooling, then one dense layer.

    Block b (1-based) has `convs_per_block` Conv2D layers of `filters * 2**(b-1)` filters
    (32, 64, 128, ... with the default), each with ReLU and, if `batch_norm`, a BatchNormalization
    after it; then a 2×2 pooling layer. `dropout` is the rate applied before the output layer.
    """

    conv_blocks: int = 2
    filters: int = 32
    convs_per_block: int = 1
    kernel_size: int = 3
    padding: str = "same"
    pooling: str = "max"
    dense_units: int = 128
    dropout: float = 0.0
    batch_norm: bool = False
    learning_rate: float = 1e-3
    optimizer: str = "adam"

    def __post_init__(self):
        _check_int("conv_blocks", self.conv_blocks, 1, 4)
        _check_int("filters", self.filters, 1, 256)
        _check_int("convs_per_block", self.convs_per_block, 1, 3)
        _check_int("kernel_size", self.kernel_size, 1, 7)
        _check_int("dense_units", self.dense_units, 1, 1024)
        _check_choice("padding", self.padding, PADDINGS)
        _check_choice("pooling", self.pooling, POOLINGS)
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        if not isinstance(self.batch_norm, bool):
            raise ValueError(f"batch_norm must be True or False, got {self.batch_norm!r}.")
        if not isinstance(self.dropout, int | float) or not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be a rate in [0, 1), got {self.dropout!r}; 0 turns dropout off.")
        if not isinstance(self.learning_rate, int | float) or not 0.0 < self.learning_rate <= 1.0:
            raise ValueError(f"learning_rate must be in (0, 1], got {self.learning_rate!r}; try 0.001.")
        sizes = self.feature_map_sizes()
        if sizes[-1] < 1:
            raise ValueError(
                f"{self.conv_blocks} blocks of {self.convs_per_block} {self.kernel_size}×{self.kernel_size} "
                f"convolutions with padding={self.padding!r} shrink the 28×28 image to nothing "
                f"(sizes {sizes}); use fewer blocks, a smaller kernel, or padding='same'."
            )

    def block_filters(self):
        """Number of filters in each block: doubles from one block to the next."""
        return [self.filters * 2**block for block in range(self.conv_blocks)]

    def feature_map_sizes(self):
        """Side of the square feature map after each block, starting with the 28-pixel input."""
        sizes = [INPUT_SHAPE[0]]
        for _ in range(self.conv_blocks):
            side = sizes[-1]
            if self.padding == "valid":
                side -= self.convs_per_block * (self.kernel_size - 1)
            sizes.append(max(side, 0) // 2)
        return sizes


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}.")


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}.")


def make_optimizer(name="adam", learning_rate=1e-3):
    """A fresh Keras optimizer by plain name ('adam', 'sgd', 'rmsprop'); `learning_rate` may be a schedule."""
    _check_choice("optimizer", name, OPTIMIZERS)
    if name == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    elif name == "rmsprop":
        optimizer = keras.optimizers.RMSprop(learning_rate=learning_rate)
    else:
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    return _without_one_replica_all_reduce(optimizer)


def _without_one_replica_all_reduce(optimizer):
    """Skip the gradients' all-reduce when there is one replica, where summing over replicas changes nothing.

    Keras' TensorFlow optimizer (3.15) all-reduces the gradients in every training step, through the
    default distribution strategy when none is set; traced, that all-reduce keeps the training step's
    graph, and with it every variable of the model and of the optimizer, alive for as long as the
    process lives: about 15 MB a training for the classic model (benchmarks/training_memory.py). A
    server that trains for a class all day cannot carry that.
    """
    if keras.backend.backend() != "tensorflow" or not hasattr(optimizer, "_all_reduce_sum_gradients"):
        return optimizer
    import tensorflow as tf

    if tf.distribute.has_strategy() or tf.distribute.get_strategy().num_replicas_in_sync != 1:
        return optimizer
    optimizer._all_reduce_sum_gradients = list  # (gradient, variable) pairs as they are
    return optimizer


def compile_classifier(model, optimizer):
    """Compile for integer labels 0–9: sparse categorical cross-entropy, accuracy."""
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def build_seed_cnn():
    """The classic course model: Conv2D(32, 3×3) → MaxPool 2×2 → Flatten → Dense(100) → Dense(10, softmax)."""
    model = keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE, name="image"),
            keras.layers.Conv2D(32, 3, activation="relu", name="conv1"),  # (26, 26, 32)
            keras.layers.MaxPooling2D(2, name="pool1"),  # (13, 13, 32)
            keras.layers.Flatten(name="flatten"),  # (5408,)
            keras.layers.Dense(100, activation="relu", name="dense1"),
            keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output"),
        ],
        name="seed_cnn",
    )
    return compile_classifier(model, make_optimizer("adam"))


def build_cnn(config=None, *, compile=True):
    """A CNN described by `config` (a CnnConfig; default CnnConfig()), compiled unless `compile=False`.

    Layers are named conv1, conv2, ... (numbered across blocks), bn1, ... (after the conv of the same
    number), pool1, pool2, ... (one per block), flatten, dense1, dropout, output.
    """
    config = CnnConfig() if config is None else config
    if not isinstance(config, CnnConfig):
        raise ValueError(f"config must be a CnnConfig, got {type(config).__name__}; build one with CnnConfig(...).")
    pool_layer = keras.layers.MaxPooling2D if config.pooling == "max" else keras.layers.AveragePooling2D
    layers = [keras.Input(shape=INPUT_SHAPE, name="image")]
    conv_number = 0
    for block, filters in enumerate(config.block_filters(), start=1):
        for _ in range(config.convs_per_block):
            conv_number += 1
            layers.append(
                keras.layers.Conv2D(
                    filters,
                    config.kernel_size,
                    padding=config.padding,
                    activation="relu",
                    name=f"conv{conv_number}",
                )
            )
            if config.batch_norm:
                layers.append(keras.layers.BatchNormalization(name=f"bn{conv_number}"))
        layers.append(pool_layer(2, name=f"pool{block}"))
    layers += [
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(config.dense_units, activation="relu", name="dense1"),
    ]
    if config.dropout > 0:
        layers.append(keras.layers.Dropout(config.dropout, name="dropout"))
    layers.append(keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output"))
    model = keras.Sequential(layers, name="cnn")
    if compile:
        compile_classifier(model, make_optimizer(config.optimizer, config.learning_rate))
    return model


def load_pretrained(path=None):
    """The shipped MNIST model, loaded from a native `.keras` file with `safe_mode=True`.

    `path` defaults to $CNNVIZ_MODEL, else PRETRAINED_PATH.
    Raises ModelLoadError with a sentence the app can show when the file is missing or unusable: it names
    the file, never the folder it is in on the server (the server's log has the full path and detail).
    """
    path = Path(path or os.environ.get(ENV_MODEL) or PRETRAINED_PATH)
    if not path.is_file():
        log.error("No model file at %s", path)
        raise ModelLoadError(
            f"No model file {path.name} on this server. The pretrained model ships in the repository's models/ folder; "
            "restore it with git, or retrain it with `python scripts/train_pretrained.py`."
        )
    if path.suffix != ".keras":
        raise ModelLoadError(f"{path.name} is not a native Keras file; expected a file ending in .keras.")
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # zip, JSON and HDF5 readers each raise their own kind
        log.exception("Could not read the model in %s", path)
        raise ModelLoadError(
            f"Could not read the model in {path.name} ({type(error).__name__}). The file may be corrupt "
            "or cut short; restore it with git, or retrain it with `python scripts/train_pretrained.py`."
        ) from error
    if tuple(model.input_shape[1:]) != INPUT_SHAPE or tuple(model.output_shape[1:]) != (NUM_CLASSES,):
        raise ModelLoadError(
            f"The model in {path.name} takes {model.input_shape} and gives {model.output_shape}; "
            f"this app needs (None, 28, 28, 1) → (None, 10)."
        )
    return model


def save_model(model, path):
    """Save `model` to the `.keras` file `path` all at once: written to a temporary file in the same
    folder, then renamed over `path`, so an interrupted save never leaves a broken model behind."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"A model is saved to a file ending in .keras, got {path.name!r}; rename it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".keras")
    os.close(handle)
    try:
        model.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
