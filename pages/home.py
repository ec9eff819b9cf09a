"""Landing page: what a CNN is, and where to start."""

import streamlit as st

from cnnviz.ui.routing import use_app_router

use_app_router()

st.title("See how a convolutional neural network works")
st.markdown(
    """
A convolutional neural network (CNN) reads an image in four stages:

**Input** pixels 0–255, scaled to 0–1 → **Convolution** small filters slide over the image and
an activation keeps what they find → **Pooling** each map shrinks and keeps its strongest
signals → **Fully connected** layers weigh everything and a softmax names the digit.

Every page here shows those stages with real numbers you can change.
"""
)
st.subheader("Suggested order")
st.page_link("pages/convolution.py", label="1. Convolution, step by step", icon=":material/grid_on:")
st.page_link("pages/pooling.py", label="2. Pooling: max and average", icon=":material/compress:")
st.page_link("pages/training.py", label="Train a CNN and watch it learn", icon=":material/show_chart:")
st.page_link("pages/draw.py", label="Draw a digit and see the network read it", icon=":material/draw:")
