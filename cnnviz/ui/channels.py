"""Streamlit glue for the Channels page: colour inputs and filters edited channel by channel, a colour step, a layer."""

import random

import numpy as np
import streamlit as st

from cnnviz.core import explain, ops
from cnnviz.core.architecture import conv_formula, conv_params, course_model
from cnnviz.core.input_layer import CHANNEL_NAMES
from cnnviz.core.numbers import format_value, value_range
from cnnviz.data import colour
from cnnviz.data.model_card import shipped_conv_layers
from cnnviz.figures.channels import colour_window_figure, stack_figure
from cnnviz.figures.matrix import matrix_figure
from cnnviz.figures.style import CHANNEL_SCALES
from cnnviz.ui.charts import PROJECTOR_SIDE, presenting, show_chart, show_matrix
from cnnviz.ui.concepts import arithmetic, resize_matrix
from cnnviz.ui.links import CHANNELS_FILTERS
from cnnviz.ui.state import preset_key, size_key
from cnnviz.ui.widgets import matrix_editor, set_stack

SMALL = 200  # px: the side of a 3×3 figure, so a channel's three figures share one row


def stack_source(key, label, names, default_name, make, sizes=None):
    """A preset (and a size, if `sizes`) for the channel editors of `key`.

    A preset comes at its own size; a size then crops it or pads it with zeros.
    """

    preset_choice, size_choice = preset_key(key), size_key(key)

    def load_preset():
        values = make(preset_choice.get(), seed=random.randrange(10_000))  # at its own size
        set_stack(key, values)
        if sizes:
            size_choice.set(values.shape[0])  # the course picture is 4×4, the others 6×6×3

    def resize():
        size = size_choice.get()
        current = [st.session_state[f"{key}_{name}_valid"] for name in CHANNEL_NAMES]
        set_stack(key, np.stack([resize_matrix(channel, size) for channel in current], axis=-1))

    preset_choice.setdefault(default_name)
    if not sizes:
        st.selectbox(f"{label} preset", names, key=preset_choice.name, on_change=load_preset)
        return
    size_choice.setdefault(make(default_name).shape[0])
    preset, size = st.columns([3, 1])
    preset.selectbox(f"{label} preset", names, key=preset_choice.name, on_change=load_preset)
    size.selectbox("Size", sizes, key=size_choice.name, on_change=resize, format_func=lambda n: f"{n}×{n}×3")


def stack_editor(key, label, default):
    """Three editable grids, one per channel, side by side. Returns the (H, W, 3) stack."""
    columns = st.columns(3)
    channels = []
    for column, (channel, name) in zip(columns, enumerate(CHANNEL_NAMES)):
        with column:
            channels.append(matrix_editor(f"{key}_{name}", f"{label}, {name} channel", default[:, :, channel]))
    return np.stack(channels, axis=-1)  # (H, W, 3)


def show_colour_step(steps, index, kernel, revealed, image_range):
    """One step across channels: the picture and its window, then each channel's window, weights,
    products and sum, then the channel sums and the bias into one cell of the map."""
    step = steps[index]
    window = (*step.origin, *kernel.shape[:2])
    lines = explain.channel_arithmetic(step, kernel, CHANNEL_NAMES)
    weight_range = value_range(kernel, -kernel)  # symmetric: 0 is white in every channel, even an all-zero one
    picture, feature_map = st.columns(2)
    rows, cols = steps.padded.shape[:2]
    show_chart(
        colour_window_figure(
            steps.padded, window, title="Input (colour)", height=PROJECTOR_SIDE if presenting() else 260
        ),
        f"The input in colour, {rows}×{cols}×3, the 3×3 window at rows {step.origin[0] + 1}–{step.origin[0] + 3} "
        f"and columns {step.origin[1] + 1}–{step.origin[1] + 3}; each channel's numbers follow below.",
        key="colour_picture_chart",
        container=picture,
    )
    written = steps.partial_output(index, current=revealed)
    show_chart(
        matrix_figure(
            written,
            title="Feature map",
            cell=step.cell,
            zrange=value_range(steps.output),
            size=PROJECTOR_SIDE if presenting() else None,
        ),
        "The feature map, filled in step by step; its numbers are written under it.",
        key="colour_output_chart",
        container=feature_map,
    )
    st.caption(f"Feature map so far: {explain.matrix_text(written)}.")
    for channel, name in enumerate(CHANNEL_NAMES):
        products = step.products[:, :, channel] if revealed else np.full(kernel.shape[:2], np.nan)
        columns = st.columns([1.3, 1, 1])
        show_matrix(
            steps.padded[:, :, channel],
            title=f"{name.capitalize()} channel",
            key=f"colour_{name}_input_chart",
            container=columns[0],
            window=window,
            padding=steps.padding,
            zrange=image_range,
            colorscale=CHANNEL_SCALES[name],
        )
        show_matrix(
            kernel[:, :, channel],
            title=f"Filter, {name}",
            key=f"colour_{name}_kernel_chart",
            container=columns[1],
            size=SMALL,
            zrange=weight_range,
        )
        show_matrix(
            products,
            title=f"Input × filter, {name}",
            key=f"colour_{name}_products_chart",
            container=columns[2],
            size=SMALL,
            zrange=value_range(step.products, -step.products),
        )
        if revealed:
            st.markdown(
                f"<div class='cnnviz-channel-sum' style='font-family:monospace'>{lines[channel]}</div>",
                unsafe_allow_html=True,
            )
        else:
            st.caption(f"{name.capitalize()} window: {explain.matrix_text(step.window[:, :, channel])}.")
    if revealed:
        arithmetic(explain.channels_total(step, CHANNEL_NAMES))


