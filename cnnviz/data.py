"""MNIST digits: the compact sample shipped inside the package."""

from functools import cache
from pathlib import Path

import numpy as np

SAMPLE_PATH = Path(__file__).with_name("mnist_sample.npz")


@cache
def load_sample():
    """The bundled sample: ((x_train, y_train), (x_test, y_test)), uint8, 10,000 and 2,000 digits.

    Arrays are read-only because they are shared by every caller.
    """
    with np.load(SAMPLE_PATH, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    for array in arrays.values():
        array.flags.writeable = False
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def sample_digit(index):
    """Test digit `index` of the sample (wrapping around) as (image (28, 28) uint8, label)."""
    _, (x_test, y_test) = load_sample()
    index = int(index) % len(x_test)
    return x_test[index], int(y_test[index])
