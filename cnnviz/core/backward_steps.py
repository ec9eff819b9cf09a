"""The tiny CNN's backward pass as the steps a student walks through: what each step computes, written out."""

from dataclasses import dataclass

import numpy as np

from cnnviz.core import tiny_cnn
from cnnviz.core.explain import sum_of_products
from cnnviz.core.numbers import DECIMALS, format_value

STAGES = ("loss", "dense weights", "dense input", "flatten", "pooling", "relu", "filter", "bias", "update")


@dataclass(frozen=True)
class LessonStep:
    stage: str  # one of STAGES
    part: int  # which pooling window or filter weight, counted from 0; 0 for one-step stages
    title: str
    explanation: str
    arithmetic: str
    value: float  # the number the quiz asks for
    question: str
    cell: tuple  # (row, col) of that number in its matrix


def _v(value, decimals=DECIMALS):
    return format_value(float(value), decimals)


def _t(value):
    text = format_value(float(value))
    return f"({text})" if text.startswith("−") else text


def _class(k):
    return tiny_cnn.CLASSES[k]


def focus(fwd):
    """The pooled cell the lesson follows through the dense layer: the strongest, as a flat index."""
    return int(np.argmax(fwd.flat))


def lesson(params, fwd, grads, learning_rate):
    """Every step of the backward pass of `fwd`, then the update, as LessonSteps."""
    steps = [_loss(fwd, grads), _dense_weights(fwd, grads), _dense_input(params, fwd, grads), _flatten(fwd, grads)]
    steps += [_pooling(grads, window) for window in range(len(grads.pool_steps))]
    steps.append(_relu(fwd, grads))
    steps += [_filter(grads, weight) for weight in range(len(grads.conv_steps))]
    steps.append(_bias(grads))
    steps.append(_update(params, fwd, grads, learning_rate))
    return steps


def _loss(fwd, grads):
    label, target = fwd.label, tiny_cnn.one_hot(fwd.label)
    pairs = ", ".join(f"{_v(p)} − {_v(y, 0)} = {_v(d)}" for p, y, d in zip(fwd.probs, target, grads.scores))
    return LessonStep(
        "loss",
        0,
        "Softmax and cross-entropy: δ = p − y",
        f"The loss is −log p({_class(label)}) = −log {_v(fwd.probs[label])} = {_v(fwd.loss)}. Its gradient with "
        "respect to each score is simply the probability minus the target (1 for the true class, 0 for the other).",
        f"δ score = p − y: {pairs}",
        float(grads.scores[label]),
        f"What is the gradient of the loss with respect to the score for “{_class(label)}” (p − y)?",
        (0, label),
    )


def _dense_weights(fwd, grads):
    i, k = focus(fwd), fwd.label
    products = "; ".join(
        f"w{row + 1}→{_class(col)}: {_t(fwd.flat[row])}×{_t(grads.scores[col])} = {_v(grads.weights[row, col])}"
        for row in range(len(fwd.flat))
        for col in range(len(tiny_cnn.CLASSES))
    )
    return LessonStep(
        "dense weights",
        0,
        "Dense layer: each weight's gradient is its input × δ of its score",
        "Weight i→k multiplied input i into score k, so nudging it changes the loss by input i × δ score k. "
        "The biases' gradients are the δs themselves.",
        products,
        float(grads.weights[i, k]),
        f"What is the gradient of the weight from input {i + 1} to the “{_class(k)}” score?",
        (i, k),
    )


def _dense_input(params, fwd, grads):
    i = focus(fwd)
    sums = "; ".join(
        f"δ input {row + 1} = {sum_of_products(params.weights[row], grads.scores, grads.flat[row])}"
        for row in range(len(fwd.flat))
    )
    return LessonStep(
        "dense input",
        0,
        "Dense layer: each input's gradient is Σ weight × δ score",
        "Input i reached both scores through its two weights, so its gradient adds up weight × δ over the scores.",
        sums,
        float(grads.flat[i]),
        f"What is the gradient of input {i + 1} of the dense layer?",
        (0, i),
    )


def _flatten(fwd, grads):
    i = focus(fwd)
    row, col = divmod(i, tiny_cnn.POOL)
    placed = "; ".join(
        f"position {n + 1} → ({n // tiny_cnn.POOL + 1}, {n % tiny_cnn.POOL + 1}): {_v(g)}"
        for n, g in enumerate(grads.flat)
    )
    return LessonStep(
        "flatten",
        0,
        "Flatten, backwards: the four gradients go back to their 2×2 places",
        "Flatten only moved numbers, so its backward pass only moves the gradients back, row by row.",
        placed,
        float(grads.pooled[row, col]),
        f"What gradient lands in cell ({row + 1}, {col + 1}) of the pooled map?",
        (row, col),
    )


