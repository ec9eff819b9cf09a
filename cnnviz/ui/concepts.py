"""Views the concept pages share: presets, the formula, the arithmetic, a real digit, and their links."""

import random

import numpy as np
import streamlit as st

from cnnviz.core import explain, ops
from cnnviz.core.input_layer import normalise
from cnnviz.data.mnist import load_sample, sample_digit
from cnnviz.ui.charts import show_matrix
from cnnviz.ui.classroom import share_view
from cnnviz.ui.links import BIAS
from cnnviz.ui.state import (
    BP_EXAMPLE,
    BP_LABEL,
    BP_QUIZ,
    BP_RATE,
    BP_SEED,
    BP_TRAIN_STEPS,
    BP_UPDATES,
    COLOUR_FILTERS,
    COLOUR_QUIZ,
    CONV_ACTIVATION,
    CONV_DIGIT,
    CONV_QUIZ,
    POOL_DIGIT,
    POOL_QUIZ,
    POOL_SIZE,
    POOL_SOURCE,
    POOL_STRIDE,
    preset_key,
    remember,
    setting_key,
    size_key,
)
from cnnviz.ui.widgets import set_matrix, set_stack

FROM_CONVOLUTION, OWN_NUMBERS = "The feature map from the Convolution page", "My own numbers"


def resize_matrix(values, size):
    """Grow (with zeros) or crop a matrix to size×size, keeping its top-left values."""
    resized = np.zeros((size, size))
    keep = min(size, values.shape[0]), min(size, values.shape[1])
    resized[: keep[0], : keep[1]] = values[: keep[0], : keep[1]]
    return resized


def matrix_source(key, label, presets):
    """A preset and a size for the matrix editor `key`, from `presets` (cnnviz.data.presets.Presets); choosing
    either refills the editor."""

    preset_choice, size_choice = preset_key(key), size_key(key)

    def load_preset():
        size = size_choice.get()
        values = presets.make(preset_choice.get(), seed=random.randrange(10_000))
        set_matrix(key, resize_matrix(values, size) if values.shape[0] != size else values)

    def resize():
        current = st.session_state[f"{key}_valid"]
        set_matrix(key, resize_matrix(current, size_choice.get()))

    preset_choice.setdefault(presets.default)  # a link may have set these already
    size_choice.setdefault(presets.default_size)
    preset, size = st.columns([3, 1])
    preset.selectbox(f"{label} preset", presets.names, key=preset_choice.name, on_change=load_preset)
    size.selectbox(
        "Size",
        presets.sizes,
        key=size_choice.name,
        on_change=resize,
        format_func=lambda n: f"{n}×{n}",
    )


def convolution_settings(key, image, kernel, strides, paddings):
    """Stride, zero padding and bias for the page `key`, the output-size formula beside them.

    Returns the convolution's Steps (which hold the three settings); explains a bad one and stops the page.
    """
    stride_column, padding_column, bias_column, formula_column = st.columns([1.4, 1.4, 1.1, 3.5])
    stride = stride_column.radio("Stride", strides, horizontal=True, key=setting_key(key, "stride").name)
    padding = padding_column.radio("Zero padding", paddings, horizontal=True, key=setting_key(key, "padding").name)
    with bias_column:
        bias = bias_input(setting_key(key, "bias").name, BIAS.bounds)
    try:
        steps = ops.conv2d_steps(image, kernel, stride=stride, padding=padding, bias=bias)
    except ValueError as error:
        st.error(str(error))
        st.stop()
    with formula_column:
        size_formula(image.shape, kernel.shape, stride, padding, steps.output.shape)
    return steps


def size_formula(in_shape, kernel_shape, stride, padding, out_shape):
    """The output-size formula with the current numbers, and what a stride that does not fit drops."""
    formula = explain.size_formula(in_shape[0], kernel_shape[0], stride, padding, out_shape[0])
    st.markdown(
        f"**Output size** = ⌊(n + 2p − k) / s⌋ + 1 = {formula}, so the feature map is "
        f"**{out_shape[0]}×{out_shape[1]}**."
    )
    note = ops.tiling_note(in_shape[0], kernel_shape[0], stride, padding)
    if note:
        st.info(note, icon="✂️")


def arithmetic(text):
    """The sum written out, large enough to read from the back of a classroom."""
    st.markdown(
        f"<div class='cnnviz-sum' style='font-size:1.25rem;font-family:monospace'>{text}</div>", unsafe_allow_html=True
    )


def activation_choice(key):
    """Pick an activation and say what it does. Returns its name."""
    st.session_state.setdefault(key, "relu")
    name = st.columns(3)[0].selectbox("Activation", list(ops.ACTIVATIONS), key=key)
    st.caption(f"{name}(x) = {ops.ACTIVATION_FORMULAS[name]}, applied to every cell.")
    return name


def activation_view(values, key):
    """Pick an activation; show the map before and after it. Returns the activation's name."""
    name = activation_choice(key)
    before, after = st.columns(2)
    show_matrix(values, title="Feature map", key=f"{key}_before", container=before)
    show_matrix(ops.activate(values, name), title=f"After {name}", key=f"{key}_after", container=after)
    return name


def digit_picker(key):
    """Choose one of the bundled MNIST test digits. Returns (index, image 0–1, label)."""
    count = len(load_sample()[1][0])
    st.session_state.setdefault(key, 0)
    index = st.columns(3)[0].number_input(f"MNIST test digit (0–{count - 1})", 0, count - 1, key=key)
    image, label = sample_digit(index)
    return index, normalise(image), label


