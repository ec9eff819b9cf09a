"""The Fully connected page in Streamlit's AppTest: flatten, weighted sums that match Keras, softmax."""

import re

import pytest

from testkit.apptest import chart, decode, open_page

pytestmark = pytest.mark.tf


def texts(app):
    return " ".join(element.value for element in (*app.markdown, *app.caption))


def test_fully_connected_flatten_index_follows_the_sliders():
    app = open_page("app_pages/fully_connected.py")
    assert "= 10** (counting from 0)" in texts(app)  # cell (1, 2) of channel 0 in a 3×3×2 map
    app.radio(key="fc_channel").set_value(1).run()
    app.slider(key="fc_row").set_value(2).run()
    assert "(2 × 3 + 2) × 2 + 1 = 17" in texts(app)
    app.slider(key="fc_big_row").set_value(12).run()
    app.slider(key="fc_big_col").set_value(12).run()
    app.slider(key="fc_big_channel").set_value(31).run()
    assert "(12 × 13 + 12) × 32 + 31 = 5,407" in texts(app)


def test_fully_connected_without_a_model_explains_why_and_still_shows_softmax(monkeypatch):
    from cnnviz.ml.models import ModelLoadError
    from cnnviz.ui import models

    def missing():
        raise ModelLoadError("No model file at models/cnnviz_mnist.keras.")

    monkeypatch.setattr(models, "shipped_model", missing)
    app = open_page("app_pages/fully_connected.py")
    assert any("cannot be used" in error.value and "No model file" in error.value for error in app.error)
    probabilities = decode(chart(app, "fc_probabilities").data[0].y)
    assert probabilities.sum() == pytest.approx(100, abs=0.01)


@pytest.mark.slow
def test_fully_connected_writes_out_sums_that_match_keras():
    from cnnviz.ml.models import build_seed_cnn

    app = open_page(
        "app_pages/fully_connected.py", state={"session_model": build_seed_cnn(), "session_model_label": "test"}
    )
    if any(radio.key == "fc_model" for radio in app.radio):  # the shipped model is there too: pick the session's
        app.radio(key="fc_model").set_value("session").run()
    sums = [m.value for m in app.markdown if "Keras gives" in m.value]
    assert len(sums) == 2
    for text in sums:
        *_, written, keras_value = re.findall(r"\*\*(−?[\d.]+)\*\*", text)  # the sum (after ReLU), then Keras'
        assert written == keras_value, text
    assert "13×13×32 = 5,408** numbers (as in the course model)" in texts(app)
