"""cnnviz.ui.runtime: Streamlit's cleanup between reruns no longer resets Keras, and a missing hook stops the app."""

import keras
import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import script_runner

from cnnviz.ui import runtime

pytestmark = pytest.mark.tf


def layer_number(layer):
    """The counter Keras appends to default names: dense → 0, dense_7 → 7."""
    suffix = layer.name.rpartition("_")[2]
    return int(suffix) if suffix.isdigit() else 0


def test_streamlit_cleanup_after_a_rerun_keeps_the_keras_state():
    runtime.install()
    before = keras.layers.Dense(1)

    script_runner._clean_problem_modules()  # what Streamlit calls after every script run
    after = keras.layers.Dense(1)

    assert layer_number(after) == layer_number(before) + 1  # clear_session would have restarted at "dense"


@pytest.mark.parametrize(("owner", "name"), [(script_runner, "_clean_problem_modules"), (Runtime, "is_active_session")])
def test_a_streamlit_without_a_hook_stops_the_app_with_a_sentence_naming_it(monkeypatch, owner, name):
    monkeypatch.delattr(owner, name)
    with pytest.raises(runtime.StreamlitInternalsChanged, match=f"no {name}.*Streamlit 1.67"):
        runtime.install()


def test_the_collector_after_each_run_is_switched_off_in_the_config():
    from streamlit import config

    config.get_config_options(force_reparse=True)
    assert config.get_option("runner.postScriptGC") is False
