"""The landing, Input layer, Fully connected and ANN vs CNN pages, run for real in Streamlit's AppTest."""

import re

import numpy as np
import pytest
from test_concept_pages import chart, decode, open_page

from cnnviz.data.mnist import sample_digit
from cnnviz.figures.architecture import KIND_COLOURS


def texts(app):
    return " ".join(element.value for element in (*app.markdown, *app.caption))


def test_home_diagram_shows_the_course_models_shapes_and_parameter_counts():
    app = open_page("app_pages/home.py")
    annotations = " ".join(a.text for a in chart(app, "home_diagram").layout.annotations)
    for shape in ("28×28×1", "26×26×32", "13×13×32", "5408", "100", "10"):
        assert f"<b>{shape}</b>" in annotations
    assert "320 parameters" in annotations and "540,900 parameters" in annotations
    assert "542,230 parameters in all" in texts(app)


def test_home_layer_picker_dims_the_other_layers_and_explains_the_chosen_one():
    app = open_page("app_pages/home.py")
    app.segmented_control(key="home_stage").set_value(4).run()
    assert "(5408 + 1) × 100 = **540,900**" in texts(app)
    colours = [shape.fillcolor for shape in chart(app, "home_diagram").layout.shapes]
    assert colours.count(KIND_COLOURS["dense"]) == 1  # dense1 in full colour; output, also dense, dimmed


def test_home_links_every_stage_and_the_walkthrough_to_its_page():
    app = open_page("app_pages/home.py")
    pages = {link.proto.page for link in app.get("page_link")}
    for page in ("input_layer", "convolution", "pooling", "fully_connected", "ann_vs_cnn", "training", "draw"):
        assert any(page in target for target in pages), page


def test_input_layer_shows_the_window_in_0_255_and_in_0_1():
    app = open_page("app_pages/input_layer.py")
    digit, _ = sample_digit(0)
    raw, scaled = decode(chart(app, "input_raw").data[0].z), decode(chart(app, "input_scaled").data[0].z)
    np.testing.assert_array_equal(raw, digit[10:18, 10:18])
    np.testing.assert_allclose(scaled, digit[10:18, 10:18] / 255, rtol=1e-6)


def test_input_layer_window_and_digit_widgets_change_the_numbers():
    app = open_page("app_pages/input_layer.py")
    app.selectbox(key="input_window").set_value(10).run()
    app.slider(key="input_window_row").set_value(0).run()
    app.number_input(key="input_digit").set_value(7).run()
    digit, _ = sample_digit(7)
    np.testing.assert_array_equal(decode(chart(app, "input_raw").data[0].z), digit[0:10, 10:20])
    assert "rows 0–9 and columns 10–19" in texts(app)


def test_input_layer_prints_every_channel_value_of_the_rgb_example():
    from cnnviz.core.input_layer import RGB_EXAMPLE

    app = open_page("app_pages/input_layer.py")
    red, numbers = chart(app, "input_red").data
    assert decode(red.z).tolist() == RGB_EXAMPLE[:, :, 0].tolist()
    assert numbers.text[4] == "200"  # row 1, column 0, printed in full: 200, not 2


def test_input_layer_shows_the_reshape_to_a_batch_with_one_channel():
    app = open_page("app_pages/input_layer.py")
    assert "(2000, 28, 28)" in texts(app) and "(2000, 28, 28, 1)" in texts(app)


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
    from cnnviz.ui import draw

    def missing():
        raise ModelLoadError("No model file at models/cnnviz_mnist.keras.")

    monkeypatch.setattr(draw, "_shipped_model", missing)
    app = open_page("app_pages/fully_connected.py")
    assert any("cannot be used" in error.value and "No model file" in error.value for error in app.error)
    probabilities = decode(chart(app, "fc_probabilities").data[0].y)
    assert probabilities.sum() == pytest.approx(100, abs=0.01)


