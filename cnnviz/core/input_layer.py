"""What a network's input is: pixels as numbers, scaled to 0–1, colour as three channels, and the batch shape."""

import math

import numpy as np

# A 4×4 colour picture: red, green, blue and yellow corners, white, grey and black cells between.
RGB_EXAMPLE = np.array(
    [
        [[255, 0, 0], [255, 128, 0], [255, 255, 255], [0, 200, 0]],
        [[200, 0, 60], [128, 128, 128], [64, 64, 64], [0, 160, 80]],
        [[0, 0, 0], [32, 32, 32], [200, 200, 200], [120, 255, 120]],
        [[0, 0, 255], [60, 60, 200], [255, 255, 0], [255, 220, 0]],
    ],
    dtype=np.uint8,
)  # (4, 4, 3)
CHANNEL_NAMES = ("red", "green", "blue")
DIGIT_SIDE = 28  # MNIST digits are 28×28 pixels
PIXEL_MAX = 255  # the brightest a pixel stored in 8 bits can be
WINDOW_SIZES = (6, 8, 10)  # the sides of the window that reads a digit's numbers
LAST_WINDOW_START = DIGIT_SIDE - min(WINDOW_SIZES)  # the last top row (left column) the smallest window can take
# Images and their (H, W, C) shapes: a grey digit, the colour picture below, a photo as ImageNet models take it.
EXAMPLE_SHAPES = (
    ("an MNIST digit, grey", (DIGIT_SIDE, DIGIT_SIDE, 1)),
    ("the picture above, colour", RGB_EXAMPLE.shape),
    ("a 224×224 colour photo", (224, 224, 3)),
)


def normalise(pixels):
    """Pixels 0–255 → float32 0–1: the division by 255 every image goes through before a network reads it."""
    return np.asarray(pixels, dtype=np.float32) / PIXEL_MAX


def size_arithmetic(shape):
    """'28 × 28 × 1 = 784': how many numbers an image of `shape` holds, with the multiplication written out."""
    return f"{' × '.join(str(side) for side in shape)} = {math.prod(shape):,}"


def window_origin(row, col, size, side):
    """(row, col) of a size×size window kept inside a side×side image, as close as possible to the one asked for."""
    if not 1 <= size <= side:
        raise ValueError(f"A {size}×{size} window does not fit in a {side}×{side} image; choose 1 to {side}.")
    return min(max(int(row), 0), side - size), min(max(int(col), 0), side - size)


def window(image, row, col, size):
    """The size×size block of `image` whose top-left cell is (row, col), clamped to stay inside."""
    row, col = window_origin(row, col, size, min(np.shape(image)[:2]))
    return np.asarray(image)[row : row + size, col : col + size]


def window_span(origin, size):
    """((first row, last row), (first column, last column)) of the size×size window at `origin`, inclusive."""
    row, col = origin
    return (row, row + size - 1), (col, col + size - 1)


def brightest_pixel(image, origin):
    """(row, col, value) of the brightest pixel of `image`, a window whose top-left cell sits at `origin` of
    the whole digit: the position counts in the digit, the first of equal values wins."""
    row, col = np.unravel_index(int(np.argmax(image)), np.shape(image)[:2])
    return origin[0] + int(row), origin[1] + int(col), np.asarray(image)[row, col].item()


def to_model_input(images):
    """One digit (28, 28) or a stack (N, 28, 28) → (N, 28, 28, 1) float32 in [0, 1], what every model here reads.

    Whole-number pixels (0–255, as MNIST stores them) are divided by 255; floats must already lie in
    [0, 1] (a drawing from cnnviz.data.drawing.canvas_to_mnist). A trailing channel axis of 1 is
    accepted. Anything else raises a ValueError that says what was passed and what is expected.
    """
    array = np.asarray(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        array = array[None]  # (1, 28, 28)
    if array.ndim != 3 or array.shape[1:] != (DIGIT_SIDE, DIGIT_SIDE) or len(array) == 0:
        raise ValueError(
            f"A digit is a 28×28 grid shaped (28, 28), or (N, 28, 28) for several; got {np.shape(images)}. "
            "Turn a drawing into one with cnnviz.data.drawing.canvas_to_mnist."
        )
    if np.issubdtype(array.dtype, np.integer):
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"Whole-number pixels run from 0 to 255; got {array.min()} to {array.max()}.")
        return normalise(array)[..., None]  # (N, 28, 28, 1)
    array = array.astype(np.float32, copy=False)
    if not np.all(np.isfinite(array)) or array.min() < 0.0 or array.max() > 1.0:
        raise ValueError(
            "Digit pixels must be numbers in [0, 1] (or whole numbers 0–255); divide float images of 0–255 by 255."
        )
    return array[..., None]  # (N, 28, 28, 1)


def split_channels(image):
    """An (H, W, 3) colour image as its three (H, W) channels: red, green, blue."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"A colour image has shape (H, W, 3); got {image.shape}.")
    return tuple(image[:, :, channel] for channel in range(3))