def layer_view(image, kernel, bias, stride, padding, key):
    """K filters on the same input: K maps as one stack, the filters' weights, and the count.

    Returns K.
    """
    least, most = min(CHANNELS_FILTERS.choices), max(CHANNELS_FILTERS.choices)
    st.session_state.setdefault(key, CHANNELS_FILTERS.default)
    count = st.columns(3)[0].number_input(f"Filters in the layer, K ({least}–{most})", least, most, key=key)
    names, kernels, biases = colour.filter_bank(kernel, bias, count)
    maps = ops.conv2d_layer(image, kernels, biases, stride, padding)  # (out_h, out_w, K)
    rows, cols = maps.shape[:2]
    show_chart(
        stack_figure(maps, names, height=560 if presenting() else 380),
        f"{count} maps stacked one behind the other, {rows}×{cols}×{count}; their numbers are written under it.",
        key=f"{key}_stack_chart",
    )
    st.caption(
        f"The {count} maps, front to back: "
        + " ".join(f"map {k + 1} ({names[k]}): {explain.matrix_text(maps[:, :, k])}." for k in range(count))
    )
    zrange = value_range(maps)
    for start in range(0, count, 4):
        columns = st.columns(4)
        for column, k in zip(columns, range(start, min(start + 4, count))):
            show_matrix(
                maps[:, :, k],
                title=f"{k + 1}: {names[k]}",
                key=f"{key}_map_{k}_chart",
                container=column,
                size=SMALL,
                zrange=zrange,
            )
    with st.expander(f"The {count} filters' weights and biases", icon=":material/tune:"):
        st.markdown(filter_table(names, kernels, biases))
    per_filter = conv_params(3, image.shape[2], 1)
    st.markdown(
        f"Each filter has **3×3×{image.shape[2]} = {9 * image.shape[2]} weights and 1 bias**; {count} filters "
        f"make {count} maps, {rows}×{cols} each, stacked into one **{rows}×{cols}×{count}** array. The layer "
        f"learns **{conv_formula(3, image.shape[2], count)} = {per_filter} × {count} = "
        f"{conv_params(3, image.shape[2], count)} numbers**: that is Keras' `Conv2D({count}, (3, 3))` on a "
        f"colour image."
    )
    show_course_counts(count)
    return count


def show_course_counts(count):
    """The same count for the course model's conv1 and the shipped model's deeper layers."""
    conv1 = course_model()[1]
    lines = [
        f"- The course model's **conv1** reads a grey digit, one channel: {conv1.formula} = **{conv1.params}**.",
        f"- Your {count} maps would be the next layer's **{count} channels**: each of its 3×3 filters has "
        f"3×3×{count} = {9 * count} weights.",
    ]
    for layer in shipped_conv_layers()[1:]:
        lines.append(
            f"- The shipped model's **{layer.name}** reads the {layer.channels} maps before it as {layer.channels} "
            f"channels: {layer.formula} = **{layer.params:,}**."
        )
    st.markdown("\n".join(lines))


def filter_table(names, kernels, biases):
    """The filters as a Markdown table, one row each: every channel's weights, row by row, and the bias."""
    header = "| filter | " + " | ".join(f"{name} weights" for name in CHANNEL_NAMES) + " | bias |\n"
    header += "|---" * (len(CHANNEL_NAMES) + 2) + "|\n"
    rows = []
    for number, (name, kernel, bias) in enumerate(zip(names, kernels, biases), start=1):
        cells = [
            " / ".join(" ".join(format_value(v, 3) for v in row) for row in kernel[:, :, c])
            for c in range(len(CHANNEL_NAMES))
        ]
        rows.append(f"| {number}: {name} | " + " | ".join(cells) + f" | {format_value(bias, 3)} |")
    return header + "\n".join(rows)
