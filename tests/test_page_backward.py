"""The How a CNN learns page in AppTest: stepping, the update, training, quiz and links.

That it imports no TensorFlow is checked with the other concept pages in test_repository.py.
"""

import numpy as np

from cnnviz.core import backward_steps, tiny_cnn
from testkit.apptest import open_page as open_app_page

PAGE = "app_pages/backward.py"


def open_page(query=None):
    return open_app_page(PAGE, query=query)


def step_title(app):
    return next(m.value for m in app.markdown if m.value.startswith("**Step "))


def shown_sum(app):
    return next(m.value for m in app.markdown if "cnnviz-sum" in m.value)


def default_lesson():
    example = tiny_cnn.examples()[tiny_cnn.DEFAULT_EXAMPLE]
    params = tiny_cnn.initial_params()
    fwd = tiny_cnn.forward(params, example.image, example.label)
    return backward_steps.lesson(params, fwd, tiny_cnn.backward_pass(params, fwd), tiny_cnn.DEFAULT_LEARNING_RATE)


def test_the_page_opens_on_p_minus_y_and_steps_to_the_filter_gradient_sums():
    app = open_page()
    assert step_title(app).startswith("**Step 1 of 20: Softmax and cross-entropy")
    assert "p − y" in shown_sum(app)
    app.slider(key="bp_slider").set_value(11).run()  # weight (1, 2) of the filter
    assert "weight (1, 2), 2 of 9" in step_title(app)
    expected = default_lesson()[10]
    assert shown_sum(app).count("×") == 16  # input × δ at all 16 window positions
    assert expected.arithmetic in shown_sum(app)


def test_next_walks_back_through_the_layers_in_order():
    app = open_page()
    stages = []
    for _ in range(8):
        stages.append(step_title(app))
        app.button(key="bp_next").click().run()
    for title, words in zip(stages, ("Softmax", "each weight's gradient", "each input's gradient", "Flatten")):
        assert words in title
    assert "Max pooling, backwards: window 1 of 4" in stages[4]
    assert "ReLU, backwards" in step_title(app)


def test_applying_the_update_lowers_this_examples_loss():
    app = open_page()
    before = app.session_state["bp_updates"]
    loss_text = next(m.value for m in app.markdown if "so the loss is" in m.value)
    app.button(key="bp_apply").click().run()
    assert app.session_state["bp_updates"] == before + 1
    after_text = next(m.value for m in app.markdown if "so the loss is" in m.value)
    loss = lambda text: float(text.rsplit("= **", 1)[1].split("**")[0].replace("−", "-"))  # noqa: E731
    assert loss(after_text) < loss(loss_text)
    assert app.query_params["updates"] == "1"


def test_training_shows_the_loss_falling_and_too_large_a_rate_is_called_out():
    app = open_page()
    assert app.success and "the loss fell" in app.success[0].value
    app.select_slider(key="bp_rate").set_value(10).run()
    assert any("too large" in w.value for w in app.warning)
    app.select_slider(key="bp_rate").set_value(0.001).run()
    assert any("too small" in i.value for i in app.info)
    app.select_slider(key="bp_rate").set_value(3).run()
    assert any("filter has died" in w.value for w in app.warning)


def test_quiz_asks_for_the_gradient_then_reveals_it():
    app = open_page({"quiz": "1", "step": "11"})
    assert not [m for m in app.markdown if "cnnviz-sum" in m.value]
    question = next(t for t in app.text_input if t.key.startswith("bp_quiz_answer_"))
    assert "gradient of filter weight (1, 2)" in question.label
    question.input(f"{default_lesson()[10].value:.4f}")
    next(b for b in app.button if b.label == "Check").click()
    app.run()
    assert app.success and "Right" in app.success[0].value


def test_a_link_round_trips_the_view():
    teacher = open_page()
    teacher.selectbox(key="bp_example").set_value(0).run()
    teacher.select_slider(key="bp_rate").set_value(0.1).run()
    teacher.button(key="bp_next").click().run()
    teacher.button(key="bp_next").click().run()
    teacher.button(key="bp_apply").click().run()
    link = {name: teacher.query_params[name] for name in teacher.query_params}
    assert link["example"] == "0" and link["rate"] == "0.1" and link["step"] == "3" and link["updates"] == "1"

    student = open_page(link)
    assert student.selectbox(key="bp_example").value == 0
    assert student.session_state["bp_updates"] == 1
    assert step_title(student) == step_title(teacher)
    assert shown_sum(student) == shown_sum(teacher)
    np.testing.assert_array_equal(student.session_state["bp_input_valid"], tiny_cnn.examples()[0].image)


def test_a_bad_link_setting_falls_back_with_a_notice_and_the_good_ones_apply():
    app = open_page({"rate": "999", "updates": "-1", "train": "100"})
    assert app.slider(key="bp_train_steps").value == 100
    assert app.select_slider(key="bp_rate").value == tiny_cnn.DEFAULT_LEARNING_RATE
    assert len([w for w in app.warning if "using the default" in w.value]) == 2
