"""After `settle_tensorflow`, Streamlit's cleanup between reruns no longer resets Keras."""

import keras
import pytest
from streamlit.runtime.scriptrunner import script_runner

from cnnviz.ui.runtime import settle_tensorflow

pytestmark = pytest.mark.tf


def layer_number(layer):
    """The counter Keras appends to default names: dense → 0, dense_7 → 7."""
    suffix = layer.name.rpartition("_")[2]
    return int(suffix) if suffix.isdigit() else 0


def test_streamlit_cleanup_after_a_rerun_keeps_the_keras_state():
    settle_tensorflow()
    before = keras.layers.Dense(1)

    script_runner._clean_problem_modules()  # what Streamlit calls after every script run
    after = keras.layers.Dense(1)

    assert layer_number(after) == layer_number(before) + 1  # clear_session would have restarted at "dense"
