"""Training page in a real Streamlit AppTest: settings, a tiny run, Stop, comparison, the server-wide cap."""

import math
import time

import pytest

from testkit.apptest import open_page as open_app_page

pytestmark = pytest.mark.tf

PAGE = "app_pages/training.py"


def open_page():
    return open_app_page(PAGE)


def train(app, size=300, epochs=1, **choices):
    app.select_slider(key="train_size").set_value(size)
    app.slider(key="train_epochs").set_value(epochs)
    for key, value in choices.items():
        app.select_slider(key=key).set_value(value)
    app.run()
    app.button(key="train_start").click()
    app.run()
    return app.session_state["training_job"]


def redraw_until(app, condition, timeout=180.0):
    """Rerun the page (as the live fragment would) until `condition(job)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        app.run()
        assert not app.exception, app.exception
        if condition(app.session_state["training_job"]):
            return app.session_state["training_job"]
        if time.monotonic() > deadline:
            raise AssertionError(
                f"page did not reach the expected state; job is {app.session_state['training_job'].state}"
            )
        time.sleep(0.5)


def chart_names(app):
    return {trace.get("name") for chart in app.get("plotly_chart") for trace in _traces(chart)}


def _traces(chart):
    import json

    return json.loads(chart.proto.spec).get("data", [])


def test_page_shows_settings_and_the_architecture_before_training():
    app = open_page()
    table = app.dataframe[0].value
    assert list(table["layer"]) == ["conv1", "pool1", "flatten", "dense1", "output"]
    assert table["parameters"].sum() == 542_230
    assert not app.button(key="train_start").disabled


def test_architecture_table_follows_the_custom_model():
    app = open_page()
    app.radio(key="train_model_kind").set_value("Build your own").run()
    app.slider(key="train_blocks").set_value(3).run()
    assert [name for name in app.dataframe[0].value["layer"] if name.startswith("conv")] == ["conv1", "conv2", "conv3"]


@pytest.mark.slow
def test_tiny_run_draws_curves_results_and_the_code():
    app = open_page()
    train(app)
    job = redraw_until(app, lambda job: not job.active)
    assert job.state == "finished"
    assert {"training (smoothed)", "validation (end of each epoch)"} <= chart_names(app)
    assert [metric.label for metric in app.metric][:2] == ["Test accuracy", "Test loss"]
    assert not app.code  # only the open tab (the confusion matrix) is computed
    app.session_state["train_result_view"] = "Show the code"
    app.run()
    assert "x_train[:300]" in app.code[0].value and "epochs=1" in app.code[0].value
    assert app.session_state["session_model"] is job.model
    assert "test accuracy" in app.session_state["session_model_label"]


@pytest.mark.slow
def test_stop_keeps_the_partial_history():
    app = open_page()
    train(app, size=10_000, epochs=3, train_batch=32)  # 282 batches an epoch: in the bundled sample too
    job = redraw_until(app, lambda job: len(job.record.batches) >= 10)
    app.button(key="train_stop").click().run()
    job = redraw_until(app, lambda job: not job.active)
    assert job.state == "stopped"
    assert 10 <= len(job.record.batches) < 3 * math.ceil(job.settings.fit_size / 32)
    assert any("kept" in warning.value for warning in app.warning)
    assert app.session_state["session_model"] is job.model  # a stopped model is still usable


@pytest.mark.slow
def test_second_run_can_be_overlaid_on_the_first():
    app = open_page()
    train(app)
    redraw_until(app, lambda job: not job.active)
    app.radio(key="train_model_kind").set_value("Build your own")
    train(app, train_rate=0.01)
    job = redraw_until(app, lambda job: not job.active and job.record.run_id == 2)
    assert job.state == "finished" and job.settings.model is not None
    assert app.multiselect(key="train_compare").value == [1, 2]
    names = chart_names(app)
    assert any(name.startswith("Run 1:") for name in names if name)
    assert any(name.startswith("Run 2: custom") and "0.01" in name for name in names if name)


@pytest.mark.slow
def test_continue_trains_the_same_run_further():
    app = open_page()
    train(app)
    redraw_until(app, lambda job: not job.active)
    app.button(key="train_continue").click().run()
    job = redraw_until(app, lambda job: not job.active and job.record.epochs_trained == 2)
    app.session_state["train_result_view"] = "Show the code"
    app.run()
    assert job.record.run_id == 1 and "epochs=2" in app.code[0].value


@pytest.mark.slow
def test_sessions_beyond_the_server_cap_wait_for_a_free_slot(monkeypatch):
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "1")
    first, second, third = open_page(), open_page(), open_page()
    train(first, size=10_000, epochs=2)
    redraw_until(first, lambda job: job.state == "training")
    train(second)
    train(third)
    for waiting in (second, third):
        job = redraw_until(waiting, lambda job: job.state == "waiting", timeout=10)
        assert any("in line for one of the 1 training slot of this server" in info.value for info in waiting.info)
    assert job.slots.capacity == 1 and job.slots.in_use == 1
    first.button(key="train_stop").click().run()
    for app in (first, second, third):
        assert redraw_until(app, lambda job: not job.active).state in ("stopped", "finished")
    assert job.slots.in_use == 0


@pytest.mark.full_mnist
def test_with_full_mnist_the_page_names_its_source_and_offers_all_60000_digits():
    import os

    app = open_page()
    assert any("60,000 training and 10,000 test digits" in caption.value for caption in app.caption)
    if os.environ.get("CNNVIZ_MNIST"):  # the file's name, never the server's folders
        shown = " ".join(caption.value for caption in app.caption)
        assert os.path.basename(os.environ["CNNVIZ_MNIST"]) in shown
        assert os.path.dirname(os.path.abspath(os.environ["CNNVIZ_MNIST"])) not in shown
    assert not any("Offline" in warning.value for warning in app.warning)
    assert app.select_slider(key="train_size").options[-1] == "60,000"


def test_offline_page_trains_on_the_bundled_sample_and_says_so(mnist_offline):
    app = open_page()
    assert any("Offline" in warning.value and "bundled sample" in warning.value for warning in app.warning)
    assert app.select_slider(key="train_size").options[-1] == "10,000"


def test_a_server_capped_at_one_epoch_offers_one_epoch_without_a_slider(monkeypatch):
    monkeypatch.setenv("CNNVIZ_MAX_EPOCHS", "1")
    app = open_page()
    assert not app.exception
    assert not [slider for slider in app.slider if slider.key == "train_epochs"]
    assert any("Epochs: 1" in caption.value for caption in app.caption)
