"""MNIST digits: the full set (from a file or Keras) or the compact sample shipped inside the package."""

import os
from functools import cache
from pathlib import Path

import numpy as np

SAMPLE_SOURCE = "bundled sample"  # how a MnistData.source begins when only the sample was there

SAMPLE_PATH = Path(__file__).with_name("mnist_sample.npz")
ENV_VAR = "CNNVIZ_MNIST"
KEYS = ("x_train", "y_train", "x_test", "y_test")


class MnistData(tuple):
    """((x_train, y_train), (x_test, y_test)) that also says where the digits came from.

    Unpacks exactly like `keras.datasets.mnist.load_data()`, and names its arrays too (`data.x_train`);
    `source` is a short sentence for the page ("full MNIST from ...", "Keras download", "bundled
    sample ..."), `is_sample` is True when only the compact sample was available.
    """

    def __new__(cls, train, test, source, is_sample):
        data = super().__new__(cls, (tuple(train), tuple(test)))
        data.source = source
        data.is_sample = is_sample
        return data

    x_train = property(lambda self: self[0][0])  # (N, 28, 28) uint8
    y_train = property(lambda self: self[0][1])  # (N,) uint8 labels 0–9
    x_test = property(lambda self: self[1][0])
    y_test = property(lambda self: self[1][1])

    def read_only(self):
        """The same data with arrays no caller can change: for data shared by every session."""
        arrays = [np.asarray(array).view() for array in (self.x_train, self.y_train, self.x_test, self.y_test)]
        for array in arrays:
            array.flags.writeable = False
        return MnistData(arrays[:2], arrays[2:], self.source, self.is_sample)

    def __getnewargs__(self):  # so that pickle and copy keep `source` and `is_sample`
        return (*self, self.source, self.is_sample)

    def __repr__(self):
        (x_train, _), (x_test, _) = self
        return f"MnistData({len(x_train):,} train, {len(x_test):,} test digits; {self.source})"


def validate_mnist(arrays, name="MNIST data"):
    """Check a mapping with keys x_train, y_train, x_test, y_test holds MNIST-shaped uint8 arrays.

    Returns ((x_train, y_train), (x_test, y_test)); raises ValueError naming what is wrong.
    """
    missing = [key for key in KEYS if key not in arrays]
    if missing:
        raise ValueError(
            f"{name} lacks the key(s) {', '.join(missing)}; it has {', '.join(sorted(arrays)) or 'none'}. "
            f"An MNIST .npz needs the four keys {', '.join(KEYS)}, as keras.datasets.mnist.load_data() gives."
        )
    checked = {}
    for split in ("train", "test"):
        images, labels = np.asarray(arrays[f"x_{split}"]), np.asarray(arrays[f"y_{split}"])
        if images.dtype != np.uint8 or labels.dtype != np.uint8:
            raise ValueError(f"{name}: x_{split} and y_{split} must be uint8, got {images.dtype} and {labels.dtype}.")
        if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) == 0:
            raise ValueError(f"{name}: x_{split} must have shape (N, 28, 28) with N > 0, got {images.shape}.")
        if labels.shape != (len(images),):
            raise ValueError(
                f"{name}: y_{split} must hold one label per image, shape ({len(images)},), got {labels.shape}."
            )
        if labels.max() > 9:
            raise ValueError(f"{name}: y_{split} labels must be digits 0–9, found {int(labels.max())}.")
        checked[split] = (images, labels)
    return checked["train"], checked["test"]


def load_npz(path):
    """An MNIST archive with the four keys, read without unpickling anything, and validated."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"No MNIST file {path.name} here; point {ENV_VAR} at an .npz with keys {', '.join(KEYS)}.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except ValueError as error:  # object arrays would need pickle: refused
        raise ValueError(f"{path.name} holds arrays that cannot be read without unpickling.") from error
    except OSError as error:
        raise ValueError(f"{path.name} is not a readable .npz archive ({type(error).__name__}).") from error
    return validate_mnist(arrays, name=path.name)


def _keras_mnist():
    import keras  # only here: the rest of this module must not load TensorFlow

    return keras.datasets.mnist.load_data()


def load_mnist():
    """MNIST as ((x_train, y_train), (x_test, y_test)), uint8, from the best source available.

    In order: the .npz named by $CNNVIZ_MNIST (an error in that file is raised, not skipped);
    else Keras' cache or download; else the bundled sample of 10,000 / 2,000 digits.
    The result's `.source` says which, and `.is_sample` is True for the sample.
    """
    env_path = os.environ.get(ENV_VAR)
    if env_path:
        train, test = load_npz(env_path)
        return MnistData(train, test, source=f"full MNIST from ${ENV_VAR} ({Path(env_path).name})", is_sample=False)
    try:
        (x_train, y_train), (x_test, y_test) = _keras_mnist()
        arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        train, test = validate_mnist(arrays, name="Keras' MNIST download")
    except Exception:  # no internet, no cache, a broken download: fall back to the sample
        train, test = load_sample()
        return MnistData(
            train,
            test,
            source=f"{SAMPLE_SOURCE} ({len(train[0]):,} / {len(test[0]):,} digits)",
            is_sample=True,
        )
    return MnistData(train, test, source="Keras download", is_sample=False)


@cache
def load_sample():
    """The bundled sample: ((x_train, y_train), (x_test, y_test)), uint8, 10,000 and 2,000 digits.

    Arrays are read-only because they are shared by every caller.
    """
    with np.load(SAMPLE_PATH, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    train, test = validate_mnist(arrays, name=f"the bundled sample {SAMPLE_PATH.name}")
    for array in (*train, *test):
        array.flags.writeable = False
    return train, test


def sample_digit(index):
    """Test digit `index` of the sample (wrapping around) as (image (28, 28) uint8, label)."""
    _, (x_test, y_test) = load_sample()
    index = int(index) % len(x_test)
    return x_test[index], int(y_test[index])
