"""What a network's input is: pixels as numbers, scaled to 0–1, colour as three channels, and the batch shape."""

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


def normalise(image):
    """uint8 pixels 0–255 → float32 0–1, as the training code divides by 255."""
    return np.asarray(image, dtype=np.float32) / 255.0


def window_origin(row, col, size, side):
    """(row, col) of a size×size window kept inside a side×side image, as close as possible to the one asked for."""
    if not 1 <= size <= side:
        raise ValueError(f"A {size}×{size} window does not fit in a {side}×{side} image; choose 1 to {side}.")
    return min(max(int(row), 0), side - size), min(max(int(col), 0), side - size)


def window(image, row, col, size):
    """The size×size block of `image` whose top-left cell is (row, col), clamped to stay inside."""
    row, col = window_origin(row, col, size, min(np.shape(image)[:2]))
    return np.asarray(image)[row : row + size, col : col + size]


def to_model_input(images):
    """(N, 28, 28) uint8 → (N, 28, 28, 1) float32 in [0, 1]: the reshape and scaling the training code does."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"Expected a stack of grey images shaped (N, H, W); got shape {images.shape}.")
    return images.reshape(*images.shape, 1).astype(np.float32) / 255.0  # (N, H, W, 1)


def split_channels(image):
    """An (H, W, 3) colour image as its three (H, W) channels: red, green, blue."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"A colour image has shape (H, W, 3); got {image.shape}.")
    return tuple(image[:, :, channel] for channel in range(3))
