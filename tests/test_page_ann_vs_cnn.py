"""The ANN vs CNN page in Streamlit's AppTest: the shipped results, the parameter table, a small rerun."""

import time

import numpy as np
import pytest

from testkit.apptest import chart, decode, open_page


def texts(app):
    return " ".join(element.value for element in (*app.markdown, *app.caption))


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


@pytest.mark.tf
@pytest.mark.slow
def test_ann_vs_cnn_rerun_button_trains_small_and_shows_that_run():
    app = open_page("app_pages/ann_vs_cnn.py")
    app.button(key="avc_rerun_button").click()
    app.run()
    assert not app.exception, app.exception
    job = app.session_state["avc_rerun_job"]  # it trains as a job of the server's line, not in the page's run
    deadline = time.monotonic() + 900
    while job.active and time.monotonic() < deadline:
        job.touch()  # as the page's status fragment does while the student watches
        job.join(1)
    assert job.state == "finished", job.error
    app.run()  # as the status fragment does once the job has finished
    assert not app.exception, app.exception
    rerun = app.session_state["avc_rerun"]
    assert rerun.config.train_size == 3_000 and rerun.data_source == "the bundled sample"
    assert any("Measured by your small rerun" in caption.value for caption in app.caption)
    shown = decode(chart(app, "avc_shift_chart").data[0].y)
    np.testing.assert_allclose(shown, [100 * value for value in rerun.models["mlp"].accuracy_by_shift])
