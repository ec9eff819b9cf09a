"""Views of the "How a CNN learns" page: the example, the forward pass, each backward step, training."""

import numpy as np
import streamlit as st

from cnnviz.core import backward_steps, tiny_cnn
from cnnviz.core.explain import matrix_text
from cnnviz.core.numbers import format_value, value_range
from cnnviz.figures.learning import loss_curve_figure
from cnnviz.figures.matrix import matrix_figure
from cnnviz.ui import concepts
from cnnviz.ui.charts import show_chart
from cnnviz.ui.course import vector_figure
from cnnviz.ui.links import DEFAULT_TRAINING_STEPS
from cnnviz.ui.state import BP_EXAMPLE, BP_LABEL, BP_RATE, BP_TRAIN_STEPS, BP_TRAIN_VIEW, BP_UPDATES
from cnnviz.ui.widgets import set_matrix

EXAMPLES = tiny_cnn.examples()
CLASS_LABELS = ("vertical", "horizontal")  # under the two scores, in the order of tiny_cnn.CLASSES
INPUT_LABELS = ("1", "2", "3", "4")  # the dense layer's inputs, counted from 1 as the sums name them


def _v(value):
    return format_value(float(value))


# A step redraws figures the other steps drew already (the same δ map for all nine filter weights):
# building a plotly figure costs more than the rest of a step, so each is built once and shared read-only.
_matrix_figure = st.cache_resource(max_entries=512, show_spinner=False)(matrix_figure)
_vector_figure = st.cache_resource(max_entries=128, show_spinner=False)(vector_figure)


def figure(column, values, title, key, **options):
    """A matrix drawn in `column`, with its numbers as a caption: the figure's text alternative."""
    show_chart(_matrix_figure(np.asarray(values), title=title, **options), key=key, container=column)
    column.caption(f"{title}: {matrix_text(values)}.")


def vector(column, values, title, key, cell=None, labels=None):
    """A short vector in `column`, its numbers (named by `labels`, when given) as a caption."""
    figure = _vector_figure(np.asarray(values), title=title, cell=cell, labels=labels)
    show_chart(figure, key=key, container=column)
    named = (f"{name} {_v(v)}" for name, v in zip(labels, np.ravel(values))) if labels else map(_v, np.ravel(values))
    column.caption(f"{title}: {', '.join(named)}.")


@st.cache_resource(max_entries=64, show_spinner=False)
def walk(image, label, seed, learning_rate, updates):
    """(params, forward, gradients, lesson steps) after `updates` updates on this example; shared read-only."""
    params = tiny_cnn.initial_params(seed)
    for _ in range(updates):
        params = tiny_cnn.update(
            params, tiny_cnn.backward_pass(params, tiny_cnn.forward(params, image, label)), learning_rate
        )
    fwd = tiny_cnn.forward(params, image, label)
    grads = tiny_cnn.backward_pass(params, fwd)
    return params, fwd, grads, backward_steps.lesson(params, fwd, grads, learning_rate)


# ------------------------------------------------------------------ the example


def example_picker():
    """Choose one of the examples (it fills the editor) and say what it is. Returns the label."""

    def load():
        chosen = EXAMPLES[BP_EXAMPLE.get()]
        set_matrix("bp_input", chosen.image)
        BP_LABEL.set(chosen.label)

    example = BP_EXAMPLE.setdefault(tiny_cnn.DEFAULT_EXAMPLE)
    BP_LABEL.setdefault(EXAMPLES[example].label)
    pick, label = st.columns([3, 2])
    pick.selectbox(
        "Example", range(len(EXAMPLES)), format_func=lambda i: EXAMPLES[i].name, key=BP_EXAMPLE.name, on_change=load
    )
    return label.radio(
        "Its class", range(len(tiny_cnn.CLASSES)), format_func=tiny_cnn.CLASSES.__getitem__, key=BP_LABEL.name
    )


def training_set(image, label):
    """The examples, with the chosen one replaced by the student's own version of it."""
    images = [e.image for e in EXAMPLES]
    labels = [e.label for e in EXAMPLES]
    chosen = BP_EXAMPLE.get()
    images[chosen], labels[chosen] = image, label
    return images, labels


