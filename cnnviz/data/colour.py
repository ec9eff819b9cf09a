"""Colour inputs and 3×3×3 filters that open the Channels page on something worth seeing."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.core.input_layer import RGB_EXAMPLE

COURSE_PICTURE, RED_ON_BLUE, PICTURE_PATCH, RANDOM = (
    "Course picture (4×4)",
    "Red square on blue",
    "Patch of a colour picture",
    "Random",
)
INPUTS = (COURSE_PICTURE, RED_ON_BLUE, PICTURE_PATCH, RANDOM)
INPUT_SIZES = (4, 5, 6)
DEFAULT_INPUT = COURSE_PICTURE


def _filter(red=None, green=None, blue=None):
    """A (3, 3, 3) filter from its three channels' weights; a channel not given is all zeros."""
    channels = [np.zeros((3, 3)) if c is None else np.asarray(c, dtype=float) for c in (red, green, blue)]
    return np.stack(channels, axis=-1)  # (3, 3, 3): rows, columns, channels


CENTRE = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
VERTICAL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
HORIZONTAL = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
AVERAGE = np.full((3, 3), round(1 / 27, 3))

# The first three are the ones the issue of teaching asks for; the rest fill a layer of up to 8 filters.
FILTERS = {
    "Colour edge": _filter(red=VERTICAL, blue=-np.asarray(VERTICAL)),  # red on the left, blue on the right
    "Only red": _filter(red=CENTRE),
    "Grey-ish average": _filter(AVERAGE, AVERAGE, AVERAGE),
    "Only green": _filter(green=CENTRE),
    "Only blue": _filter(blue=CENTRE),
    "Horizontal edge, all channels": _filter(HORIZONTAL, HORIZONTAL, HORIZONTAL),
    "Yellow, not blue": _filter(red=np.multiply(CENTRE, 0.5), green=np.multiply(CENTRE, 0.5), blue=-np.asarray(CENTRE)),
}
FILTER_NAMES = (*FILTERS, RANDOM)
DEFAULT_FILTER = "Colour edge"
CHANNELS = 3


def make_filter(name, seed=0):
    """A named (3, 3, 3) filter, or a random one with weights in −1…1 rounded to one decimal."""
    if name == RANDOM:
        return np.random.default_rng(seed).uniform(-1, 1, (3, 3, CHANNELS)).round(1)
    if name not in FILTERS:
        raise ValueError(f"Unknown colour filter {name!r}; choose one of {', '.join(FILTER_NAMES)}.")
    return FILTERS[name].copy()


def make_input(name, size=6, seed=0):
    """A named size×size×3 colour input, values 0–1 rounded to two decimals."""
    if name == COURSE_PICTURE:
        picture = RGB_EXAMPLE / 255
    elif name == RED_ON_BLUE:
        picture = np.empty((6, 6, 3))
        picture[:] = (0.1, 0.2, 0.9)  # blue
        picture[1:5, :3] = (0.9, 0.1, 0.1)  # a red block on the left half: a colour edge down the middle
    elif name == PICTURE_PATCH:
        picture = picture_patch(colour_picture(), size) / 255
    elif name == RANDOM:
        picture = np.random.default_rng(seed).uniform(0, 1, (size, size, CHANNELS))
    else:
        raise ValueError(f"Unknown colour input {name!r}; choose one of {', '.join(INPUTS)}.")
    return picture[:size, :size].round(2)


def colour_picture(side=24):
    """A small picture drawn in code, (side, side, 3) uint8: sky, sun, a hill of grass and a red house."""
    rows, cols = np.mgrid[0:side, 0:side] / (side - 1)  # 0 at the top / left, 1 at the bottom / right
    picture = np.empty((side, side, 3))
    picture[:] = np.stack([0.35 + 0.4 * rows, 0.6 + 0.3 * rows, np.full_like(rows, 0.95)], axis=-1)  # sky
    sun = (rows - 0.18) ** 2 + (cols - 0.8) ** 2 < 0.015
    picture[sun] = (1.0, 0.85, 0.1)
    hill = rows > 0.62 - 0.12 * np.sin(np.pi * cols)
    picture[hill] = np.stack([0.15 + 0.2 * rows, 0.45 + 0.25 * (1 - rows), 0.12 + 0 * rows], axis=-1)[hill]
    house = (rows > 0.45) & (rows < 0.8) & (cols > 0.15) & (cols < 0.45)
    picture[house] = (0.8, 0.12, 0.1)
    window = (rows > 0.52) & (rows < 0.64) & (cols > 0.24) & (cols < 0.34)
    picture[window] = (0.95, 0.95, 0.8)
    return (picture * 255).round().astype(np.uint8)


def picture_patch(picture, size=6):
    """The size×size×3 window of a colour picture with the most contrast: where its colours change."""
    windows = sliding_window_view(np.asarray(picture, dtype=float), (size, size), axis=(0, 1))  # (.., .., 3, s, s)
    spread = windows.std(axis=(3, 4)).sum(axis=2)
    row, col = np.unravel_index(np.argmax(spread), spread.shape)
    return np.asarray(picture)[row : row + size, col : col + size]


def filter_bank(first, first_bias, count):
    """`count` filters for one layer: `first` (the one the student built) and then the named presets.

    Returns (names, kernels (count, 3, 3, 3), biases (count,)); the presets' biases are 0.
    """
    if not 1 <= count <= 1 + len(FILTERS):
        raise ValueError(f"A layer here has 1 to {1 + len(FILTERS)} filters; got {count}.")
    others = [(name, kernel) for name, kernel in FILTERS.items() if not np.array_equal(kernel, first)]
    chosen = [("your filter", np.asarray(first, dtype=float)), *others][:count]
    if len(chosen) < count:  # the student's filter was a preset: one more random one fills its place
        chosen.append(("random", make_filter(RANDOM, seed=count)))
    names = [name for name, _ in chosen]
    biases = np.array([float(first_bias)] + [0.0] * (count - 1))
    return names, np.stack([kernel for _, kernel in chosen]), biases
