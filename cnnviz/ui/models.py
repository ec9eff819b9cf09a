"""The trained networks a page can use: the shipped one (loaded once per server) or this session's, and the chooser.

TensorFlow is imported inside the functions that load or open a model, so importing this module stays quick.
"""

from dataclasses import dataclass

import streamlit as st

from cnnviz.ui.state import SESSION_INSPECTOR, SESSION_MODEL, SESSION_MODEL_LABEL, remember

SHIPPED, SESSION = "shipped", "session"


@dataclass(frozen=True)
class ModelChoice:
    model: object  # a Keras model
    label: str  # "the shipped model (…)" or "your model from the Training page (…)", fits mid-sentence
    key: str  # SHIPPED or SESSION


@st.cache_resource(show_spinner="Loading the trained network…")
def shipped_model():
    """The shipped model, loaded once per server process; every session shares it, read-only."""
    from cnnviz.ml.models import load_pretrained
    from cnnviz.ui.runtime import settle_tensorflow

    model = load_pretrained()
    settle_tensorflow()
    return model


@st.cache_resource(show_spinner="Opening up the network…")
def shipped_inspector():
    from cnnviz.ml.inspector import NetworkInspector

    return NetworkInspector(shipped_model())


def choose_model(key, *, missing="Train a model on the Training page to use it here."):
    """A radio between the shipped model and this session's (a caption when there is only one).

    Returns the ModelChoice, or None after saying why there is no model (`missing` when neither exists).
    """
    choices = {}
    with st.spinner("Loading the network. The first visit after a start takes a few seconds…"):
        from cnnviz.ml.models import ModelLoadError  # TensorFlow: the slow part of a first visit

        try:
            shipped_model()
            choices[SHIPPED] = "the shipped model (trained on MNIST, flagged 1s and marks that are not digits)"
        except ModelLoadError as error:
            st.error(f"The shipped model cannot be used: {error}")
    if SESSION_MODEL.is_set():
        choices[SESSION] = f"your model from the Training page ({SESSION_MODEL_LABEL.get('its settings')})"
    if not choices:
        st.info(missing)
        return None
    remember(key, SHIPPED)
    if st.session_state[key] not in choices:
        st.session_state[key] = next(iter(choices))
    if len(choices) > 1:
        st.radio("Model", list(choices), format_func=lambda name: _capitalised(choices[name]), key=key, horizontal=True)
    else:
        st.caption(f"Model: {_capitalised(choices[st.session_state[key]])}.")
    chosen = st.session_state[key]
    return ModelChoice(shipped_model() if chosen == SHIPPED else SESSION_MODEL.get(), choices[chosen], chosen)


def inspector_for(choice):
    """The NetworkInspector of the chosen model (one per process for the shipped model, one per session for
    the session's), or None after a warning when this model cannot be opened up."""
    from cnnviz.ml.inspector import NetworkInspector

    try:
        if choice.key == SHIPPED:
            return shipped_inspector()
        cached = SESSION_INSPECTOR.get()
        if cached is None or cached[0] is not choice.model:
            with st.spinner("Opening up your model…"):
                cached = (choice.model, NetworkInspector(choice.model))
            SESSION_INSPECTOR.set(cached)
        return cached[1]
    except ValueError as error:
        st.warning(f"This model cannot be opened up here: {error}")
        return None


def _capitalised(text):
    return text[:1].upper() + text[1:]