def apply_update():
    BP_UPDATES.set(BP_UPDATES.get(0) + 1)


def reset_updates():
    BP_UPDATES.set(0)


# ------------------------------------------------------------------ forward


def show_forward(params, fwd):
    """The forward pass as the backward pass will retrace it: input to loss."""
    top = st.columns(4)
    figure(top[0], fwd.image, "Input (6×6)", "bp_fwd_input")
    figure(top[1], params.kernel, f"Filter (bias {_v(params.bias)})", "bp_fwd_kernel")
    figure(top[2], fwd.conv, "Filter sums + bias (4×4)", "bp_fwd_conv")
    figure(top[3], fwd.relu, "After ReLU", "bp_fwd_relu")
    bottom = st.columns(4)
    figure(bottom[0], fwd.pooled, "Max pooled (2×2)", "bp_fwd_pooled")
    figure(bottom[1], params.weights, "Dense weights (4 → 2)", "bp_fwd_weights", zrange=value_range(params.weights))
    vector(bottom[2], fwd.scores, "Scores", "bp_fwd_scores", cell=fwd.label, labels=CLASS_LABELS)
    vector(bottom[3], fwd.probs, "Softmax probabilities", "bp_fwd_probs", cell=fwd.label, labels=CLASS_LABELS)
    st.markdown(
        f"The true class is **{tiny_cnn.CLASSES[fwd.label]}**: the network gives it probability "
        f"**{_v(fwd.probs[fwd.label])}**, so the loss is −log {_v(fwd.probs[fwd.label])} = **{_v(fwd.loss)}**. "
        "The backward pass asks, for every number above: if it grew a little, how much would the loss grow?"
    )


# ------------------------------------------------------------------ one backward step


def show_step(step, params, fwd, grads, revealed):
    """The figures of one LessonStep; the asked-for number stays blank until `revealed`."""

    def hide(values, everywhere=False):
        if revealed:
            return values
        return np.full(np.shape(values), np.nan) if everywhere else _blank(values, step.cell)

    VIEWS[step.stage](step, params, fwd, grads, hide)
    if revealed:
        concepts.arithmetic(step.arithmetic)


def _blank(values, cell):
    values = np.array(values, dtype=float).reshape(np.shape(values))
    if values.ndim == 1:
        values[cell[1]] = np.nan
    else:
        values[cell] = np.nan
    return values


def _loss_view(step, params, fwd, grads, hide):
    columns = st.columns(3)
    vector(columns[0], fwd.probs, "p: probabilities", "bp_probs", cell=fwd.label, labels=CLASS_LABELS)
    vector(columns[1], tiny_cnn.one_hot(fwd.label), "y: the target", "bp_target", cell=fwd.label, labels=CLASS_LABELS)
    vector(columns[2], hide(grads.scores), "δ scores = p − y", "bp_dscores", cell=fwd.label, labels=CLASS_LABELS)


def _dense_weights_view(step, params, fwd, grads, hide):
    columns = st.columns(3)
    vector(columns[0], fwd.flat, "Dense inputs (flattened)", "bp_flat", cell=step.cell[0], labels=INPUT_LABELS)
    vector(columns[1], grads.scores, "δ scores", "bp_dscores", cell=step.cell[1], labels=CLASS_LABELS)
    figure(columns[2], hide(grads.weights), "δ dense weights", "bp_dweights", cell=step.cell)


def _dense_input_view(step, params, fwd, grads, hide):
    i = step.cell[1]
    columns = st.columns(3)
    figure(columns[0], params.weights, "Dense weights", "bp_weights", window=(i, 0, 1, 2))
    vector(columns[1], grads.scores, "δ scores", "bp_dscores", cell=None, labels=CLASS_LABELS)
    vector(columns[2], hide(grads.flat), "δ dense inputs", "bp_dflat", cell=i, labels=INPUT_LABELS)


