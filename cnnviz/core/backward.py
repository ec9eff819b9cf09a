"""The backward pass of convolution and pooling in NumPy: gradients, with every step for the views."""

from dataclasses import dataclass

import numpy as np

from cnnviz.core.ops import POOL_MODES, _as_image, _windows, output_size


@dataclass(frozen=True)
class WeightStep:
    """One filter weight's gradient: the input values it met at every window position, times δ there."""

    weight: tuple  # (row, col) in the filter; also where in the padded input it sat at the first window position
    inputs: np.ndarray  # (out_h, out_w[, C]) the input value under this weight at each window position
    deltas: np.ndarray  # (out_h, out_w) the gradient of the loss at each output cell
    products: np.ndarray  # inputs × deltas
    value: float | np.ndarray  # their sum, the weight's gradient; (C,) for a (k, k, C) filter


@dataclass(frozen=True)
class ConvBackward:
    """The gradients of one convolution, and the steps that make the filter's gradient, one per weight."""

    grad_image: np.ndarray  # (H, W[, C]) like the input, padding removed
    grad_kernel: np.ndarray  # like the filter
    padded: np.ndarray  # the input after zero padding
    grad_output: np.ndarray  # (out_h, out_w)
    inputs: np.ndarray  # (kh·kw, out_h, out_w[, C]): what each weight met at every window position
    stride: int
    padding: int
    kernel_shape: tuple

    @property
    def grad_bias(self):
        """The bias is added to every output cell, so its gradient is the sum of all the δ."""
        return float(self.grad_output.sum())

    def __len__(self):
        return self.kernel_shape[0] * self.kernel_shape[1]

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(
                f"Weight {index} is out of range: the filter has {len(self)} weights (0 to {len(self) - 1})."
            )
        row, col = divmod(index, self.kernel_shape[1])
        inputs = self.inputs[index]
        deltas = self.grad_output if inputs.ndim == 2 else self.grad_output[..., None]
        return WeightStep((row, col), inputs, self.grad_output, inputs * deltas, _number(self.grad_kernel[row, col]))


def conv2d_backward(image, kernel, grad_output, stride=1, padding=0):
    """(grad_image, grad_kernel) of a convolution, given the loss's gradient at its output."""
    steps = conv2d_backward_steps(image, kernel, grad_output, stride, padding)
    return steps.grad_image, steps.grad_kernel


def conv2d_backward_steps(image, kernel, grad_output, stride=1, padding=0):
    """Gradients of a convolution (as `ops.conv2d_steps`, no bias) given the loss's gradient at its output.

    grad_kernel[a, b] = Σ over window positions of (input under weight (a, b)) × (δ there);
    grad_image gets every δ × weight back at the input cell that weight read (zero padding dropped).
    A 2-D filter on C channels gets the sum over the channels.
    """
    image, kernel = _as_image(image, "input"), _as_image(kernel, "filter")
    if kernel.ndim == 3 and (image.ndim != 3 or kernel.shape[2] != image.shape[2]):
        raise ValueError(f"The filter has {kernel.shape[2]} channels but the input has shape {image.shape}.")
    kh, kw = kernel.shape[:2]
    out_h = output_size(image.shape[0], kh, stride, padding)
    out_w = output_size(image.shape[1], kw, stride, padding)
    grad_output = _as_image(grad_output, "output gradient")
    if grad_output.shape != (out_h, out_w):
        raise ValueError(
            f"The output gradient has shape {grad_output.shape}; this convolution makes ({out_h}, {out_w})."
        )
    pad = ((padding, padding), (padding, padding)) + ((0, 0),) * (image.ndim - 2)
    padded = np.pad(image, pad)
    windows = _windows(padded, (kh, kw), stride)[:out_h, :out_w]  # (oh, ow, kh, kw[, C])

    grad_kernel = np.einsum("ij,ijab...->ab...", grad_output, windows)  # (kh, kw[, C])
    if kernel.ndim < image.ndim:  # one 2-D filter on every channel
        grad_kernel = grad_kernel.sum(axis=-1)
    kernel_c = kernel if kernel.ndim == image.ndim else kernel[..., None]
    spread = np.einsum("ij,ab...->ijab...", grad_output, np.broadcast_to(kernel_c, windows.shape[2:]))
    rows = (np.arange(out_h)[:, None] * stride + np.arange(kh)[None, :])[:, None, :, None]  # (oh, 1, kh, 1)
    cols = (np.arange(out_w)[:, None] * stride + np.arange(kw)[None, :])[None, :, None, :]  # (1, ow, 1, kw)
    grad_padded = np.zeros_like(padded)
    np.add.at(grad_padded, (rows, cols), spread)  # windows that overlap add up
    grad_image = grad_padded[padding : padding + image.shape[0], padding : padding + image.shape[1]]

    inputs = np.moveaxis(windows, (2, 3), (0, 1)).reshape(kh * kw, out_h, out_w, *windows.shape[4:])
    return ConvBackward(grad_image, grad_kernel, padded, grad_output, inputs, stride, padding, kernel.shape)


