"""The end of a CNN in plain NumPy: Flatten's index arithmetic, a dense unit as a weighted sum, and softmax."""

from dataclasses import dataclass

import numpy as np


def flatten_index(row, col, channel, shape):
    """Where cell (row, col) of channel `channel` of an (H, W, C) map lands in the flat vector.

    Keras flattens channels last, row by row: index = (row × W + col) × C + channel, so the C
    values of one cell sit side by side, then the next cell of the row follows.
    """
    height, width, channels = shape
    for name, value, size in (("row", row, height), ("column", col, width), ("channel", channel, channels)):
        if not 0 <= value < size:
            raise ValueError(f"{name} {value} is outside the {height}×{width}×{channels} map; use 0 to {size - 1}.")
    return (row * width + col) * channels + channel


def cell_positions(row, col, shape):
    """The flat positions of cell (row, col) in all C channels of an (H, W, C) map: C neighbours, a range."""
    first = flatten_index(row, col, 0, shape)
    return range(first, first + shape[2])


def last_indices(shape):
    """The last index along each axis of `shape`, counting from 0: (H − 1, W − 1, C − 1) for an (H, W, C) map."""
    return tuple(side - 1 for side in shape)


def flatten(maps):
    """What keras.layers.Flatten does to one (H, W, C) stack of maps: (H × W × C,), channels last, row by row."""
    return np.asarray(maps).reshape(-1)


def unflatten_index(index, shape):
    """(row, col, channel) of position `index` of the flat vector of an (H, W, C) map."""
    height, width, channels = shape
    if not 0 <= index < height * width * channels:
        raise ValueError(f"index {index} is outside a vector of {height * width * channels} numbers.")
    cell, channel = divmod(index, channels)
    row, col = divmod(cell, width)
    return row, col, channel


def example_maps(height=3, width=3, channels=2):
    """A small (H, W, C) map whose values say where they come from: channel c holds 10·c + 1, 10·c + 2, ..."""
    cells = np.arange(1, height * width + 1, dtype=float).reshape(height, width)
    return np.stack([cells + 10 * channel for channel in range(channels)], axis=-1)  # (H, W, C)


def wrap(vector, width):
    """A long vector cut into rows of `width` (the last row padded with NaN), to draw it in reading order."""
    vector = np.asarray(vector, dtype=float).ravel()
    rows = -(-vector.size // width)
    padded = np.full(rows * width, np.nan)
    padded[: vector.size] = vector
    return padded.reshape(rows, width)


@dataclass(frozen=True)
class WeightedSum:
    """One dense unit on one input: z = Σ inputs[i] × weights[i] + bias, then the activation."""

    unit: int
    indices: np.ndarray  # the inputs shown, biggest contributions first
    inputs: np.ndarray  # their values
    weights: np.ndarray  # their weights
    rest: float  # the sum of the products not shown
    terms: int  # how many products in all
    bias: float
    total: float  # z, before the activation
    output: float  # after the activation

    @property
    def products(self):
        return self.inputs * self.weights


def weighted_sum(inputs, kernel, bias, unit, *, shown=4, activation="relu"):
    """Unit `unit` of a dense layer (kernel (n_inputs, units), bias (units,)) on `inputs` (n_inputs,), written out.

    The `shown` biggest products (by size) are kept term by term; the others are added up in `rest`.
    """
    inputs = np.asarray(inputs, dtype=np.float64).ravel()
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.shape[0] != inputs.size:
        raise ValueError(f"The layer has {kernel.shape[0]} weights per unit but the input has {inputs.size} numbers.")
    products = inputs * kernel[:, unit]
    order = np.argsort(-np.abs(products), kind="stable")[:shown]
    total = float(products.sum() + bias[unit])
    output = max(total, 0.0) if activation == "relu" else total
    return WeightedSum(
        unit=unit,
        indices=order,
        inputs=inputs[order],
        weights=kernel[order, unit],
        rest=float(products.sum() - products[order].sum()),
        terms=inputs.size,
        bias=float(bias[unit]),
        total=total,
        output=output,
    )


def softmax(scores):
    """Probabilities from scores: e^score / Σ e^score (computed with the largest score subtracted, same result)."""
    scores = np.asarray(scores, dtype=np.float64)
    powers = np.exp(scores - scores.max())
    return powers / powers.sum()


@dataclass(frozen=True)
class DenseLayer:
    name: str
    kernel: np.ndarray  # (inputs, units)
    bias: np.ndarray  # (units,)
    activation: str  # "relu", "softmax", ...


def dense_layers(model):
    """The Dense layers of a Keras model, in order, with their weights as NumPy arrays."""
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "Dense":
            kernel, bias = (np.asarray(weights) for weights in layer.get_weights())
            activation = getattr(layer.activation, "__name__", str(layer.activation))
            layers.append(DenseLayer(layer.name, kernel, bias, activation))
    return layers
