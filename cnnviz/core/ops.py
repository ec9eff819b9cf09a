"""Convolution, pooling and activations in NumPy, returning every step for the views."""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

POOL_MODES = ("max", "average")


# ---------------------------------------------------------------- output size


def output_size(n, kernel, stride=1, padding=0):
    """Cells along one axis: floor((n + 2p - k) / s) + 1.

    Raises ValueError, with an explanation, when the kernel does not fit.
    """
    n, kernel, stride, padding = _check_geometry(n, kernel, stride, padding)
    return (n + 2 * padding - kernel) // stride + 1


def _check_geometry(n, kernel, stride, padding):
    """The four numbers as ints, or a ValueError that explains what is wrong."""
    for name, value, least in (("size", n, 1), ("kernel", kernel, 1), ("stride", stride, 1), ("padding", padding, 0)):
        if not _is_whole(value) or value < least:
            raise ValueError(f"The {name} must be a whole number of at least {least}; got {value}.")
    n, kernel, stride, padding = (int(value) for value in (n, kernel, stride, padding))
    if kernel > n + 2 * padding:
        raise ValueError(
            f"A {kernel}-wide window does not fit in an input {n} wide with padding {padding} "
            f"({n} + 2×{padding} = {n + 2 * padding} cells). Use a smaller window, more padding or a larger input."
        )
    return n, kernel, stride, padding


def _is_whole(value):
    """True for 3 or 3.0, False for 2.5, NaN, infinity, text or None."""
    if isinstance(value, int | np.integer):
        return True
    return isinstance(value, float | np.floating) and float(value).is_integer()


def tiling_note(n, kernel, stride=1, padding=0):
    """A sentence on which cells a stride leaves out, or None when the windows tile evenly."""
    size = output_size(n, kernel, stride, padding)
    last_covered = (size - 1) * stride + kernel  # cells of the padded input touched by any window
    dropped = n + 2 * padding - last_covered
    if dropped == 0:
        return None
    first, last = last_covered + 1, n + 2 * padding
    cells = f"cell {first}" if first == last else f"cells {first}–{last}"
    return (
        f"Stride {stride} does not tile {n + 2 * padding} cells evenly: ({n} + 2×{padding} − {kernel}) / {stride} "
        f"= {(n + 2 * padding - kernel) / stride:.2f}, rounded down to {size - 1}, so the window takes {size} "
        f"positions and the last {dropped} (padded {cells}, counting from 1) are never read."
    )


# ------------------------------------------------------------------ the steps


@dataclass(frozen=True)
class Step:
    """One output cell: where the window sat, what it read and what it wrote."""

    cell: tuple  # (row, col) in the output map
    origin: tuple  # (row, col) of the window's top-left corner in the (padded) input
    window: np.ndarray  # (k, k) or (k, k, C): the input values under the window
    products: np.ndarray | None  # window × kernel, element-wise (convolution only)
    value: float  # the sum plus the bias (convolution), the max or the mean (pooling)
    channel_sums: np.ndarray | None = None  # (C,) the products summed channel by channel (colour convolution)
    bias: float = 0.0  # added once to the sum (convolution)


@dataclass(frozen=True)
class Steps:
    """Every step of a sliding-window operation, as arrays indexed by step number."""

    output: np.ndarray  # (out_h, out_w) the finished map
    padded: np.ndarray  # the input after zero padding, what the windows slide over
    windows: np.ndarray  # (n_steps, k, k[, C])
    products: np.ndarray | None  # (n_steps, k, k[, C]), convolution only
    stride: int
    padding: int
    channel_sums: np.ndarray | None = None  # (n_steps, C) for a colour convolution
    bias: float = 0.0

    def __len__(self):
        return self.output.size

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Step {index} is out of range: there are {len(self)} steps (0 to {len(self) - 1}).")
        row, col = divmod(index, self.output.shape[1])
        return Step(
            cell=(row, col),
            origin=(row * self.stride, col * self.stride),
            window=self.windows[index],
            products=None if self.products is None else self.products[index],
            value=float(self.output[row, col]),
            channel_sums=None if self.channel_sums is None else self.channel_sums[index],
            bias=self.bias,
        )

    def partial_output(self, index, *, current=True):
        """The output map as it stands after step `index` (before it, with current=False): later cells are NaN."""
        written = index + 1 if current else index  # cells written so far
        partial = np.full(self.output.shape, np.nan)
        partial.flat[:written] = self.output.flat[:written]
        return partial