def _flatten_view(step, params, fwd, grads, hide):
    columns = st.columns(2)
    i = step.cell[0] * tiny_cnn.POOL + step.cell[1]
    vector(columns[0], grads.flat, "δ dense inputs (4)", "bp_dflat", cell=i, labels=INPUT_LABELS)
    figure(columns[1], hide(grads.pooled), "δ pooled map (2×2)", "bp_dpooled", cell=step.cell)


def _pooling_view(step, params, fwd, grads, hide):
    route = grads.pool_steps[step.part]
    window = (*route.origin, tiny_cnn.POOL, tiny_cnn.POOL)
    partial = np.full(grads.relu.shape, np.nan)  # the windows done so far
    for done in range(step.part + 1):
        r, c = grads.pool_steps[done].origin
        partial[r : r + tiny_cnn.POOL, c : c + tiny_cnn.POOL] = grads.relu[r : r + tiny_cnn.POOL, c : c + tiny_cnn.POOL]
    columns = st.columns(3)
    figure(columns[0], fwd.relu, "After ReLU (forward)", "bp_relu", window=window)
    figure(columns[1], grads.pooled, "δ pooled map", "bp_dpooled", cell=route.cell)
    figure(columns[2], hide(partial), "δ after ReLU", "bp_drelu", window=window, zrange=value_range(grads.relu))


def _relu_view(step, params, fwd, grads, hide):
    columns = st.columns(3)
    figure(columns[0], fwd.conv, "Filter sums + bias, before ReLU", "bp_conv", cell=step.cell)
    figure(columns[1], grads.relu, "δ after ReLU", "bp_drelu", cell=step.cell)
    figure(columns[2], hide(grads.conv), "δ before ReLU", "bp_dconv", cell=step.cell, zrange=value_range(grads.conv))


def _filter_view(step, params, fwd, grads, hide):
    weight = grads.conv_steps[step.part]
    rows, cols = weight.deltas.shape
    products = hide(weight.products, everywhere=True)  # in a quiz the products would give the sum away
    partial = np.full(grads.kernel.shape, np.nan)  # the weights done so far
    partial.flat[: step.part + 1] = grads.kernel.flat[: step.part + 1]
    columns = st.columns([1.25, 1, 1, 1])
    figure(columns[0], fwd.image, "Input: what the weight met", "bp_image", window=(*weight.weight, rows, cols))
    figure(columns[1], grads.conv, "δ before ReLU", "bp_dconv")
    figure(columns[2], products, "Input × δ", "bp_products", zrange=value_range(weight.products))
    figure(columns[3], hide(partial), "δ filter", "bp_dkernel", cell=step.cell, zrange=value_range(grads.kernel))


def _bias_view(step, params, fwd, grads, hide):
    columns = st.columns(2)
    figure(columns[0], grads.conv, "δ before ReLU: all 16 add up", "bp_dconv")
    vector(columns[1], hide(np.array([grads.bias])), "δ bias", "bp_dbias", cell=0)


def _update_view(step, params, fwd, grads, hide):
    new = tiny_cnn.update(params, grads, BP_RATE.get())
    both = value_range(params.kernel, new.kernel)
    columns = st.columns(3)
    figure(columns[0], params.kernel, "Filter now", "bp_kernel_now", zrange=both)
    figure(columns[1], grads.kernel, "δ filter", "bp_dkernel")
    figure(columns[2], hide(new.kernel), "Filter after the update", "bp_kernel_new", cell=step.cell, zrange=both)


VIEWS = {
    "loss": _loss_view,
    "dense weights": _dense_weights_view,
    "dense input": _dense_input_view,
    "flatten": _flatten_view,
    "pooling": _pooling_view,
    "relu": _relu_view,
    "filter": _filter_view,
    "bias": _bias_view,
    "update": _update_view,
}


# ------------------------------------------------------------------ training


@st.cache_data(max_entries=32, show_spinner="Training…")
def cached_training(seed, images, labels, steps, learning_rate):
    return tiny_cnn.train(tiny_cnn.initial_params(seed), list(images), list(labels), steps, learning_rate)


