"""Streamlit glue shared by the Input layer, Fully connected and ANN vs CNN pages: a digit picker, the shipped model."""

import numpy as np
import streamlit as st

from cnnviz.core import dense
from cnnviz.core.input_layer import normalise
from cnnviz.core.numbers import scientific_text
from cnnviz.data.mnist import load_sample, sample_digit
from cnnviz.figures.matrix import matrix_figure
from cnnviz.figures.network import picture_figure
from cnnviz.ui import models
from cnnviz.ui.charts import show_chart
from cnnviz.ui.state import FC_UNIT

WRAP = 64  # flattened numbers per row of the picture of the vector


def pick_test_digit(key, label="MNIST test digit"):
    """A number input over the bundled test digits. Returns (index, image (28, 28) uint8, label)."""
    count = len(load_sample()[1][0])
    st.session_state.setdefault(key, 0)
    index = st.number_input(f"{label} (0–{count - 1})", 0, count - 1, key=key)
    image, digit = sample_digit(index)
    return index, image, digit


def trained_network(key):
    """(NetworkInspector, label) of the model the student picks (see cnnviz.ui.models), or None, explained."""
    choice = models.choose_model(key, missing="Train a model on the Training page to see these numbers from it.")
    inspector = models.inspector_for(choice) if choice is not None else None
    return None if inspector is None else (inspector, choice.label)


def vector_figure(values, *, title, cell=None, labels=None):
    """A short vector as one row of cells, its numbers printed large and its positions (or `labels`) below."""
    ring = None if cell is None else (0, cell)
    figure = matrix_figure(np.reshape(values, (1, -1)), title=title, cell=ring, numbers=True, size=110)
    figure.update_traces(textfont_size=15)
    positions = list(range(np.size(values)))
    figure.update_xaxes(visible=True, tickvals=positions, ticktext=labels, showgrid=False, zeroline=False)
    figure.update_layout(margin_b=30)
    return figure


def show_live_dense(inspector, label):
    """One test digit through the model's flatten, a dense unit and an output unit written out, and the softmax."""
    from cnnviz.ml.inspector import DENSE, POOL

    index, digit, true_digit = pick_test_digit("fc_digit", "Test digit to read")
    activations = inspector.activations(digit)
    pooled, hidden_layers = activations.of_kind(POOL), activations.of_kind(DENSE)
    layers = dense.dense_layers(inspector.model)
    if not pooled or not hidden_layers or len(layers) < 2 or layers[0].kernel.shape[0] != pooled[-1].values.size:
        st.warning(f"This page writes out models of the form … → pooling → Flatten → Dense → Dense; {label} is not.")
        return
    maps = pooled[-1].values  # (H, W, C)
    flat = maps.reshape(-1)  # what Flatten gives: channels last, row by row
    hidden = hidden_layers[0].values  # (units,) after the first dense layer's ReLU
    first, last = layers[0], layers[-1]
    height, width, channels = maps.shape
    course = (
        "as in the course model" if flat.size == 5408 else "the course model gives 13×13×32 = 5,408 by the same rule"
    )
    st.markdown(
        f"Below, **{label}** reads test digit {index} (a {true_digit}). Its last pooling layer gives "
        f"**{height}×{width}×{channels} = {flat.size:,}** numbers ({course}). They are the real numbers of this "
        "digit, flattened by the rule above."
    )
    picture, vector = st.columns([1, 3])
    digit_figure = picture_figure(normalise(digit), title=f"Test digit {index}", height=240)
    show_chart(digit_figure, key="fc_live_digit", container=picture)
    show_chart(matrix_figure(dense.wrap(flat, WRAP), numbers=False, size=240), key="fc_live_flat", container=vector)
    vector.caption(
        f"The {flat.size:,} flattened numbers, {WRAP} per row: read left to right, then row by row. Each run of "
        f"{channels} numbers is one cell of the {height}×{width} map in all its channels."
    )

    units = first.kernel.shape[1]
    if FC_UNIT.get(units) >= units:  # first visit, or a model with fewer units
        FC_UNIT.set(int(np.argmax(hidden)))
    unit = st.number_input(f"Unit of {first.name} to write out (0–{units - 1})", 0, units - 1, key=FC_UNIT.name)
    unit_sum = dense.weighted_sum(flat, first.kernel, first.bias, unit, activation=first.activation)
    st.markdown(_sum_text(unit_sum, "x", f"unit {unit} of {first.name}", hidden[unit], "the flattened list"))
    predicted = activations.predicted_digit
    score_sum = dense.weighted_sum(hidden, last.kernel, last.bias, predicted, activation="linear")
    what = f"the score of digit {predicted} (the most likely)"
    st.markdown(_sum_text(score_sum, "h", what, activations.scores[predicted], f"the outputs of {first.name}"))
    show_softmax(activations.scores)


def _sum_text(weighted, name, what, keras_value, source):
    """A weighted sum written out: the biggest products, the rest summed, the bias, and the activation."""
    terms = " + ".join(
        f"{value:.2f} × {weight:.3f}" if weight >= 0 else f"{value:.2f} × ({weight:.3f})"
        for value, weight in zip(weighted.inputs, weighted.weights)
    )
    others = weighted.terms - len(weighted.indices)
    inputs = ", ".join(f"{name}{index}" for index in weighted.indices)
    text = (
        f"**{what}** = {terms} + *{others:,} more products, summing to {weighted.rest:.3f}* "
        f"+ bias {weighted.bias:.3f} = **{weighted.total:.3f}**"
    )
    if weighted.output != weighted.total:
        text += f", and ReLU makes it **{weighted.output:.3f}**"
    first = weighted.indices[0]
    text += (
        f". Keras gives **{keras_value:.3f}**. (The biggest products come from inputs {inputs}: "
        f"{name}{first} is number {first} of {source}, counted from 0.)"
    )
    return text.replace("-", "−")


def show_softmax(scores):
    """The ten scores, e^score, and e^score / total, as a table and two bar charts."""
    from cnnviz.figures import network as network_figures

    scores = np.asarray(scores, dtype=np.float64)
    powers = np.exp(scores)
    probabilities = dense.softmax(scores)
    rows = "\n".join(
        f"| {digit} | {score:.2f} | {power:.4g} | **{probability:.2%}** |".replace("-", "−")
        for digit, (score, power, probability) in enumerate(zip(scores, powers, probabilities))
    )
    table, bars = st.columns([1, 2])
    table.markdown(f"| digit | score | e^score | ÷ total |\n|---|---|---|---|\n{rows}", unsafe_allow_html=False)
    table.caption(
        f"e^score is e ≈ 2.718 multiplied by itself score times: always positive, and 2.7× larger for each point "
        f"of score. The total of that column is {scientific_text(powers.sum())}; each e^score ÷ total is a probability."
    )
    show_chart(network_figures.score_figure(scores, title="Scores (logits)"), key="fc_scores", container=bars)
    show_chart(
        network_figures.probability_figure(probabilities, title="After softmax: probabilities"),
        key="fc_probabilities",
        container=bars,
    )
