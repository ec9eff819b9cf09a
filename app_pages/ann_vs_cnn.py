"""ANN vs CNN: three claims about convolutional networks, each shown with numbers instead of stated."""

import streamlit as st

from cnnviz.core import architecture
from cnnviz.figures.ann_vs_cnn import permutation_figure, shift_accuracy_figure
from cnnviz.figures.architecture import parameter_growth_figure
from cnnviz.figures.style import PLOT_CONFIG
from cnnviz.ui import comparison

st.title("Why convolutions? A dense network against a CNN")
st.markdown(
    "A plain dense network (a multilayer perceptron, **MLP**) can read digits too: it connects every pixel to "
    "every unit of its first layer. Three claims are made for CNNs instead. Here each one is measured."
)

st.header("1. A dense layer on pixels needs too many parameters")
units_column, filters_column, kernel_column = st.columns(3)
units = units_column.select_slider("Dense layer: units", (10, 50, 100, 500), 100, key="avc_units")
filters = filters_column.select_slider("Conv layer: filters", (8, 16, 32, 64), 32, key="avc_filters")
kernel = kernel_column.select_slider("Conv layer: kernel", (3, 5, 7), 3, key="avc_kernel")
rows = architecture.parameter_growth((28, 32, 64, 128, 224, 512), units=units, filters=filters, kernel=kernel)
st.plotly_chart(parameter_growth_figure(rows), config=PLOT_CONFIG, key="avc_growth")
st.dataframe(comparison.growth_table(rows), hide_index=True)
st.markdown(comparison.growth_text(rows, units, filters, kernel))

results = comparison.experiment_results()
if results is None:
    st.stop()
st.caption(comparison.results_source(results))

st.header("2. A dense network is tied to where things are")
st.markdown(
    "Three networks learn from the same digits, centred in their 28×28 frame: the MLP, the course CNN, and a "
    "deeper CNN with two conv + pool blocks. Then the test digits are **moved** by 0 to "
    f"{results.config.max_shift} pixels (left, right, up and down, averaged)."
)
comparison.shift_preview(results.config.max_shift)
st.plotly_chart(shift_accuracy_figure(results), config=PLOT_CONFIG, key="avc_shift_chart")
st.markdown(comparison.shift_text(results))

st.header("3. A CNN relies on which pixels are neighbours")
st.markdown(
    "Now every image has its 784 pixels **shuffled**, always with the same fixed shuffle, and each network is "
    "trained again from scratch on the shuffled digits and tested on shuffled test digits."
)
comparison.permutation_preview(results.config.seed)
st.plotly_chart(permutation_figure(results), config=PLOT_CONFIG, key="avc_permutation_chart")
st.markdown(comparison.permutation_text(results))

comparison.rerun_experiment()