@st.cache_data(max_entries=64, show_spinner=False)
def _responses(seed, images, labels, steps, learning_rate, shown):
    """The forward pass of every example through the network after step `shown` of that training."""
    params = cached_training(seed, images, labels, steps, learning_rate).params[shown]
    return [tiny_cnn.forward(params, image, label) for image, label in zip(images, labels)]


def show_training(seed, images, labels, learning_rate):
    """Train from the starting weights; the loss curve, and the filter at any step on a slider.

    Returns the number of training steps.
    """
    BP_TRAIN_STEPS.set(max(10, BP_TRAIN_STEPS.get(DEFAULT_TRAINING_STEPS)))
    steps = st.slider("Training steps", 10, 200, key=BP_TRAIN_STEPS.name)
    training = cached_training(seed, np.array(images), np.array(labels), steps, learning_rate)
    losses = training.losses
    BP_TRAIN_VIEW.set(min(BP_TRAIN_VIEW.get(steps), steps))
    shown = st.slider("Look at the filter after step", 0, steps, key=BP_TRAIN_VIEW.name)
    params = training.params[shown]
    responses = _responses(seed, np.array(images), np.array(labels), steps, learning_rate, shown)
    right = sum(int(np.argmax(r.probs) == r.label) for r in responses)
    curve, start, kernel = st.columns([2, 1, 1])
    show_chart(loss_curve_figure(losses, marked=shown), key="bp_loss_curve", container=curve)
    curve.caption(
        f"Loss curve: {_v(losses[0])} at the start, {_v(losses[shown])} after step {shown}"
        + (f", {_v(losses[-1])} after the last step ({steps})" if shown != steps else "")
        + f"; highest {_v(np.nanmax(losses))}."
    )
    kernels = value_range(training.kernels)
    figure(start, training.kernels[0], "Filter at the start", "bp_train_start", zrange=kernels)
    figure(kernel, params.kernel, f"Filter after step {shown}", "bp_train_kernel", zrange=kernels)
    kernel.markdown(f"Bias {_v(params.bias)}. **{right} of {len(labels)}** examples put in the right class.")
    last = _responses(seed, np.array(images), np.array(labels), steps, learning_rate, steps)
    _rate_verdict(losses, learning_rate, dead=all(r.relu.max() == 0 for r in last))
    st.markdown(f"**The filter's strongest response (after ReLU) on each example, after step {shown}:**")
    st.table(
        {
            "example": [e.name for e in EXAMPLES],
            "class": [tiny_cnn.CLASSES[label] for label in labels],
            "strongest response": [_v(r.relu.max()) for r in responses],
            "p(true class)": [_v(r.probs[r.label]) for r in responses],
        }
    )
    return steps


def _rate_verdict(losses, learning_rate, dead):
    """Say what this learning rate did: blew the loss up, killed the filter, barely moved, or worked."""
    start, end, highest = losses[0], losses[-1], np.nanmax(losses)
    died = (
        " And the filter has died: a step pushed every one of its sums below zero on every example, so ReLU "
        "passes no gradient back and it cannot learn any more."
        if dead
        else ""
    )
    if not np.all(np.isfinite(losses)) or highest > 1.5 * start:
        st.warning(
            f"Learning rate {_v(learning_rate)} is too large: the steps overshoot, the loss jumps to "
            f"{_v(highest)} (it started at {_v(start)}) and it ends at {_v(end)}.{died} Try a smaller one.",
            icon=":material/trending_up:",
        )
    elif dead and end > 0.5 * start:
        st.warning(
            f"Learning rate {_v(learning_rate)} is too large: the loss is stuck at {_v(end)} (it started at "
            f"{_v(start)}).{died} Try a smaller one.",
            icon=":material/trending_flat:",
        )
    elif end > 0.9 * start:
        st.info(
            f"Learning rate {_v(learning_rate)} is too small: the loss went from {_v(start)} only to {_v(end)}. "
            "Steps this small need many more of them.",
            icon=":material/trending_flat:",
        )
    else:
        st.success(
            f"Learning rate {_v(learning_rate)}: the loss fell from {_v(start)} to {_v(end)}.",
            icon=":material/trending_down:",
        )
