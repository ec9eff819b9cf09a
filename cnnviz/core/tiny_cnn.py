"""The smallest CNN with every layer of the course, forward and backward in NumPy, and how it learns.

6×6 input → one 3×3 filter + bias → 4×4 map → ReLU → 2×2 max pooling → flatten (4)
→ dense layer to 2 scores → softmax → cross-entropy loss. The task: vertical bar or horizontal bar.
"""

from dataclasses import dataclass

import numpy as np

from cnnviz.core import backward, ops
from cnnviz.core.dense import softmax

CLASSES = ("vertical bar", "horizontal bar")
SIZE, KERNEL, POOL = 6, 3, 2
DEFAULT_EXAMPLE = 3  # a horizontal bar: the starting filter already answers it, so gradients flow everywhere
LEARNING_RATES = (0.001, 0.01, 0.1, 0.5, 1, 3, 10)  # whole ones as ints: a link reads rate=10
DEFAULT_LEARNING_RATE = 0.5
DEFAULT_SEED = 5  # its random filter becomes a vertical edge detector, like the Convolution page's


# ---------------------------------------------------------------- the examples


@dataclass(frozen=True)
class Example:
    name: str
    image: np.ndarray  # (6, 6) pixel values 0–1
    label: int  # index into CLASSES


def _bar(position, vertical, strength=1.0, width=1):
    image = np.zeros((SIZE, SIZE))
    if vertical:
        image[:, position : position + width] = strength
    else:
        image[position : position + width, :] = strength
    return image


def examples():
    """Three vertical and three horizontal bars, in different places, one of them faint and one thick."""
    made = []
    for vertical, label in ((True, 0), (False, 1)):
        kind = "Vertical" if vertical else "Horizontal"
        where = "column" if vertical else "row"
        made += [
            Example(f"{kind} bar, {where} 2", _bar(1, vertical), label),
            Example(f"{kind} bar, {where} 4, faint", _bar(3, vertical, strength=0.6), label),
            Example(f"{kind} bar, {where}s 4–5, thick", _bar(3, vertical, width=2), label),
        ]
    return made


# ------------------------------------------------------------------ the weights


@dataclass(frozen=True)
class Params:
    kernel: np.ndarray  # (3, 3) the filter
    bias: float  # the filter's bias
    weights: np.ndarray  # (4, 2) dense layer: one column per class
    dense_bias: np.ndarray  # (2,)


def initial_params(seed=DEFAULT_SEED):
    """Small random weights, rounded to two decimals so they read on screen; biases start at 0, as in Keras."""
    rng = np.random.default_rng(seed)
    kernel = rng.uniform(-0.5, 0.5, (KERNEL, KERNEL)).round(2)
    weights = rng.uniform(-1.0, 1.0, (POOL * POOL, len(CLASSES))).round(2)
    return Params(kernel, 0.0, weights, np.zeros(len(CLASSES)))


# ------------------------------------------------------------------ forward


@dataclass(frozen=True)
class Forward:
    image: np.ndarray  # (6, 6)
    label: int
    conv: np.ndarray  # (4, 4) filter sums + bias, before ReLU
    relu: np.ndarray  # (4, 4)
    pooled: np.ndarray  # (2, 2)
    flat: np.ndarray  # (4,)
    scores: np.ndarray  # (2,)
    probs: np.ndarray  # (2,)
    loss: float  # −log(probability of the true class)


def forward(params, image, label):
    conv = ops.conv2d(image, params.kernel, bias=params.bias)  # (4, 4)
    relu = ops.activate(conv, "relu")
    pooled = ops.pool2d(relu, POOL, POOL, "max")  # (2, 2)
    flat = pooled.reshape(-1)  # (4,)
    scores = flat @ params.weights + params.dense_bias  # (2,)
    probs = softmax(scores)
    loss = float(-np.log(max(probs[label], np.finfo(float).tiny)))
    return Forward(np.asarray(image, dtype=float), label, conv, relu, pooled, flat, scores, probs, loss)