@dataclass(frozen=True)
class RouteStep:
    """One pooling window: the gradient of its output, and where that gradient goes in the window."""

    cell: tuple  # (row, col) in the pooled map
    origin: tuple  # (row, col) of the window's top-left corner in the input
    window: np.ndarray  # (k, k[, C]) the input values under the window
    routed: np.ndarray  # (k, k[, C]) the gradient each input cell receives from this window
    value: float | np.ndarray  # the gradient arriving at the pooled cell; (C,) for C channels


@dataclass(frozen=True)
class PoolBackward:
    """The gradient of a pooling layer's input, window by window."""

    grad_x: np.ndarray  # (H, W[, C]) like the input
    grad_output: np.ndarray  # (out_h, out_w[, C])
    windows: np.ndarray  # (n_steps, k, k[, C])
    routed: np.ndarray  # (n_steps, k, k[, C])
    stride: int

    def __len__(self):
        return self.grad_output.shape[0] * self.grad_output.shape[1]

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Step {index} is out of range: there are {len(self)} steps (0 to {len(self) - 1}).")
        row, col = divmod(index, self.grad_output.shape[1])
        origin = (row * self.stride, col * self.stride)
        return RouteStep(
            (row, col), origin, self.windows[index], self.routed[index], _number(self.grad_output[row, col])
        )


def pool2d_backward(x, grad_output, size=2, stride=2, mode="max"):
    """The gradient of pooling's input, given the loss's gradient at its output."""
    return pool2d_backward_steps(x, grad_output, size, stride, mode).grad_x


def pool2d_backward_steps(x, grad_output, size=2, stride=2, mode="max"):
    """The gradient of pooling's input: max sends each window's gradient to the cell that won (the first,
    on a tie) and 0 to the others; average shares it equally. Overlapping windows add up.
    """
    if mode not in POOL_MODES:
        raise ValueError(f"Pooling mode must be one of {POOL_MODES}; got {mode!r}.")
    x = _as_image(x, "input")
    out_h, out_w = output_size(x.shape[0], size, stride, 0), output_size(x.shape[1], size, stride, 0)
    grad_output = _as_image(grad_output, "output gradient")
    if grad_output.shape != (out_h, out_w) + x.shape[2:]:
        raise ValueError(
            f"The output gradient has shape {grad_output.shape}; this pooling makes {(out_h, out_w) + x.shape[2:]}."
        )
    windows = _windows(x, (size, size), stride)[:out_h, :out_w]  # (oh, ow, k, k[, C])
    if mode == "max":
        flat = windows.reshape(out_h, out_w, size * size, *x.shape[2:])
        winner = flat.argmax(axis=2)[:, :, None]  # the first largest value of each window
        share = (np.arange(size * size).reshape(1, 1, -1, *([1] * (x.ndim - 2))) == winner).astype(float)
        share = share.reshape(windows.shape)
    else:
        share = np.full(windows.shape, 1.0 / (size * size))
    routed = share * grad_output[:, :, None, None]  # (oh, ow, k, k[, C])
    rows = (np.arange(out_h)[:, None] * stride + np.arange(size)[None, :])[:, None, :, None]
    cols = (np.arange(out_w)[:, None] * stride + np.arange(size)[None, :])[None, :, None, :]
    grad_x = np.zeros_like(x)
    np.add.at(grad_x, (rows, cols), routed)
    flat_shape = (out_h * out_w,) + windows.shape[2:]
    return PoolBackward(grad_x, grad_output, windows.reshape(flat_shape), routed.reshape(flat_shape), stride)


def _number(value):
    """A float for one channel, the array for several."""
    return float(value) if np.ndim(value) == 0 else np.asarray(value)
