"""Fully connected: Flatten lines the maps up, dense units weigh every number, softmax gives probabilities."""

import numpy as np
import streamlit as st

from cnnviz.core import architecture, dense
from cnnviz.figures.matrix import matrix_figure
from cnnviz.figures.style import PLOT_CONFIG
from cnnviz.ui import course

st.title("Fully connected: from feature maps to ten probabilities")
layers = architecture.course_model()
pooled, flat, hidden, output = layers["pool1"], layers["flatten"], layers["dense1"], layers["output"]
st.markdown(
    f"In the course model, pooling leaves **{pooled.shape_text}** numbers: {pooled.shape[2]} maps of "
    f"{pooled.shape[0]}×{pooled.shape[1]}. A dense layer wants one list, so **Flatten** lines them up: "
    f"{pooled.shape[0]} × {pooled.shape[1]} × {pooled.shape[2]} = **{flat.size:,}** numbers. Nothing is "
    "computed and nothing is learned: the numbers only change place."
)

st.header("Flatten: which cell lands where")
example = dense.example_maps()  # (3, 3, 2)
shape = example.shape
st.markdown(
    "A small map first: 3×3 cells, 2 channels. Keras keeps the **channels last**: it reads the cells row by "
    "row, and for each cell writes its value in every channel before moving on. So the two channels end up "
    "**interleaved**."
)
pick = st.columns(3)
last_row, last_col, _ = dense.last_indices(shape)
row = pick[0].slider("Row", 0, last_row, 1, key="fc_row")
col = pick[1].slider("Column", 0, last_col, 2, key="fc_col")
channel = pick[2].radio("Channel", range(shape[2]), horizontal=True, key="fc_channel")
index = dense.flatten_index(row, col, channel, shape)
columns = st.columns([1, 1, 3])
for number, column in enumerate(columns[:2]):
    column.plotly_chart(
        matrix_figure(example[:, :, number], title=f"Channel {number}", cell=(row, col) if number == channel else None),
        config=PLOT_CONFIG,
        key=f"fc_example_{number}",
    )
columns[2].plotly_chart(
    course.vector_figure(dense.flatten(example), title="Flattened: 18 numbers, positions 0–17", cell=index),
    config=PLOT_CONFIG,
    key="fc_example_flat",
)
columns[2].markdown(
    f"Cell (row {row}, column {col}) of channel {channel} goes to position\n\n"
    f"**(row × width + column) × channels + channel = ({row} × {shape[1]} + {col}) × {shape[2]} + {channel} "
    f"= {index}** (counting from 0)."
)
height, width, channels = pooled.shape
last_row, last_col, last_channel = dense.last_indices(pooled.shape)
(last_position,) = dense.last_indices((flat.size,))
cell = st.columns(3)
big_row = cell[0].slider(f"Course model: row (0–{last_row})", 0, last_row, 6, key="fc_big_row")
big_col = cell[1].slider(f"Column (0–{last_col})", 0, last_col, 6, key="fc_big_col")
big_channel = cell[2].slider(f"Channel (0–{last_channel})", 0, last_channel, 0, key="fc_big_channel")
big_index = dense.flatten_index(big_row, big_col, big_channel, pooled.shape)
together = dense.cell_positions(big_row, big_col, pooled.shape)
st.markdown(
    f"The same rule in the course model ({pooled.shape_text}): cell ({big_row}, {big_col}) of channel "
    f"{big_channel} lands at **({big_row} × {width} + {big_col}) × {channels} + {big_channel} = {big_index:,}** of "
    f"0–{last_position:,}. Positions {together[0]:,}–{together[-1]:,} hold "
    f"that cell in all {channels} channels."
)

st.header("A dense layer: weighted sums")
st.markdown(
    f"Each of the {hidden.size} units of the next layer has **one weight per input number** ({flat.size:,} of "
    f"them) and a bias. It multiplies every input by its weight, adds the products and the bias, and applies "
    f"ReLU (negative sums become 0): ({flat.size:,} + 1) × {hidden.size} = **{hidden.params:,}** parameters. "
    f"The output layer does the same with {hidden.size} inputs and {output.size} units, one per digit, and "
    "its sums are the **scores** (logits)."
)
st.header("Softmax: scores into probabilities")
st.markdown(
    "Scores can be any numbers. **Softmax** makes each one positive with e^score, then divides by their "
    "total, so the ten results add up to 1: probability of digit k = e^score_k / Σ e^score."
)

st.header("Live: a trained network reads a digit")
network = course.trained_network("fc_model")
if network is not None:
    course.show_live_dense(*network)
else:
    st.markdown("Without a model, here is softmax on made-up scores:")
    scores = np.array([1.0, -2.0, 0.5, 3.0, -1.0, 0.0, -0.5, 6.0, 1.5, 2.0])
    course.show_softmax(scores)