def _windows(x, kernel_shape, stride):
    """(out_h, out_w, kh, kw[, C]) views of every window position."""
    views = sliding_window_view(x, kernel_shape, axis=(0, 1))[::stride, ::stride]  # (oh, ow, [C,] kh, kw)
    if x.ndim == 3:
        views = np.moveaxis(views, 2, -1)  # channels last, like the input
    return views


def _as_image(x, name):
    x = np.asarray(x, dtype=float)
    if x.ndim not in (2, 3):
        raise ValueError(f"The {name} must be (H, W) or (H, W, C); got an array of shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"The {name} holds NaN or infinity; every cell must be a finite number.")
    return x


def conv2d_steps(image, kernel, stride=1, padding=0, bias=0.0):
    """Cross-correlate `image` with one filter and add its bias, as one filter of Keras' Conv2D does.

    image: (H, W) or (H, W, C). kernel: (k, k), or (k, k, C) to weigh each channel;
    a 2-D kernel on a C-channel image is applied to every channel. The products
    are summed over the window and the channels, and the bias added, into one output map.
    A colour input also keeps each channel's sum (Steps.channel_sums).
    """
    image, kernel = _as_image(image, "input"), _as_image(kernel, "filter")
    bias = _as_bias(bias)
    if kernel.ndim == 3 and (image.ndim != 3 or kernel.shape[2] != image.shape[2]):
        raise ValueError(f"The filter has {kernel.shape[2]} channels but the input has shape {image.shape}.")
    out_h = output_size(image.shape[0], kernel.shape[0], stride, padding)
    out_w = output_size(image.shape[1], kernel.shape[1], stride, padding)
    pad = ((padding, padding), (padding, padding)) + ((0, 0),) * (image.ndim - 2)
    padded = np.pad(image, pad)
    windows = _windows(padded, kernel.shape[:2], stride)[:out_h, :out_w]
    kernel_b = kernel if kernel.ndim == windows.ndim - 2 else kernel[..., None]
    products = windows * kernel_b  # (oh, ow, kh, kw[, C])
    output = products.reshape(out_h, out_w, -1).sum(axis=-1) + bias
    flat = (out_h * out_w,) + products.shape[2:]
    channel_sums = products.sum(axis=(2, 3)).reshape(out_h * out_w, -1) if image.ndim == 3 else None  # (n, C)
    return Steps(output, padded, windows.reshape(flat), products.reshape(flat), stride, padding, channel_sums, bias)


def _as_bias(bias):
    """The bias as a float, or a ValueError that says what a bias must be."""
    if isinstance(bias, bool) or not isinstance(bias, int | float | np.integer | np.floating) or not np.isfinite(bias):
        raise ValueError(f"The bias must be one finite number, such as 0 or −0.5; got {bias!r}.")
    return float(bias)


def pool2d_steps(x, size=2, stride=2, mode="max"):
    """Max or average pooling over `size`×`size` windows, channel by channel (no padding)."""
    if mode not in POOL_MODES:
        raise ValueError(f"Pooling mode must be one of {POOL_MODES}; got {mode!r}.")
    x = _as_image(x, "input")
    out_h = output_size(x.shape[0], size, stride, 0)
    out_w = output_size(x.shape[1], size, stride, 0)
    windows = _windows(x, (size, size), stride)[:out_h, :out_w]  # (oh, ow, k, k[, C])
    reduce = np.max if mode == "max" else np.mean
    output = reduce(windows, axis=(2, 3))
    flat = (out_h * out_w,) + windows.shape[2:]
    return Steps(output, x, windows.reshape(flat), None, stride, 0)


def pool2d(x, size=2, stride=2, mode="max"):
    """Just the pooled map."""
    return pool2d_steps(x, size, stride, mode).output


def conv2d(image, kernel, stride=1, padding=0, bias=0.0):
    """Just the feature map."""
    return conv2d_steps(image, kernel, stride, padding, bias).output


def conv2d_layer(image, kernels, biases, stride=1, padding=0):
    """A layer of K filters on one input: K feature maps stacked as channels, as Keras' Conv2D makes them.

    image: (H, W, C). kernels: (K, k, k, C), one filter per map. biases: (K,). Returns (out_h, out_w, K).
    """
    image, kernels = _as_image(image, "input"), np.asarray(kernels, dtype=float)
    if kernels.ndim != image.ndim + 1 or kernels.shape[0] < 1:
        raise ValueError(
            f"A layer's filters on an input of shape {image.shape} are shaped (K, k, k"
            f"{', C' if image.ndim == 3 else ''}) with K ≥ 1; got an array of shape {kernels.shape}."
        )
    biases = np.asarray(biases, dtype=float).ravel()
    if biases.shape != (kernels.shape[0],) or not np.all(np.isfinite(biases)):
        raise ValueError(f"A layer of {kernels.shape[0]} filters needs {kernels.shape[0]} finite biases; got {biases}.")
    first = conv2d_steps(image, kernels[0], stride, padding)  # checks the geometry and the channels
    windows = first.windows.reshape(len(first), -1)  # (n_steps, k·k·C)
    maps = windows @ _as_image(kernels.reshape(len(kernels), -1), "filters").T + biases  # (n_steps, K)
    return maps.reshape(*first.output.shape, len(kernels))  # (out_h, out_w, K)


# ----------------------------------------------------------------- activations

LEAKY_SLOPE = 0.1

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky relu": lambda x: np.where(x > 0, x, LEAKY_SLOPE * x),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "none": lambda x: x,
}