def _pooling(grads, window):
    step = grads.pool_steps[window]
    winner = np.unravel_index(np.argmax(step.window), step.window.shape)  # the first largest, as routed
    row, col = step.origin[0] + int(winner[0]), step.origin[1] + int(winner[1])
    values = ", ".join(_t(v) for v in step.window.ravel())
    return LessonStep(
        "pooling",
        window,
        f"Max pooling, backwards: window {window + 1} of {len(grads.pool_steps)}",
        f"Only the largest of the four values reached the output, so only it gets the gradient {_v(step.value)}; "
        "the other three changed nothing and get 0.",
        f"max({values}) was {_v(step.window.max())} at ({row + 1}, {col + 1}): it gets δ = {_v(step.value)}, "
        "the others 0",
        float(step.value),
        f"What gradient does cell ({row + 1}, {col + 1}), the winner of this window, receive?",
        (row, col),
    )


def _relu(fwd, grads):
    nonzero = np.argwhere(grads.relu != 0)
    row, col = (int(v) for v in nonzero[0]) if len(nonzero) else (0, 0)
    z = fwd.conv[row, col]
    passes = "passes it" if z > 0 else "passes 0"
    positive = int(np.sum((grads.relu != 0) & (fwd.conv > 0)))
    return LessonStep(
        "relu",
        0,
        "ReLU, backwards: gradient passes only where the input was positive",
        f"ReLU's slope is 1 where its input was positive and 0 elsewhere. Of the {len(nonzero)} cells with a "
        f"gradient, {positive} had a positive input and keep it.",
        f"cell ({row + 1}, {col + 1}): input {_v(z)} {'>' if z > 0 else '≤'} 0, so ReLU {passes}: "
        f"{_v(grads.relu[row, col])} × {1 if z > 0 else 0} = {_v(grads.conv[row, col])}",
        float(grads.conv[row, col]),
        f"What gradient passes back through ReLU at cell ({row + 1}, {col + 1})?",
        (row, col),
    )


def _filter(grads, weight):
    step = grads.conv_steps[weight]
    row, col = step.weight
    return LessonStep(
        "filter",
        weight,
        f"The filter: weight ({row + 1}, {col + 1}), {weight + 1} of {len(grads.conv_steps)}",
        f"Weight ({row + 1}, {col + 1}) met a different input cell at each of the {step.deltas.size} window "
        "positions. Its gradient adds up input × δ over all of them: the forward sum's mirror image.",
        sum_of_products(step.inputs, step.deltas, step.value),
        float(step.value),
        f"What is the gradient of filter weight ({row + 1}, {col + 1})?",
        (row, col),
    )


def _bias(grads):
    terms = " + ".join(_t(d) for d in grads.conv.ravel())
    return LessonStep(
        "bias",
        0,
        "The filter's bias: the sum of every δ",
        "The bias was added to every one of the 16 cells, so its gradient is the sum of all 16 gradients.",
        f"{terms} = {_v(grads.bias)}",
        float(grads.bias),
        "What is the gradient of the filter's bias?",
        (0, 0),
    )


def _update(params, fwd, grads, learning_rate):
    new = tiny_cnn.update(params, grads, learning_rate)
    after = tiny_cnn.forward(new, fwd.image, fwd.label)
    rate = _v(learning_rate)
    count = sum(np.size(value) for value in (params.kernel, params.bias, params.weights, params.dense_bias))
    lines = "; ".join(
        f"({r + 1},{c + 1}): {_t(params.kernel[r, c])} − {rate}×{_t(grads.kernel[r, c])} = {_v(new.kernel[r, c])}"
        for r, c in np.ndindex(params.kernel.shape)
    )
    return LessonStep(
        "update",
        0,
        "The update: every weight takes a step against its gradient",
        f"w ← w − learning rate × gradient, with learning rate {rate}, for all {count} parameters at once "
        f"(the filter's nine are below). On this example the loss goes from {_v(fwd.loss)} to {_v(after.loss)}.",
        lines,
        float(new.kernel[0, 0]),
        "What is the new value of filter weight (1, 1)?",
        (0, 0),
    )
