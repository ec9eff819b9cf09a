"""Data augmentation: one digit, many versions of it, and what training on them does to a CNN."""

import streamlit as st

from cnnviz.ui import augmentation

st.title("Data augmentation: more digits from the ones you have")
st.markdown(
    "A network learns only what its training digits show it. MNIST's digits are centred, upright and of one "
    "size; a drawing on a phone is often none of these. **Data augmentation** changes every training digit a "
    "little at random — turned, moved, zoomed, slanted, with thicker or thinner strokes — so the network "
    "meets a new variant of each digit in every epoch. Its label stays: a 7 turned by 10° is still a 7."
)

st.header("1. One digit, many versions")
digit_column, controls_column = st.columns([1, 2], gap="large")
with digit_column:
    chosen = augmentation.digit_choice()
with controls_column:
    settings = augmentation.controls()
if chosen is not None:
    image, name = chosen
    augmentation.show_grid(image, name, settings)
    st.subheader("Each change alone, at the limit you set")
    augmentation.show_each_change(image, settings)
st.caption(
    "These pictures come from the very code that augments the digits on the Training page and trained the "
    "shipped model (cnnviz.data.augment)."
)

st.header("2. The experiment: does it make the network robust?")
results = augmentation.shipped_results()
if results is not None:
    st.markdown(augmentation.experiment_intro(results))
    st.caption(augmentation.results_source(results))
    augmentation.show_experiment(results, yours=augmentation.your_results())
    augmentation.run_it_yourself()
