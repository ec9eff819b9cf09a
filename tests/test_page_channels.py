"""Convolution across channels: colour presets, the written-out sums, links, and the Channels page in AppTest."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.core import explain, ops
from cnnviz.core.architecture import conv_layers
from cnnviz.core.input_layer import CHANNEL_NAMES, RGB_EXAMPLE
from cnnviz.core.url_state import decode_stack, encode_stack, read_view, write_view
from cnnviz.data import colour
from cnnviz.data.model_card import MODEL_CARD, shipped_conv_layers
from cnnviz.ui import links
from testkit.apptest import open_page as open_app_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/channels.py"
NUMBER = r"\(?(−?[\d.]+)\)?"


def open_page(query=None, **state):
    return open_app_page(PAGE, state=state, query=query)


def number(text):
    return float(text.replace("−", "-"))


def total_line(app):
    """(channel sums + bias as written, the cell's value) from 'red + green + blue + bias = a + b + c + d = v'."""
    line = next(m.value for m in app.markdown if "cnnviz-sum" in m.value)
    text = re.sub(r"<[^>]+>", "", line)
    match = re.search(rf"bias = {NUMBER} \+ {NUMBER} \+ {NUMBER} \+ {NUMBER} = (−?[\d.]+)$", text)
    assert match, text
    values = [number(v) for v in match.groups()]
    return values[:4], values[4]


# ------------------------------------------------------------------ the library


def test_the_course_picture_opens_the_page_scaled_to_0_1():
    picture = colour.make_input(colour.COURSE_PICTURE)
    assert picture.shape == (4, 4, 3)
    np.testing.assert_allclose(picture, RGB_EXAMPLE / 255, atol=0.005)


@pytest.mark.parametrize("name", colour.INPUTS)
def test_every_colour_input_is_a_6x6x3_or_4x4x3_picture_of_values_0_1(name):
    picture = colour.make_input(name)
    assert picture.shape in ((6, 6, 3), (4, 4, 3))
    assert picture.min() >= 0 and picture.max() <= 1


def test_the_picture_patch_is_where_the_drawn_picture_changes_colour():
    patch = colour.make_input(colour.PICTURE_PATCH)
    assert patch.std(axis=(0, 1)).sum() > 0.2  # not a flat piece of sky


def test_only_red_reads_the_red_value_under_the_centre():
    picture = colour.make_input(colour.RED_ON_BLUE)
    output = ops.conv2d(picture, colour.make_filter("Only red"))
    np.testing.assert_allclose(output, picture[1:-1, 1:-1, 0])


def test_the_colour_edge_fires_where_red_meets_blue():
    picture = colour.make_input(colour.RED_ON_BLUE)
    output = ops.conv2d(picture, colour.make_filter("Colour edge"))  # (4, 4)
    strongest = np.unravel_index(np.argmax(output), output.shape)
    assert strongest[1] == 1  # the window centred on column 3 of 6: red at its left, blue at its right


def test_the_channel_lines_and_the_total_add_up_to_the_cell():
    rng = np.random.default_rng(4)
    steps = ops.conv2d_steps(rng.uniform(0, 1, (6, 6, 3)).round(2), colour.make_filter(colour.RANDOM, 4), bias=-0.3)
    step = steps[7]
    lines = explain.channel_arithmetic(step, colour.make_filter(colour.RANDOM, 4), CHANNEL_NAMES)
    assert [line.split(":")[0] for line in lines] == list(CHANNEL_NAMES)
    assert all(line.count("×") == 9 for line in lines)
    total = explain.channels_total(step, CHANNEL_NAMES)
    assert total.startswith("red + green + blue + bias = ") and "+ (−0.3) = " in total
    assert step.value == pytest.approx(step.channel_sums.sum() - 0.3)


def test_a_layer_starts_with_the_students_filter_and_never_repeats_a_preset():
    names, kernels, biases = colour.filter_bank(colour.make_filter("Only red"), 0.5, 8)
    assert names[0] == "your filter" and "Only red" not in names
    assert len({kernel.tobytes() for kernel in kernels}) == 8
    np.testing.assert_array_equal(biases, [0.5, 0, 0, 0, 0, 0, 0, 0])


def test_a_stack_round_trips_through_a_link_and_a_broken_one_is_refused():
    stack = colour.make_input(colour.PICTURE_PATCH)
    np.testing.assert_allclose(decode_stack(encode_stack(stack), 3), stack)
    with pytest.raises(ValueError, match="has 2 channels, not 3"):
        decode_stack("1,2;3,4_1,2;3,4", 3)
    with pytest.raises(ValueError, match="differ in size"):
        decode_stack("1,2;3,4_1,2;3,4_1", 3)


def test_the_colour_view_round_trips_and_its_defaults_make_an_empty_link():
    defaults = {field.name: field.default for field in links.CHANNELS}
    assert write_view(links.CHANNELS, defaults) == {}
    view = {**defaults, "input": colour.make_input(colour.RED_ON_BLUE), "bias": 0.25, "filters": 7}
    values, notices = read_view(links.CHANNELS, write_view(links.CHANNELS, view))
    assert notices == [] and values["bias"] == 0.25 and values["filters"] == 7
    np.testing.assert_allclose(values["input"], view["input"])


def test_the_shipped_models_conv_layers_read_from_its_card():
    layers = shipped_conv_layers()
    assert [(layer.name, layer.channels, layer.filters) for layer in layers] == [
        ("conv1", 1, 32),
        ("conv2", 32, 64),
        ("conv3", 64, 128),
    ]
    assert layers[1].formula == "(3×3×32 + 1) × 64" and layers[1].params == 18_496


def test_a_missing_card_gives_no_layers_rather_than_an_error(tmp_path):
    assert shipped_conv_layers(tmp_path / "missing.json") == ()
    (tmp_path / "broken.json").write_text("{not json")
    assert shipped_conv_layers(tmp_path / "broken.json") == ()


def test_the_card_is_read_once_a_process_not_on_every_rerun(tmp_path):
    card = tmp_path / "model_card.json"
    shutil.copy(MODEL_CARD, card)
    first = shipped_conv_layers(card)
    card.unlink()  # a second read would find nothing
    assert shipped_conv_layers(card) == first and len(first) == 3


def test_conv_layers_follow_the_channels_through_pooling():
    layers = [("c1", "Conv2D", [26, 26, 8]), ("p", "MaxPooling2D", [13, 13, 8]), ("c2", "Conv2D", [11, 11, 16])]
    assert [layer.formula for layer in conv_layers(layers, kernel=3)] == ["(3×3×1 + 1) × 8", "(3×3×8 + 1) × 16"]


# ------------------------------------------------------------------- the page


def test_stepping_a_colour_convolution_writes_three_channel_sums_plus_bias_into_the_cell():
    app = open_page()
    app.number_input(key="colour_bias").set_value(0.5).run()
    app.button(key="colour_next").click().run()
    assert any("Step 2 of 4" in m.value for m in app.markdown)
    parts, total = total_line(app)
    assert parts[3] == 0.5
    assert sum(parts) == pytest.approx(total, abs=0.005)
    picture = colour.make_input(colour.DEFAULT_INPUT)
    expected = ops.conv2d(picture, colour.make_filter(colour.DEFAULT_FILTER), bias=0.5)
    assert total == pytest.approx(expected[0, 1], abs=0.005)
    caption = next(c.value for c in app.caption if c.value.startswith("Feature map so far"))
    assert caption.startswith(f"Feature map so far: row 1: {explain.format_value(expected[0, 0], 2)}, ")


def test_each_channel_shows_its_nine_products_and_their_sum():
    app = open_page()
    lines = [re.sub(r"<[^>]+>", "", m.value) for m in app.markdown if "cnnviz-channel-sum" in m.value]
    assert [line.split(":")[0] for line in lines] == list(CHANNEL_NAMES)
    parts, _ = total_line(app)
    for line, part in zip(lines, parts):
        assert number(line.rsplit("= ", 1)[1]) == pytest.approx(part)


def test_a_preset_fills_every_channel_and_sets_the_size():
    app = open_page()
    app.selectbox(key="colour_input_preset").set_value(colour.RED_ON_BLUE).run()
    assert app.session_state["colour_input_size"] == 6
    assert any("Step 1 of 16" in m.value for m in app.markdown)
    app.selectbox(key="colour_kernel_preset").set_value("Only red").run()
    parts, total = total_line(app)
    assert parts[1:] == [0, 0, 0] and total == parts[0]


def test_k_filters_make_k_maps_and_the_count_is_written_out():
    app = open_page()
    app.number_input(key="colour_filters").set_value(6).run()
    maps = [e for e in app.get("plotly_chart") if "colour_filters_map_" in e.proto.id]
    assert len(maps) == 6
    text = " ".join(m.value for m in app.markdown)
    assert "(3×3×3 + 1) × 6 = 28 × 6 = 168" in text
    assert "(3×3×1 + 1) × 32 = **320**" in text and "(3×3×32 + 1) × 64 = **18,496**" in text


def test_a_link_opens_the_same_colour_view():
    teacher = open_page()
    teacher.selectbox(key="colour_input_preset").set_value(colour.PICTURE_PATCH).run()
    teacher.number_input(key="colour_bias").set_value(-0.2).run()
    teacher.slider(key="colour_slider").set_value(5).run()
    link = {name: teacher.query_params[name] for name in teacher.query_params}
    assert {"input", "bias", "step"} <= set(link)
    student = open_page(query=link)
    assert any("Step 5 of 16" in m.value for m in student.markdown)
    assert total_line(student) == total_line(teacher)


def test_a_broken_colour_link_falls_back_with_a_notice():
    app = open_page(query={"input": "1,2;3,4", "filters": "99"})
    notices = " ".join(w.value for w in app.warning)
    assert "has 1 channels, not 3" in notices and "filters" in notices
    assert any("Step 1 of 4" in m.value for m in app.markdown)


def test_the_colour_quiz_asks_for_the_cell_before_revealing_it():
    app = open_page(query={"quiz": "1"})
    assert not any("cnnviz-sum" in m.value for m in app.markdown)
    expected = ops.conv2d(colour.make_input(colour.DEFAULT_INPUT), colour.make_filter(colour.DEFAULT_FILTER))[0, 0]
    app.text_input(key="colour_quiz_answer_0").input(f"{expected:.2f}")
    next(b for b in app.button if b.label == "Check").click()
    app.run()
    assert app.success and "Right" in app.success[0].value
    assert total_line(app)[1] == pytest.approx(expected, abs=0.005)
    assert not [e for e in app.get("plotly_chart") if "colour_filters_" in e.proto.id]  # the layer waits
    assert any("once you have answered every cell" in i.value for i in app.info)


def test_presentation_mode_keeps_the_colour_step():
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params["present"] = "1"
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception and app.session_state["presenting"]
    assert any(b.label == "Leave presentation mode" for b in app.button)
    assert total_line(app)
