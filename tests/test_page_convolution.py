"""The Convolution page in Streamlit's AppTest: the classic example, stepping, bad input explained."""

import numpy as np

from testkit.apptest import open_page, window_origin


def shown_sum(app):
    return next(m.value for m in app.markdown if "cnnviz-sum" in m.value)


def test_convolution_opens_on_the_classic_6x6_3x3_4x4_example():
    app = open_page("app_pages/convolution.py")
    assert any("so the feature map is **4×4**" in m.value for m in app.markdown)
    assert any("Step 1 of 16" in m.value for m in app.markdown)


def test_next_moves_the_window_and_changes_the_sum():
    app = open_page("app_pages/convolution.py")
    before_window, before_sum = window_origin(app, "conv_input_chart"), shown_sum(app)
    app.button(key="conv_next").click().run()
    assert window_origin(app, "conv_input_chart") == (before_window[0] + 1, before_window[1])
    assert shown_sum(app) != before_sum
    assert any("Step 2 of 16" in m.value for m in app.markdown)


def test_slider_jumps_to_a_step_and_highlights_its_output_cell():
    app = open_page("app_pages/convolution.py")
    app.slider(key="conv_slider").set_value(16).run()
    assert window_origin(app, "conv_input_chart") == (2.5, 2.5)
    assert window_origin(app, "conv_output_chart") == (2.5, 2.5)


def test_the_bias_is_added_to_the_sum_and_to_the_feature_map():
    app = open_page("app_pages/convolution.py")
    assert "+ 0 (bias) = " in shown_sum(app)
    before = np.asarray(app.session_state["feature_map"])
    app.number_input(key="conv_bias").set_value(-0.5).run()
    assert "+ (−0.5) (bias) = " in shown_sum(app)
    expected = np.maximum(before - 0.5, 0)  # relu(x − 0.5) = relu(relu(x) − 0.5)
    np.testing.assert_allclose(app.session_state["feature_map"], expected)


def test_a_letter_in_the_input_gets_a_sentence_not_a_traceback():
    base = [["0"] * 6 for _ in range(6)]
    base[1][2] = "x"
    app = open_page("app_pages/convolution.py", state={"conv_input_base": base, "conv_input_version": 1})
    assert any("Row 2, column 3 of the input" in e.value and "not a number" in e.value for e in app.error)


def test_a_filter_larger_than_the_input_is_explained():
    app = open_page("app_pages/convolution.py")
    app.selectbox(key="conv_input_size").set_value(3).run()
    app.selectbox(key="conv_kernel_size").set_value(5).run()
    assert not app.exception
    assert any("does not fit" in e.value for e in app.error)


def test_a_stride_that_does_not_tile_says_what_is_dropped():
    app = open_page("app_pages/convolution.py")
    app.radio(key="conv_stride").set_value(2).run()
    assert any("never read" in i.value for i in app.info)


def test_the_link_carries_the_presets_names_and_every_setting():
    teacher = open_page("app_pages/convolution.py")
    teacher.selectbox(key="conv_kernel_preset").set_value("Horizontal edge").run()
    teacher.radio(key="conv_stride").set_value(2).run()
    link = {name: teacher.query_params[name] for name in teacher.query_params}
    assert link["filter_name"] == "Horizontal edge" and link["stride"] == "2"
    student = open_page("app_pages/convolution.py", query=link)
    assert student.session_state["conv_kernel_preset"] == "Horizontal edge"
    assert shown_sum(student) == shown_sum(teacher)
