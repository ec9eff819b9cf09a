"""cnnviz.ui.training.filters_that_learn: the first layer's filters of a run, epoch by epoch, in AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.tf


def filters_of_a_run():
    import numpy as np

    from cnnviz.ml.training import FilterSnapshot, RunRecord, TrainingSettings
    from cnnviz.ui.training import filters_that_learn

    rng = np.random.default_rng(0)
    start = rng.normal(0, 0.1, (32, 3, 3)).astype(np.float32)
    edge = np.array([[1, 0, -1]] * 3, np.float32)
    record = RunRecord(run_id=1, settings=TrainingSettings())
    for epoch in range(3):
        record.add_filters(FilterSnapshot(float(epoch), start + epoch * 0.2 * edge))
    filters_that_learn(record, key="filters")


def test_a_slider_walks_through_the_start_and_every_epoch():
    app = AppTest.from_function(filters_of_a_run, default_timeout=120).run()

    slider = app.select_slider(key="filters_3")
    assert slider.options == ["start", "after epoch 1", "after epoch 2"] and slider.value == "after epoch 2"
    assert "moved by 0.267 on average since the start" in app.caption[0].value

    slider.set_value("start").run()

    assert "moved by 0.000 on average" in app.caption[0].value
