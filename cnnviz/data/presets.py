"""Named filters and inputs that open the concept pages on something worth seeing."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.core import ops
from cnnviz.core.input_layer import normalise
from cnnviz.data.mnist import sample_digit

FILTERS = {
    "Vertical edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "Horizontal edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "Sobel (vertical)": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "Sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "Box blur": np.full((3, 3), 1 / 9).round(3).tolist(),
    "Identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}

# A soft vertical stroke, as a pen leaves it: normalised pixel values 0–1.
VERTICAL_BAR = [
    [0.0, 0.2, 0.9, 1.0, 0.3, 0.0],
    [0.0, 0.3, 1.0, 0.9, 0.2, 0.0],
    [0.0, 0.2, 0.9, 1.0, 0.2, 0.0],
    [0.0, 0.3, 1.0, 1.0, 0.3, 0.0],
    [0.0, 0.2, 0.9, 0.9, 0.2, 0.0],
    [0.0, 0.3, 1.0, 1.0, 0.2, 0.0],
]

INPUTS = ("Vertical bar", "Diagonal", "Patch of a real digit", "Random")
RANDOM = "Random"
FILTER_NAMES = (*FILTERS, RANDOM)

# The classic example every page opens on: a 6×6 input, a 3×3 filter, stride 1, a 4×4 map.
DEFAULT_INPUT = "Vertical bar"
DEFAULT_FILTER = "Vertical edge"
INPUT_SIZES = (3, 4, 5, 6, 7, 8)
FILTER_SIZES = (1, 2, 3, 4, 5)


def make_filter(name, seed=0):
    """A named 3×3 filter, or a random one with weights in −1…1 rounded to one decimal."""
    if name == RANDOM:
        return np.random.default_rng(seed).uniform(-1, 1, (3, 3)).round(1)
    if name not in FILTERS:
        raise ValueError(f"Unknown filter {name!r}; choose one of {', '.join(FILTER_NAMES)}.")
    return np.array(FILTERS[name], dtype=float)


def make_input(name, size=6, seed=0):
    """A named size×size input of normalised pixel values 0–1."""
    if name == "Vertical bar":
        return np.array(VERTICAL_BAR, dtype=float)[:size, :size]
    if name == "Diagonal":
        ramp = np.abs(np.subtract.outer(np.arange(size), np.arange(size)))
        return np.clip(1.0 - 0.45 * ramp, 0, 1).round(2)
    if name == "Patch of a real digit":
        image, _ = sample_digit(seed)
        return normalise(digit_patch(image, size)).astype(float).round(2)
    if name == RANDOM:
        return np.random.default_rng(seed).uniform(0, 1, (size, size)).round(1)
    raise ValueError(f"Unknown input {name!r}; choose one of {', '.join(INPUTS)}.")


def digit_patch(image, size=6):
    """The size×size window of a digit with the most contrast: where its strokes have edges."""
    windows = sliding_window_view(np.asarray(image, dtype=float), (size, size))  # (H-s+1, W-s+1, s, s)
    spread = windows.std(axis=(2, 3))
    row, col = np.unravel_index(np.argmax(spread), spread.shape)
    return np.asarray(image)[row : row + size, col : col + size]


def seed_feature_map():
    """The opening example's 4×4 map: vertical bar ⊛ vertical edge, after relu."""
    return ops.activate(ops.conv2d(make_input(DEFAULT_INPUT), make_filter(DEFAULT_FILTER)), "relu")


@dataclass(frozen=True)
class Presets:
    """What a matrix editor offers: the preset names, the one it opens on, how one is made, the sizes to choose."""

    names: tuple
    default: str
    make: Callable  # make(name, seed=…) → a square matrix at the preset's own size
    sizes: tuple
    default_size: int


INPUT_PRESETS = Presets(INPUTS, DEFAULT_INPUT, make_input, INPUT_SIZES, default_size=6)
FILTER_PRESETS = Presets(FILTER_NAMES, DEFAULT_FILTER, make_filter, FILTER_SIZES, default_size=3)
