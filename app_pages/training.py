"""Training: set the hyperparameters, press Train, watch the network learn, then look inside it."""

import streamlit as st

from cnnviz.ui import training as ui

st.title("Train a CNN on MNIST")
st.markdown(
    "Choose a model and how to train it, press **Train**, and watch the loss fall and the accuracy rise, "
    "batch by batch. Then test it on digits it never saw and look at what its first layer learned."
)
ui.init_state()
data = ui.data_notice()
settings, table_area = ui.settings_form(data)
if settings is not None:
    with table_area:
        ui.architecture_table(settings)
ui.controls(settings)
ui.live_section()
ui.results_section(data)
ui.comparison_section()
