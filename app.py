"""cnnviz: the entry point. Routes to the course pages; run with `streamlit run app.py`."""

import streamlit as st

from cnnviz.ui.classroom import presentation_mode
from cnnviz.ui.concepts import keep_concept_state

st.set_page_config(page_title="cnnviz: see how a CNN works", page_icon="🔍", layout="wide")

# One line per page; a new page slots in here without touching the others.
PAGES = {
    "Start": [
        st.Page("app_pages/home.py", title="What is a CNN?", icon=":material/home:", default=True),
    ],
    "Concepts": [
        st.Page("app_pages/input_layer.py", title="Input layer", icon=":material/image:"),
        st.Page("app_pages/convolution.py", title="Convolution", icon=":material/grid_on:"),
        st.Page("app_pages/pooling.py", title="Pooling", icon=":material/compress:"),
        st.Page("app_pages/fully_connected.py", title="Fully connected", icon=":material/hub:"),
        st.Page("app_pages/ann_vs_cnn.py", title="ANN vs CNN", icon=":material/compare:"),
    ],
    "Practice": [
        st.Page("app_pages/training.py", title="Training", icon=":material/show_chart:"),
        st.Page("app_pages/draw.py", title="Draw and predict", icon=":material/draw:"),
    ],
}

page = st.navigation({section: pages for section, pages in PAGES.items() if pages})
presentation_mode()
keep_concept_state()
page.run()
