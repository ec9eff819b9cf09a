"""The Draw page, run by Streamlit's AppTest with a drawing handed in where the canvas would give one."""

import io
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import cnnviz.ml.models
from cnnviz.ml.models import build_seed_cnn
from cnnviz.ui import draw as draw_ui
from cnnviz.ui import models as models_ui
from testkit.apptest import open_page
from testkit.synthetic import render_digit

pytestmark = pytest.mark.tf

PAGE = "app_pages/draw.py"
TIMEOUT = 120  # the first run loads TensorFlow and the model


def canvas_returning(drawing):
    """A stand-in for the canvas component: `drawing` (RGBA) as the strokes so far, None for a blank canvas."""

    def canvas(**options):
        assert (options["width"], options["height"], options["background_color"]) == (280, 280, "#000000")
        if drawing is None:  # what the component gives before the first stroke
            return SimpleNamespace(json_data={"objects": []}, image_data=np.zeros((280, 280, 4), np.uint8))
        return SimpleNamespace(json_data={"objects": [{"type": "path"}]}, image_data=drawing)

    return canvas


@pytest.fixture
def draw_page(monkeypatch):
    """Open the Draw page with `drawing` on the canvas and `state` in session state; returns the AppTest."""

    def run(drawing=None, **state):
        monkeypatch.setattr(draw_ui, "st_canvas", canvas_returning(drawing))
        return open_page(PAGE, state=state, timeout=TIMEOUT, check=False)

    return run


@pytest.fixture
def without_shipped_model(monkeypatch, tmp_path):
    """The shipped model file replaced by a corrupt one, for this test only."""
    corrupt = tmp_path / "cnnviz_mnist.keras"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip archive")
    monkeypatch.setenv(cnnviz.ml.models.ENV_MODEL, str(corrupt))
    models_ui.shipped_model.clear()
    models_ui.shipped_inspector.clear()
    yield
    models_ui.shipped_model.clear()
    models_ui.shipped_inspector.clear()


def texts(elements):
    return " ".join(str(element.value) for element in elements)


def read_digit(app):
    """The large digit the page shows as its reading, or None."""
    for markdown in app.markdown:
        if "cnnviz-reading" in markdown.value:  # the large digit, not the phone-only line under the canvas
            return int(markdown.value.split(">")[-2].split("<")[0])
    return None