# ------------------------------------------------------------------ backward


@dataclass(frozen=True)
class Gradients:
    """The loss's gradient with respect to every number of the forward pass, last layer first."""

    scores: np.ndarray  # (2,) p − y
    weights: np.ndarray  # (4, 2) flat[i] × δscore[k]
    dense_bias: np.ndarray  # (2,) = δscores
    flat: np.ndarray  # (4,) Σ_k weight[i, k] × δscore[k]
    pooled: np.ndarray  # (2, 2) the same four numbers back in their places
    relu: np.ndarray  # (4, 4) max pooling routes each to the cell that won
    conv: np.ndarray  # (4, 4) ReLU passes it only where its input was positive
    kernel: np.ndarray  # (3, 3) Σ input × δconv over the window positions
    bias: float  # Σ δconv
    pool_steps: backward.PoolBackward
    conv_steps: backward.ConvBackward


def one_hot(label):
    target = np.zeros(len(CLASSES))
    target[label] = 1.0
    return target


def backward_pass(params, fwd):
    """Every gradient of `fwd`'s loss, from the scores back to the filter."""
    d_scores = fwd.probs - one_hot(fwd.label)
    d_weights = np.outer(fwd.flat, d_scores)
    d_flat = params.weights @ d_scores
    d_pooled = d_flat.reshape(POOL, POOL)
    pool_steps = backward.pool2d_backward_steps(fwd.relu, d_pooled, POOL, POOL, "max")
    d_conv = pool_steps.grad_x * ops.activation_slope(fwd.conv, "relu")
    conv_steps = backward.conv2d_backward_steps(fwd.image, params.kernel, d_conv)
    return Gradients(
        scores=d_scores,
        weights=d_weights,
        dense_bias=d_scores.copy(),
        flat=d_flat,
        pooled=d_pooled,
        relu=pool_steps.grad_x,
        conv=d_conv,
        kernel=conv_steps.grad_kernel,
        bias=conv_steps.grad_bias,
        pool_steps=pool_steps,
        conv_steps=conv_steps,
    )


def update(params, grads, learning_rate):
    """One step of gradient descent: every weight w ← w − learning rate × its gradient."""
    return Params(
        params.kernel - learning_rate * grads.kernel,
        params.bias - learning_rate * grads.bias,
        params.weights - learning_rate * grads.weights,
        params.dense_bias - learning_rate * grads.dense_bias,
    )


# ------------------------------------------------------------------ training


@dataclass(frozen=True)
class Training:
    losses: np.ndarray  # (steps + 1,) mean loss over the examples before each step, and after the last
    kernels: np.ndarray  # (steps + 1, 3, 3) the filter before each step, and after the last
    params: list  # steps + 1 Params

    @property
    def final(self):
        return self.params[-1]


def mean_gradients(params, images, labels):
    """(mean loss, gradients averaged over the examples, shaped like Params): one full-batch step's worth."""
    passes = [forward(params, image, label) for image, label in zip(images, labels)]
    grads = [backward_pass(params, fwd) for fwd in passes]
    names = ("kernel", "bias", "weights", "dense_bias")
    mean = {name: np.mean([getattr(g, name) for g in grads], axis=0) for name in names}
    return float(np.mean([fwd.loss for fwd in passes])), Params(**mean)


def train(params, images, labels, steps, learning_rate):
    """`steps` steps of full-batch gradient descent on the examples; the loss and filter at every step."""
    history, losses = [params], []
    for _ in range(steps):
        loss, grads = mean_gradients(history[-1], images, labels)
        losses.append(loss)
        history.append(update(history[-1], grads, learning_rate))
    losses.append(mean_gradients(history[-1], images, labels)[0])
    return Training(np.array(losses), np.array([p.kernel for p in history]), history)


def accuracy(params, images, labels):
    """How many of the examples the network puts in their class."""
    return sum(int(np.argmax(forward(params, image, label).probs) == label) for image, label in zip(images, labels))
