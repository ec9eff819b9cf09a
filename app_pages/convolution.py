"""Convolution, step by step: a filter slides over the input and fills the feature map."""

import numpy as np
import streamlit as st

from cnnviz.core import explain, ops
from cnnviz.core.numbers import value_range
from cnnviz.data import presets
from cnnviz.ui import classroom, concepts, links
from cnnviz.ui.charts import show_matrix
from cnnviz.ui.state import CONV_ACTIVATION, CONV_DIGIT, CONV_QUIZ, FEATURE_MAP, FEATURE_MAP_SOURCE
from cnnviz.ui.widgets import matrix_editor, step_player

st.title("Convolution, step by step")
st.markdown(
    "A **filter** (a small grid of weights) slides over the input. At each position it multiplies "
    "the values under it by its weights and adds the products up: one number of the **feature map**."
)
classroom.restore_from_link("conv", (*links.CONVOLUTION, links.STEP), concepts.restore("conv"))

input_column, filter_column = st.columns(2)
with input_column:
    concepts.matrix_source("conv_input", "Input", presets.INPUT_PRESETS)
with filter_column:
    concepts.matrix_source("conv_kernel", "Filter", presets.FILTER_PRESETS)
with st.expander("Edit the input and the filter cell by cell", icon=":material/edit:"):
    left, right = st.columns(2)
    with left:
        image = matrix_editor("conv_input", "Input", presets.make_input(presets.DEFAULT_INPUT))
    with right:
        kernel = matrix_editor("conv_kernel", "Filter", presets.make_filter(presets.DEFAULT_FILTER))

steps = concepts.convolution_settings("conv", image, kernel, strides=(1, 2, 3), paddings=links.PADDINGS)
stride, padding, bias = steps.stride, steps.padding, steps.bias

quiz = classroom.quiz_toggle(CONV_QUIZ.name)
output_range = value_range(steps.output)
signature = (image.tobytes(), kernel.tobytes(), stride, padding, bias)


def show_step(index):
    classroom.share_step(index)
    step = steps[index]
    st.markdown(explain.step_heading(index, steps))
    columns = st.columns([1.25, 1, 1, 1])
    arithmetic = explain.conv_arithmetic(step, kernel)
    revealed = not quiz or classroom.ask(
        CONV_QUIZ.name,
        signature,
        index,
        step.value,
        arithmetic,
        f"What number goes in cell {explain.cell_text(step.cell)} of the feature map?",
        len(steps),
    )
    products = step.products if revealed else np.full(kernel.shape, np.nan)
    written = steps.partial_output(index, current=revealed)
    window = (*step.origin, *kernel.shape)
    input_options = {"window": window, "padding": padding}
    show_matrix(steps.padded, title="Input", key="conv_input_chart", container=columns[0], **input_options)
    show_matrix(kernel, title="Filter", key="conv_kernel_chart", container=columns[1])
    show_matrix(
        products,
        title="Input × filter",
        zrange=value_range(step.products),
        key="conv_products_chart",
        container=columns[2],
    )
    show_matrix(
        written, title="Feature map", cell=step.cell, zrange=output_range, key="conv_output_chart", container=columns[3]
    )
    if revealed and not quiz:
        concepts.arithmetic(arithmetic)
    if quiz:
        classroom.show_score()


step_player("conv", len(steps), show_step)

st.header("Then an activation")
if quiz and classroom.hold_back(
    CONV_QUIZ.name, signature, len(steps), "The whole feature map, before and after the activation,"
):
    activation = concepts.activation_choice(key=CONV_ACTIVATION.name)
else:
    activation = concepts.activation_view(steps.output, key=CONV_ACTIVATION.name)
FEATURE_MAP.set(ops.activate(steps.output, activation))  # the Pooling page starts from it
FEATURE_MAP_SOURCE.set(f"your Convolution page map after {activation}")

st.header("The same filter on a whole digit")
digit = concepts.digit_view(kernel, stride, padding, activation, key=CONV_DIGIT.name, bias=bias)

concepts.share_filter_view("conv", links.CONVOLUTION, image, kernel, steps, quiz, activation=activation, digit=digit)
