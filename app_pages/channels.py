"""Channels and filters: one filter across the three channels of a colour image, then a layer of K filters."""

import streamlit as st

from cnnviz.core import explain
from cnnviz.core.input_layer import CHANNEL_NAMES
from cnnviz.core.numbers import value_range
from cnnviz.data import colour
from cnnviz.ui import channels, classroom, concepts, links
from cnnviz.ui.state import COLOUR_FILTERS, COLOUR_QUIZ
from cnnviz.ui.widgets import step_player

st.title("Channels and filters: from one filter to a Conv2D layer")
st.markdown(
    "A colour image has **three channels**: red, green and blue. A filter on it is three 3×3 grids, one per "
    "channel: **3×3×3 = 27 weights** and **one bias**. At each position every channel gives its nine products "
    "and their sum; the three sums and the bias add up to **one** number of the feature map."
)
classroom.restore_from_link("colour", (*links.CHANNELS, links.STEP), concepts.restore("colour"))

st.header("One filter on a colour image")
input_column, filter_column = st.columns(2)
with input_column:
    channels.stack_source(
        "colour_input", "Input", colour.INPUTS, colour.DEFAULT_INPUT, colour.make_input, colour.INPUT_SIZES
    )
with filter_column:
    channels.stack_source("colour_kernel", "Filter", colour.FILTER_NAMES, colour.DEFAULT_FILTER, colour.make_filter)
with st.expander("Edit the input and the filter channel by channel", icon=":material/edit:"):
    image = channels.stack_editor("colour_input", "Input", colour.make_input(colour.DEFAULT_INPUT))
    kernel = channels.stack_editor("colour_kernel", "Filter", colour.make_filter(colour.DEFAULT_FILTER))

steps = concepts.convolution_settings("colour", image, kernel, strides=(1, 2), paddings=(0, 1))
stride, padding, bias = steps.stride, steps.padding, steps.bias

quiz = classroom.quiz_toggle(COLOUR_QUIZ.name)
signature = (image.tobytes(), kernel.tobytes(), stride, padding, bias)
image_range = value_range(image)


def show_step(index):
    classroom.share_step(index)
    step = steps[index]
    st.markdown(explain.step_heading(index, steps, window="3×3×3 window"))
    revealed = not quiz or classroom.ask(
        COLOUR_QUIZ.name,
        signature,
        index,
        step.value,
        explain.channels_total(step, CHANNEL_NAMES),
        f"What number goes in cell {explain.cell_text(step.cell)} of the feature map? "
        "(Three channel sums plus the bias.)",
        len(steps),
    )
    channels.show_colour_step(steps, index, kernel, revealed, image_range)
    if quiz:
        classroom.show_score()


step_player("colour", len(steps), show_step)

st.header("A layer of K filters: K maps, the next layer's K channels")
st.markdown(
    "A convolution layer holds many filters, each with its own weights and bias, all on the **same** input. "
    "Each filter makes one map; the maps stacked are the layer's output, and the next layer reads them as "
    "its channels. Filter 1 is yours from above; the others are presets."
)
if quiz and classroom.hold_back(
    COLOUR_QUIZ.name, signature, len(steps), "The layer, whose first map is the one you are filling in,"
):
    count = COLOUR_FILTERS.setdefault(links.CHANNELS_FILTERS.default)
else:
    count = channels.layer_view(image, kernel, bias, stride, padding, key=COLOUR_FILTERS.name)

concepts.share_filter_view("colour", links.CHANNELS, image, kernel, steps, quiz, filters=count)