ACTIVATION_FORMULAS = {
    "relu": "max(0, x)",
    "leaky relu": f"x if x > 0, else {LEAKY_SLOPE}·x",
    "sigmoid": "1 / (1 + e^(−x))",
    "tanh": "(e^x − e^(−x)) / (e^x + e^(−x))",
    "none": "x",
}


# d activation / dx, element-wise, as the backward pass multiplies it in (at 0, relu's slope is taken as 0).
ACTIVATION_DERIVATIVES = {
    "relu": lambda x: (x > 0).astype(float),
    "leaky relu": lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE),
    "sigmoid": lambda x: ACTIVATIONS["sigmoid"](x) * (1.0 - ACTIVATIONS["sigmoid"](x)),
    "tanh": lambda x: 1.0 - np.tanh(x) ** 2,
    "none": lambda x: np.ones_like(x),
}

ACTIVATION_DERIVATIVE_FORMULAS = {
    "relu": "1 if x > 0, else 0",
    "leaky relu": f"1 if x > 0, else {LEAKY_SLOPE}",
    "sigmoid": "sigmoid(x) × (1 − sigmoid(x))",
    "tanh": "1 − tanh(x)²",
    "none": "1",
}


def activate(x, name="relu"):
    """Apply a named activation element-wise; NaN (cells not yet computed) stays NaN."""
    if name not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.")
    with np.errstate(over="ignore"):
        return ACTIVATIONS[name](np.asarray(x, dtype=float))


def activation_slope(x, name="relu"):
    """The activation's derivative at every cell of `x`: what the backward pass multiplies the gradient by."""
    if name not in ACTIVATION_DERIVATIVES:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.")
    with np.errstate(over="ignore"):
        return ACTIVATION_DERIVATIVES[name](np.asarray(x, dtype=float))


# The backward pass has its own module; ops.conv2d_backward and friends reach it from here.
_BACKWARD = ("conv2d_backward", "conv2d_backward_steps", "pool2d_backward", "pool2d_backward_steps")


def __getattr__(name):
    if name in _BACKWARD:
        from cnnviz.core import backward

        return getattr(backward, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
