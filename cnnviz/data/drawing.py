"""Turn a drawing (canvas RGBA, RGB or grey, any size) into a 28×28 MNIST-style digit, step by step."""

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

MNIST_SIDE = 28
FIT_SIDE = 20  # MNIST scales each digit so that its longer side is 20 pixels
CENTRE = (14.0, 14.0)  # (row, col) where MNIST digits have their centre of mass
INK_THRESHOLD = 0.1  # grey level above which a pixel counts as ink
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601 weights, as Pillow's "L" mode


@dataclass(frozen=True)
class PreprocessSteps:
    """Every intermediate image of `canvas_to_mnist`, for a page to show one after another."""

    grey: np.ndarray  # (H, W) float32 in [0, 1]: ink 1 on black, the input's own size
    box: tuple  # (top, bottom, left, right) of the ink, bottom and right exclusive
    cropped: np.ndarray  # (h, w): the grey image cut to the box
    fitted: np.ndarray  # (≤20, ≤20): longer side scaled to 20 px, aspect kept, anti-aliased
    centred: np.ndarray  # (28, 28): the fitted digit pasted in the middle
    centre_of_mass: tuple  # (row, col) of `centred`, before shifting
    shift: tuple  # (rows, cols) moved so that the centre of mass lands on CENTRE
    final: np.ndarray  # (28, 28) float32 in [0, 1]: what the model sees


def to_grey(image):
    """Ink level in [0, 1] (1 = ink) of an RGBA, RGB or grey image, whatever its background.

    With a transparent background (the canvas), the alpha channel is the ink, whatever the stroke
    colour. Opaque images are read as luminance, and inverted when their border is mostly bright
    (black ink on white paper).
    """
    array = _checked_array(image)
    full = 255.0 if array.dtype == np.uint8 else 1.0
    with_alpha = array.ndim == 3 and array.shape[2] in (2, 4)
    if with_alpha and np.median(_border(array[..., -1]).astype(np.float32) / full) < 0.5:  # as float32, as ever
        # A transparent background (the canvas): whatever is opaque is ink. Only the alpha channel becomes
        # floats: converting all four channels of a 280×280 drawing made this step twice as slow.
        return np.clip(array[..., -1].astype(np.float32) / full, 0.0, 1.0)
    array = array.astype(np.float32) / full
    if with_alpha:
        array = _colour_to_grey(array[..., :-1]) * array[..., -1]  # composited over black
    elif array.ndim == 3:
        array = _colour_to_grey(array)
    if np.median(_border(array)) > 0.5:  # bright paper: black ink on white
        array = 1.0 - array
    return np.clip(array, 0.0, 1.0)


def _colour_to_grey(array):
    """(H, W, 1 or 3) → (H, W) luminance."""
    return array[..., 0] if array.shape[2] == 1 else array @ _LUMA


def _border(array):
    """The pixels along the four edges of a 2-D array, as one vector."""
    return np.concatenate([array[0], array[-1], array[:, 0], array[:, -1]])


def _checked_array(image):
    """The input as an ndarray, or a ValueError that says what was wrong with it."""
    array = np.asarray(image)
    if array.dtype == bool:
        array = array.astype(np.float32)
    if array.dtype != np.uint8 and not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"The drawing must be a uint8 array (0–255) or a float array (0–1), got dtype {array.dtype}; "
            "convert it with .astype(np.uint8) or .astype(np.float32)."
        )
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 2, 3, 4)):
        raise ValueError(
            f"The drawing must have shape (H, W) or (H, W, C) with C = 1, 2, 3 or 4 channels, got {array.shape}."
        )
    if array.size == 0 or min(array.shape[:2]) < 2:
        raise ValueError(f"The drawing is empty or too small: shape {array.shape}; it needs at least 2×2 pixels.")
    if array.dtype != np.uint8:
        if not np.all(np.isfinite(array)):
            raise ValueError("The drawing contains NaN or infinite values; every pixel must be a number in [0, 1].")
        if array.min() < 0.0 or array.max() > 1.0:
            raise ValueError(
                f"A float drawing must lie in [0, 1], got values from {array.min():g} to {array.max():g}; "
                "divide 0–255 images by 255 or pass them as uint8."
            )
    return array


def ink_box(grey):
    """(top, bottom, left, right) of the pixels above INK_THRESHOLD, or None when there are none."""
    rows = np.flatnonzero((grey > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((grey > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def fit_to_box(cropped, side=FIT_SIDE):
    """Scale so the longer side is `side` pixels, keeping the aspect ratio, with Lanczos anti-aliasing."""
    height, width = cropped.shape
    ratio = side / max(height, width)
    new_size = (max(1, round(width * ratio)), max(1, round(height * ratio)))  # Pillow wants (W, H)
    resized = Image.fromarray(cropped.astype(np.float32)).resize(new_size, Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def paste_centred(fitted, side=MNIST_SIDE):
    """A side×side black image with `fitted` in its middle."""
    canvas = np.zeros((side, side), dtype=np.float32)
    height, width = fitted.shape
    top, left = (side - height) // 2, (side - width) // 2
    canvas[top : top + height, left : left + width] = fitted
    return canvas


def canvas_to_mnist_steps(image):
    """`canvas_to_mnist`, keeping every intermediate image: a PreprocessSteps, or None if nothing is drawn."""
    grey = to_grey(image)  # (H, W)
    box = ink_box(grey)
    if box is None:
        return None
    top, bottom, left, right = box
    cropped = grey[top:bottom, left:right]  # (h, w)
    cropped = cropped / cropped.max()  # the strongest ink becomes 1, as in MNIST
    fitted = fit_to_box(cropped)  # (≤20, ≤20)
    centred = paste_centred(fitted)  # (28, 28)
    centre_of_mass = tuple(float(c) for c in ndimage.center_of_mass(centred))
    shift = (CENTRE[0] - centre_of_mass[0], CENTRE[1] - centre_of_mass[1])
    final = ndimage.shift(centred, shift, order=1, mode="constant", cval=0.0)
    final = np.clip(final, 0.0, 1.0).astype(np.float32)  # (28, 28)
    return PreprocessSteps(grey, box, cropped, fitted, centred, centre_of_mass, shift, final)


def canvas_to_mnist(image):
    """The drawing as MNIST expects it: (28, 28) float32 in [0, 1], white digit on black, or None if empty.

    As MNIST was made: grey level, crop to the ink, scale the longer side to 20 px (aspect kept,
    anti-aliased), paste into 28×28, and shift the centre of mass to the centre.
    """
    steps = canvas_to_mnist_steps(image)
    return None if steps is None else steps.final
