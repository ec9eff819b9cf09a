"""Classroom features in AppTest: shareable links, quiz mode, presentation mode, state kept across pages."""

import numpy as np
from streamlit.testing.v1 import AppTest

from testkit.apptest import APP, open_page


def params(app):
    return {name: app.query_params[name] for name in app.query_params}


def test_a_link_restores_the_same_view_in_a_fresh_session():
    teacher = open_page("app_pages/convolution.py")
    teacher.selectbox(key="conv_kernel_preset").set_value("Sobel (vertical)").run()
    teacher.radio(key="conv_padding").set_value(1).run()
    teacher.button(key="conv_next").click().run()
    teacher.button(key="conv_next").click().run()
    link = params(teacher)
    assert link["padding"] == "1" and link["step"] == "3" and "filter" in link

    student = open_page("app_pages/convolution.py", query=link)
    assert student.radio(key="conv_padding").value == 1
    assert any("Step 3 of 36" in m.value for m in student.markdown)
    np.testing.assert_array_equal(student.session_state["conv_kernel_valid"], [[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    assert student.selectbox(key="conv_kernel_preset").value == "Sobel (vertical)"


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice():
    app = open_page("app_pages/convolution.py", query={"stride": "drop table", "input": "x" * 2000, "step": "-3"})
    assert app.radio(key="conv_stride").value == 1
    assert len(app.warning) == 3 and all("using the default" in w.value for w in app.warning)
    assert any("Step 1 of 16" in m.value for m in app.markdown)


def test_pooling_link_carries_its_input_matrix():
    app = open_page("app_pages/pooling.py", query={"input": "1,2,3;4,5,6;7,8,9", "window": "2", "stride": "1"})
    assert app.radio(key="pool_source").value == "My own numbers"
    assert any("3×3 = 9 values become 2×2 = 4" in m.value for m in app.markdown)


def quiz_answer(app, key, text):
    form_input = next(t for t in app.text_input if t.key.startswith(f"{key}_answer_"))
    form_input.input(text)
    next(b for b in app.button if b.label == "Check").click()
    app.run()


def test_quiz_right_answer_reveals_the_cell_and_scores():
    app = open_page("app_pages/convolution.py", query={"quiz": "1"})
    assert not [m for m in app.markdown if "cnnviz-sum" in m.value]  # the sum is not given away
    quiz_answer(app, "conv_quiz", "-2.8")
    assert app.success and "Right" in app.success[0].value
    assert str(app.session_state["quiz_score"]) == "1 of 1"


def test_quiz_wrong_answer_explains_the_arithmetic():
    app = open_page("app_pages/convolution.py", query={"quiz": "1"})
    quiz_answer(app, "conv_quiz", "4")
    message = app.warning[0].value
    assert "you wrote 4" in message and "0.9×(−1)" in message and "= −2.8" in message
    assert str(app.session_state["quiz_score"]) == "0 of 1"


def test_pooling_quiz_asks_for_max_and_average():
    app = open_page("app_pages/pooling.py", query={"quiz": "1"})
    assert len([t for t in app.text_input if "_answer_" in t.key]) == 2


def test_presentation_mode_from_the_link_hides_the_sidebar():
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.query_params["present"] = "1"
    app.run()
    assert any("stSidebar" in m.value for m in app.markdown)
    app.button(key=next(b.key for b in app.button if b.label == "Leave presentation mode")).click().run()
    assert not any("stSidebar" in m.value for m in app.markdown)


def test_choices_survive_a_visit_to_another_page():
    app = open_page("app_pages/convolution.py")
    app.radio(key="conv_stride").set_value(2).run()
    app.selectbox(key="conv_activation").set_value("tanh").run()
    app.switch_page("app_pages/pooling.py").run()
    app.switch_page("app_pages/convolution.py").run()
    assert app.radio(key="conv_stride").value == 2
    assert app.selectbox(key="conv_activation").value == "tanh"


def test_a_link_carries_the_bias():
    app = open_page("app_pages/convolution.py", query={"bias": "-0.5"})
    assert app.number_input(key="conv_bias").value == -0.5
    assert "+ (−0.5) (bias) = " in next(m.value for m in app.markdown if "cnnviz-sum" in m.value)


def test_quiz_holds_back_the_whole_feature_map_until_every_cell_is_answered():
    app = open_page("app_pages/convolution.py", query={"quiz": "1"})
    assert not [c for c in app.get("plotly_chart") if "conv_activation" in str(c.proto.id)]
    assert any("once you have answered every cell" in i.value for i in app.info)