def bias_input(key, bounds):
    """The filter's bias: one number added to every sum. Returns it."""
    st.session_state.setdefault(key, 0.0)
    return st.number_input(
        "Bias",
        min_value=float(bounds[0]),
        max_value=float(bounds[1]),
        step=0.1,
        format="%.2f",
        key=key,
        help="One number the filter learns besides its weights, added once to every sum.",
    )


def digit_view(kernel, stride, padding, activation, key, bias=0.0):
    """The filter (and its bias) over a whole real digit: the digit, its feature map, and after the activation.

    Returns the digit's index.
    """
    index, image, label = digit_picker(key)
    try:
        feature_map = ops.conv2d(image, kernel, stride=stride, padding=padding, bias=bias)
    except ValueError as error:
        st.error(str(error))
        return index
    columns = st.columns(3)
    show_matrix(image, title=f"A real {label} (28×28)", key=f"{key}_digit", container=columns[0])
    map_title = f"Feature map ({feature_map.shape[0]}×{feature_map.shape[1]})"
    show_matrix(feature_map, title=map_title, key=f"{key}_map", container=columns[1])
    activated = ops.activate(feature_map, activation)
    show_matrix(activated, title=f"After {activation}", key=f"{key}_activated", container=columns[2])
    return index


def pooled_digit_view(kernel, size, stride, key):
    """A digit, its relu feature map, and that map max- and average-pooled. Returns the digit's index."""
    index, image, label = digit_picker(key)
    feature_map = ops.activate(ops.conv2d(image, kernel), "relu")
    try:
        pooled = {mode: ops.pool2d(feature_map, size, stride, mode) for mode in ops.POOL_MODES}
    except ValueError as error:
        st.error(str(error))
        return index
    shape = lambda a: f"{a.shape[0]}×{a.shape[1]}"  # noqa: E731
    columns = st.columns(4)
    show_matrix(image, title=f"A real {label} ({shape(image)})", key=f"{key}_digit", container=columns[0])
    show_matrix(feature_map, title=f"Feature map, relu ({shape(feature_map)})", key=f"{key}_map", container=columns[1])
    for column, (mode, result) in zip(columns[2:], pooled.items()):
        title = f"{mode.capitalize()} pooled ({shape(result)})"
        show_matrix(result, title=title, key=f"{key}_{mode}", container=column)
    return index


# Where each link parameter lands in a page's session state.
LINK_KEYS = {
    "conv": {
        "input_name": preset_key("conv_input").name,
        "filter_name": preset_key("conv_kernel").name,
        **{setting: setting_key("conv", setting).name for setting in ("stride", "padding", "bias")},
        "activation": CONV_ACTIVATION.name,
        "digit": CONV_DIGIT.name,
        "quiz": CONV_QUIZ.name,
    },
    "pool": {"window": POOL_SIZE.name, "stride": POOL_STRIDE.name, "digit": POOL_DIGIT.name, "quiz": POOL_QUIZ.name},
    "bp": {
        "example": BP_EXAMPLE.name,
        "class": BP_LABEL.name,
        "seed": BP_SEED.name,
        "rate": BP_RATE.name,
        "updates": BP_UPDATES.name,
        "train": BP_TRAIN_STEPS.name,
        "quiz": BP_QUIZ.name,
    },
    "colour": {
        "input_name": preset_key("colour_input").name,
        "filter_name": preset_key("colour_kernel").name,
        **{setting: setting_key("colour", setting).name for setting in ("stride", "padding", "bias")},
        "filters": COLOUR_FILTERS.name,
        "quiz": COLOUR_QUIZ.name,
    },
}
LINK_MATRICES = {
    "conv": {"input": "conv_input", "filter": "conv_kernel"},
    "pool": {"input": "pool_input"},
    "bp": {"input": "bp_input"},
    "colour": {},
}
LINK_STACKS = {"colour": {"input": "colour_input", "filter": "colour_kernel"}}  # (H, W, 3), one editor a channel


def share_filter_view(page, fields, image, kernel, steps, quiz, **more):
    """Write a filter view into the link: the input and the filter with their presets' names, stride, padding,
    bias and quiz, and `more` of the page's own (the Convolution page's activation, the Channels page's K)."""
    presets = {name: st.session_state[LINK_KEYS[page][name]] for name in ("input_name", "filter_name")}
    view = {"input": image, "filter": kernel, **presets, "stride": steps.stride, "padding": steps.padding}
    share_view(fields, {**view, "bias": steps.bias, **more, "quiz": int(quiz)})


def keep_concept_state():
    """Call on every run, whatever the page: the concept pages' choices survive visits elsewhere."""
    for page in LINK_KEYS:
        keys = [*LINK_KEYS[page].values(), f"{page}_source"]  # POOL_SOURCE for "pool"
        editors = [*LINK_MATRICES[page].values(), *LINK_STACKS.get(page, {}).values()]
        keys += [family(editor).name for editor in editors for family in (preset_key, size_key)]
        for key in keys:
            remember(key)


def restore(page):
    """A function putting a link's values into `page`'s widgets before they are drawn."""

    def apply(values):
        for name, editor in LINK_MATRICES[page].items():
            if name in values:
                set_matrix(editor, values[name])
                size_key(editor).set(values[name].shape[0])
        for name, editor in LINK_STACKS.get(page, {}).items():
            if name in values:
                set_stack(editor, values[name])
                size_key(editor).set(values[name].shape[0])
        for name, key in LINK_KEYS[page].items():
            if name in values:
                st.session_state[key] = bool(values[name]) if name == "quiz" else values[name]
        if "step" in values:
            st.session_state[f"{page}_step"] = values["step"] - 1
        if page == "pool" and "input" in values:
            POOL_SOURCE.set(OWN_NUMBERS)

    return apply
