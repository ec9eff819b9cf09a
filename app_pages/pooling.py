"""Pooling: max and average, side by side, window by window."""

import streamlit as st

from cnnviz.core import explain, ops
from cnnviz.core.numbers import value_range
from cnnviz.data import presets
from cnnviz.ui import classroom, concepts, links
from cnnviz.ui.charts import show_matrix
from cnnviz.ui.state import (
    CONV_FILTER,
    FEATURE_MAP,
    FEATURE_MAP_SOURCE,
    POOL_DIGIT,
    POOL_QUIZ,
    POOL_SIZE,
    POOL_SOURCE,
    POOL_STRIDE,
)
from cnnviz.ui.widgets import matrix_editor, step_player

st.title("Pooling: keep the strong signals, shrink the map")
st.markdown(
    "A pooling window slides over a feature map and keeps one number per position: the **largest** "
    "(max pooling) or the **mean** (average pooling). There are no weights to learn."
)
classroom.restore_from_link("pool", (*links.POOLING, links.STEP), concepts.restore("pool"))

source = st.radio(
    "Start from", (concepts.FROM_CONVOLUTION, concepts.OWN_NUMBERS), horizontal=True, key=POOL_SOURCE.name
)
if source == concepts.FROM_CONVOLUTION:
    values = FEATURE_MAP.get(presets.seed_feature_map())
    default_source = "the opening example: 6×6 input, vertical edge, relu"
    st.caption(f"From {FEATURE_MAP_SOURCE.get(default_source)}.")
else:
    values = matrix_editor("pool_input", "Input", FEATURE_MAP.get(presets.seed_feature_map()))

size_column, stride_column, note_column = st.columns([1, 1, 3])
size = size_column.radio("Window", (2, 3), horizontal=True, key=POOL_SIZE.name, format_func=lambda n: f"{n}×{n}")
POOL_STRIDE.setdefault(2)
stride = stride_column.radio("Stride", (1, 2, 3), horizontal=True, key=POOL_STRIDE.name)
try:
    pooled = {mode: ops.pool2d_steps(values, size, stride, mode) for mode in ops.POOL_MODES}
except ValueError as error:
    st.error(str(error))
    st.stop()
with note_column:
    concepts.size_formula(values.shape, (size, size), stride, 0, pooled["max"].output.shape)
    st.markdown(explain.reduction_note(values.shape, pooled["max"].output.shape))

quiz = classroom.quiz_toggle(POOL_QUIZ.name)
value_span = value_range(values)
signature = (values.tobytes(), size, stride)


def show_step(index):
    classroom.share_step(index)
    step = pooled["max"][index]
    input_column, *mode_columns = st.columns([2, 1, 1])
    window = (*step.origin, size, size)
    show_matrix(values, title="Input", window=window, zrange=value_span, key="pool_input_chart", container=input_column)
    for column, mode in zip(mode_columns, ops.POOL_MODES):
        arithmetic = explain.pool_arithmetic(pooled[mode][index], mode)
        question = f"{mode.capitalize()} pooling: what goes in the highlighted cell?"
        expected = pooled[mode][index].value
        revealed = not quiz or classroom.ask(
            f"{POOL_QUIZ.name}_{mode}", signature, index, expected, arithmetic, question, len(pooled[mode])
        )
        written = pooled[mode].partial_output(index, current=revealed)
        title = f"{mode.capitalize()} pooling"
        show_matrix(written, title=title, cell=step.cell, zrange=value_span, key=f"pool_{mode}_chart", container=column)
        if revealed and not quiz:
            concepts.arithmetic(f"{mode}: {arithmetic}")
    if quiz:
        classroom.show_score()


step_player("pool", len(pooled["max"]), show_step)

st.header("Pooling a real digit's feature map")
st.markdown(
    "The filter from the Convolution page finds edges in a digit; pooling shrinks the map and the strokes survive."
)
kernel = CONV_FILTER.get(presets.make_filter(presets.DEFAULT_FILTER))
digit = concepts.pooled_digit_view(kernel, size, stride, key=POOL_DIGIT.name)

classroom.share_view(
    links.POOLING, {"input": values, "window": size, "stride": stride, "digit": digit, "quiz": int(quiz)}
)
