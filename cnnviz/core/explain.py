"""The arithmetic of a step, and the sentences around it, written out for a beginner."""

import numpy as np

from cnnviz.core.numbers import DECIMALS, format_value


def conv_arithmetic(step, kernel):
    """'0.5×1 + 0×0 + … + 0 (bias) = 1.5': each input value times its weight, the bias, then the sum."""
    window = np.asarray(step.window)
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim < window.ndim:  # one 2-D filter on every channel
        kernel = kernel[..., None]
    weights = np.broadcast_to(kernel, window.shape)
    return sum_of_products(window, weights, step.value, extra=f"{_term(step.bias)} (bias)")


def sum_of_products(values, weights, total, extra=None):
    """'0.5×1 + 0×0 + … = 1.5': each value times its weight, an optional extra term, then the total."""
    terms = [f"{_term(v)}×{_term(w)}" for v, w in zip(np.ravel(values), np.ravel(weights))]
    return " + ".join(terms + ([extra] if extra else [])) + f" = {format_value(total)}"


def matrix_text(values, decimals=DECIMALS):
    """A matrix's numbers as a sentence, for a screen reader or a projector: 'row 1: 0, 0.5; row 2: …'."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    rows = (", ".join(format_value(v, decimals) or "blank" for v in row) for row in values)
    return "; ".join(f"row {number}: {row}" for number, row in enumerate(rows, 1))


def channel_arithmetic(step, kernel, names):
    """One line per channel: 'red: 0.5×1 + … = 1.2', that channel's nine products and their sum."""
    window, kernel = np.asarray(step.window), np.asarray(kernel, dtype=float)  # (k, k, C) each
    return [
        f"{name}: " + sum_of_products(window[..., channel], kernel[..., channel], step.channel_sums[channel])
        for channel, name in enumerate(names)
    ]


def channels_total(step, names):
    """'red + green + blue + bias = 1.2 + (−0.3) + 0 + 0.1 = 1': the channel sums and the bias into one cell."""
    parts = " + ".join([*names, "bias"])
    values = " + ".join(_term(v) for v in [*step.channel_sums, step.bias])
    return f"{parts} = {values} = {format_value(step.value)}"


def pool_arithmetic(step, mode):
    """'max(0.1, 0.9, 0.3, 0.2) = 0.9' or the mean written as a sum over a count."""
    values = ", ".join(_term(v) for v in np.ravel(step.window))
    if mode == "max":
        return f"max({values}) = {format_value(step.value)}"
    count = np.size(step.window)
    return f"({' + '.join(_term(v) for v in np.ravel(step.window))}) / {count} = {format_value(step.value)}"


def cell_text(cell):
    """'(2, 3)': a cell (row, col) counted from 1, as the pages show it (NumPy counts from 0)."""
    row, col = (int(i) + 1 for i in cell)
    return f"({row}, {col})"


def step_heading(index, steps, window="window"):
    """'**Step 5 of 16**: the window at row 2, column 1 writes cell (2, 1).', counted from 1."""
    step = steps[index]
    row, col = (int(i) + 1 for i in step.origin)
    where = f"the {window} at row {row}, column {col} writes cell {cell_text(step.cell)}"
    return f"**Step {index + 1} of {len(steps)}**: {where}."


def size_formula(n, kernel, stride, padding, size):
    """The output-size formula with the current numbers filled in."""
    return f"⌊({n} + 2×{padding} − {kernel}) / {stride}⌋ + 1 = {size}"


def reduction_note(in_shape, out_shape):
    """What pooling saves: how many numbers go in, how many come out."""
    before, after = int(np.prod(in_shape)), int(np.prod(out_shape))
    shape = lambda s: "×".join(str(d) for d in s)  # noqa: E731
    return (
        f"{shape(in_shape)} = {before} values become {shape(out_shape)} = {after}: "
        f"{before / after:.3g}× fewer numbers for every later layer to store and multiply."
    )


def _term(value):
    text = format_value(float(value))
    return f"({text})" if text.startswith("−") else text