def png_bytes(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_empty_canvas_prompts_to_draw_and_predicts_nothing(draw_page):
    app = draw_page(drawing=None)

    assert not app.exception
    assert "Draw a digit from 0 to 9" in texts(app.info)
    assert read_digit(app) is None
    assert not app.tabs


@pytest.mark.parametrize("digit", [1, 3, 7])
def test_a_drawn_digit_is_read_and_shown_large(draw_page, digit):
    app = draw_page(drawing=render_digit(digit))

    assert not app.exception
    assert read_digit(app) == digit
    assert "sure" in texts(app.markdown)


def test_what_the_model_sees_shows_each_preprocessing_step_and_the_numbers(draw_page):
    app = draw_page(drawing=render_digit(4, offset=(-60, 40), scale=0.4))

    assert [tab.label for tab in app.tabs][0] == "What the model sees"
    assert "Step 5 moved the digit" in texts(app.caption)
    assert "784 numbers" in texts(app.markdown)
    assert len(app.get("plotly_chart")) == 1 + 5 + 1  # probabilities, five steps, the 28×28 grid


def test_inside_the_network_shows_every_layer_and_the_softmax(draw_page):
    app = draw_page(drawing=render_digit(2), draw_view="Inside the network")

    headings = texts(app.subheader)
    assert not app.exception
    for kind in ("filters", "pooling", "units"):
        assert kind in headings
    assert "ten scores, then the softmax" in headings
    assert "The path of your digit: input 28×28 →" in texts(app.caption)


def test_the_invariance_lab_moves_the_digit_and_shows_three_networks_along_each_move(draw_page):
    app = draw_page(drawing=render_digit(7), draw_view="Move it")

    assert not app.exception
    assert [metric.label.split(":")[0] for metric in app.metric] == ["shipped CNN", "course CNN", "dense network (MLP)"]
    charts = [chart for chart in app.get("plotly_chart") if "draw_lab_" in chart.proto.id]
    assert len(charts) == 1 + 4  # the moved digit, a curve per move
    assert "first falls below 50%" in texts(app.markdown)
    before = [metric.value for metric in app.metric]
    app.slider(key="draw_lab_across").set_value(6).run()
    assert [metric.value for metric in app.metric] != before


def test_a_channel_picked_in_a_conv_layer_is_enlarged(draw_page):
    app = draw_page(drawing=render_digit(5), draw_view="Inside the network")
    channel_input = app.number_input[0]

    channel_input.set_value(3).run()

    assert "Channel 3," in texts(app.caption)


def test_why_this_digit_explains_the_prediction_and_the_picked_digit(draw_page):
    app = draw_page(drawing=render_digit(1), draw_view="Why this digit?", draw_why_digit=7)

    captions = texts(app.caption)
    assert not app.exception
    assert "Score for 1 before the softmax" in captions
    assert "Score for 7 before the softmax" in captions


@pytest.mark.parametrize("method", ["LayerCAM", "Saliency"])
def test_each_explanation_method_draws_two_overlays(draw_page, method):
    app = draw_page(drawing=render_digit(0), draw_view="Why this digit?", draw_method=method)

    assert not app.exception
    assert sum("Evidence for" in chart.proto.spec for chart in app.get("plotly_chart")) == 2


def test_a_corrupt_upload_gets_an_error_message_and_no_prediction(draw_page):
    app = draw_page(draw_source="Upload a picture")

    app.file_uploader[0].upload("digit.png", b"\x89PNG\r\n\x1a\n but the rest is noise", "image/png").run()

    assert not app.exception
    assert "“digit.png” is not a picture that can be read" in texts(app.error)
    assert read_digit(app) is None


def test_an_uploaded_png_is_read(draw_page):
    app = draw_page(draw_source="Upload a picture")
    paper = 255 - render_digit(7)[..., 3]  # dark ink on white paper, as a scan would be

    app.file_uploader[0].upload("seven.png", png_bytes(paper), "image/png").run()

    assert not app.error
    assert read_digit(app) == 7


def test_an_mnist_test_digit_is_shown_with_its_label(draw_page):
    app = draw_page(draw_source="MNIST test digit", draw_mnist_index=0)

    assert "labelled" in texts(app.caption)
    assert "The person who labelled it wrote" in texts(app.markdown)


def test_a_corrupt_shipped_model_is_explained_and_the_session_model_used(draw_page, without_shipped_model):
    app = draw_page(drawing=render_digit(3), session_model=build_seed_cnn(), session_model_label="1 epoch")

    assert "The shipped model cannot be used" in texts(app.error)
    assert "Your model from the Training page (1 epoch)" in texts(app.caption)
    assert read_digit(app) is not None


def test_without_any_model_the_drawing_is_still_prepared(draw_page, without_shipped_model):
    app = draw_page(drawing=render_digit(3))

    assert "The shipped model cannot be used" in texts(app.error)
    assert "Train a model on the Training page" in texts(app.info)
    assert read_digit(app) is None
    assert "784 numbers" in texts(app.markdown)


def test_the_draw_page_is_in_the_apps_navigation(draw_page):
    app = draw_page(drawing=None)

    assert not app.exception
    assert app.title[0].value == "Draw a digit, and watch the network read it"


def test_the_session_model_can_be_chosen_and_opened_up(draw_page):
    app = draw_page(
        drawing=render_digit(6),
        session_model=build_seed_cnn(),
        session_model_label="seed CNN, 1 epoch",
        draw_model="session",
        draw_view="Inside the network",
    )

    assert not app.exception
    assert app.radio[0].value == "session"
    assert "conv1: 32 filters 3×3, relu" in texts(app.subheader)


def show_reading(probabilities):
    """A one-widget app: the reading of fixed probabilities, as the Draw page shows it."""
    import numpy as np

    from cnnviz.ui import draw

    draw.show_prediction(np.asarray(probabilities))


def test_an_unsure_reading_says_so_and_names_the_candidates():
    probabilities = [0, 0, 0, 0, 0.45, 0, 0, 0.15, 0, 0.40]
    app = AppTest.from_function(show_reading, args=(probabilities,), default_timeout=TIMEOUT).run()

    assert "Not sure: it could be a **4** (45%) or a **9** (40%) or a **7** (15%)" in texts(app.warning)
    assert read_digit(app) == 4


def test_evenly_spread_probabilities_are_read_as_not_a_digit():
    probabilities = [0.1] * 10
    app = AppTest.from_function(show_reading, args=(probabilities,), default_timeout=TIMEOUT).run()

    assert "This does not look like a digit to the network" in texts(app.warning)


def show_reading_line(probabilities):
    """A one-widget app: the phone's one-line reading of fixed probabilities."""
    import numpy as np

    from cnnviz.ui import draw

    draw.show_reading_line(np.asarray(probabilities))


def test_the_phone_line_says_when_there_is_no_digit():
    app = AppTest.from_function(show_reading_line, args=([0.1] * 10,), default_timeout=TIMEOUT).run()

    assert "The network sees no digit here: more below." in texts(app.markdown)


def test_a_sure_reading_gives_its_probability_without_a_warning():
    probabilities = [0.01] * 9 + [0.91]
    app = AppTest.from_function(show_reading, args=(probabilities,), default_timeout=TIMEOUT).run()

    assert not app.warning
    assert "**91.0%** sure." in texts(app.markdown)


def test_a_channel_view_is_computed_only_for_the_layers_whose_expander_is_open(draw_page):
    app = draw_page(drawing=render_digit(8), draw_view="Inside the network")
    assert len(app.number_input) == 1  # the first layer's view is open to start with
    second_layer = app.subheader[1].value.split(":")[0]

    app.session_state[f"draw_channel_{second_layer}_open"] = True
    app.run()

    assert len(app.number_input) == 2


def test_the_explanation_method_picked_survives_a_visit_to_another_tab(draw_page):
    app = draw_page(drawing=render_digit(9), draw_view="Why this digit?")
    method_control = next(control for control in app.get("button_group") if control.label == "Method")
    method_control.select("Saliency").run()

    app.session_state["draw_view"] = "What the model sees"
    app.run()  # the method control is not shown: Streamlit forgets its value
    app.session_state["draw_view"] = "Why this digit?"
    app.run()

    assert "computed on the model's 28×28 input" in texts(app.caption)