@pytest.mark.slow
def test_fully_connected_writes_out_sums_that_match_keras():
    from cnnviz.ml.models import build_seed_cnn

    app = open_page("app_pages/fully_connected.py", session_model=build_seed_cnn(), session_model_label="test")
    if any(radio.key == "fc_model" for radio in app.radio):  # the shipped model is there too: pick the session's
        app.radio(key="fc_model").set_value("session").run()
    sums = [m.value for m in app.markdown if "Keras gives" in m.value]
    assert len(sums) == 2
    for text in sums:
        *_, written, keras_value = re.findall(r"\*\*(−?[\d.]+)\*\*", text)  # the sum (after ReLU), then Keras'
        assert written == keras_value, text
    assert "13×13×32 = 5,408** numbers (as in the course model)" in texts(app)


def test_ann_vs_cnn_shows_the_shipped_results_without_training():
    from cnnviz.data.ann_vs_cnn import load_results

    results = load_results()
    app = open_page("app_pages/ann_vs_cnn.py")
    lines = chart(app, "avc_shift_chart").data
    assert len(lines) == len(results.models)
    mlp = results.models["mlp"]
    np.testing.assert_allclose(decode(lines[0].y), [100 * value for value in mlp.accuracy_by_shift])
    assert f"**{mlp.accuracy:.1%}** → **{mlp.permuted_accuracy:.1%}**" in texts(app)


def test_ann_vs_cnn_parameter_table_follows_the_widgets():
    app = open_page("app_pages/ann_vs_cnn.py")
    assert "(784 + 1) × 100 = **78,500**" in texts(app)
    app.select_slider(key="avc_units").set_value(10).run()
    app.select_slider(key="avc_filters").set_value(64).run()
    assert "(784 + 1) × 10 = **7,850**" in texts(app)
    assert f"**{(9 + 1) * 64:,}** for grey images" in texts(app)


def test_ann_vs_cnn_shift_slider_moves_the_preview_digit():
    app = open_page("app_pages/ann_vs_cnn.py")
    app.slider(key="avc_shift").set_value(5).run()
    assert "5 px right" in chart(app, "avc_moved_right").layout.title.text


def test_shipped_results_say_cnns_tolerate_shifts_better_and_need_pixel_order():
    from cnnviz.data.ann_vs_cnn import load_results

    models = load_results().models
    for cnn in ("cnn", "deep_cnn"):
        assert models[cnn].accuracy_by_shift[3] > models["mlp"].accuracy_by_shift[3] + 0.1
        assert models[cnn].accuracy - models[cnn].permuted_accuracy > 0.02  # the CNNs lose from shuffling
    assert abs(models["mlp"].accuracy - models["mlp"].permuted_accuracy) < 0.01  # the MLP does not care


@pytest.mark.slow
def test_a_fresh_small_rerun_agrees_in_direction_with_the_shipped_results():
    from cnnviz.data.ann_vs_cnn import load_results
    from cnnviz.data.mnist import load_sample
    from cnnviz.ml.ann_vs_cnn import run_experiment
    from cnnviz.ui.comparison import SMALL_RERUN

    fresh = run_experiment(SMALL_RERUN, data=load_sample()).models
    shipped = load_results().models
    for models in (fresh, shipped):  # CNN keeps more of its accuracy on digits moved 2 pixels than the MLP
        kept = {kind: result.accuracy_by_shift[2] / result.accuracy for kind, result in models.items()}
        assert kept["cnn"] > kept["mlp"] and kept["deep_cnn"] > kept["mlp"], kept


@pytest.mark.slow
def test_ann_vs_cnn_rerun_button_trains_small_and_shows_that_run():
    app = open_page("app_pages/ann_vs_cnn.py")
    app.button(key="avc_rerun_button").click()
    app.run(timeout=600)
    assert not app.exception, app.exception
    rerun = app.session_state["avc_rerun"]
    assert rerun.config.train_size == 3_000 and rerun.data_source == "the bundled sample"
    assert any("Measured by your small rerun" in caption.value for caption in app.caption)
    shown = decode(chart(app, "avc_shift_chart").data[0].y)
    np.testing.assert_allclose(shown, [100 * value for value in rerun.models["mlp"].accuracy_by_shift])
