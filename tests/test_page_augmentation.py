"""The Data augmentation page, run by Streamlit's AppTest: the grid follows the controls, the experiment is shown."""

import time
from types import SimpleNamespace

import numpy as np
import pytest

from cnnviz.data import augmentation_experiment as experiment
from cnnviz.data.augment import Augmentation, augment
from cnnviz.data.mnist import sample_digit
from cnnviz.ui import draw as draw_ui
from testkit.apptest import chart, decode, open_page, texts
from testkit.synthetic import render_digit

PAGE = "app_pages/augmentation.py"


def open_augmentation(**state):
    return open_page(PAGE, state=state, timeout=60)


def grid_pixels(app):
    """The grid's mosaic of digits as the browser receives it, NaN in the gaps."""
    z = chart(app, "aug_grid").data[0].z
    if isinstance(z, dict):  # a base64 typed array
        return decode(z).astype(float)
    return np.asarray([[np.nan if v is None else v for v in row] for row in z], dtype=float)


def test_the_grid_shows_the_digit_and_its_versions_from_the_training_augmentation():
    app = open_augmentation(aug_digit=5)
    image = sample_digit(5)[0] / 255.0
    expected = augment(np.repeat(image[None], 12, axis=0).astype(np.float32), 0, Augmentation())
    pixels = grid_pixels(app)
    assert np.count_nonzero(~np.isnan(pixels)) == 28 * 28 * 13  # the original and twelve versions
    first_row = pixels[~np.isnan(pixels).all(axis=1)][:28]  # the original, then versions 1, 2, … side by side
    tiles = [first_row[:, column : column + 28] for column in range(0, first_row.shape[1], 28 + 4)]
    np.testing.assert_allclose(tiles[0], image, atol=1e-6)
    for tile, version in zip(tiles[1:], expected):
        np.testing.assert_allclose(tile, version, atol=1e-6)


def test_a_control_and_new_draws_each_change_the_grid():
    app = open_augmentation()
    before = grid_pixels(app)
    app.slider(key="aug_rotation").set_value(40.0).run()
    turned = grid_pixels(app)
    assert not np.allclose(np.nan_to_num(before), np.nan_to_num(turned))
    app.button(key="aug_new").click().run()
    assert not np.allclose(np.nan_to_num(turned), np.nan_to_num(grid_pixels(app)))
    assert "±40°" in texts(app.caption)


def test_a_drawing_can_be_augmented(monkeypatch):
    drawing = render_digit(3)
    canvas = SimpleNamespace(json_data={"objects": [{"type": "path"}]}, image_data=drawing)
    monkeypatch.setattr(draw_ui, "st_canvas", lambda **options: canvas)
    app = open_augmentation(aug_source="My drawing")
    assert "Your digit and 12 versions" in texts(app.caption)


def test_the_experiment_shows_both_curves_and_its_reading_from_the_shipped_results():
    app = open_augmentation()
    results = experiment.load_results()
    shift, rotation = chart(app, "aug_shift_chart"), chart(app, "aug_rotation_chart")
    augmented_mean = results.curve(experiment.AUGMENTED, "shift")[0]
    line = next(trace for trace in shift.data if trace.name == "With augmentation")
    np.testing.assert_allclose(line.y, [100 * value for value in augmented_mean])
    assert list(rotation.data[1].x) == results.config.rotations
    lead = experiment.lead(results, "shift")
    reading = next(m.value for m in app.markdown if m.value.startswith("Trained with augmentation"))
    assert f"**{lead.augmented:.0%}** of test digits moved {lead.point} px" in reading


def test_missing_results_are_explained_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(experiment, "RESULTS_PATH", tmp_path / "nowhere.json")
    app = open_augmentation()
    assert "precomputed results are missing" in app.error[0].value


@pytest.mark.slow
@pytest.mark.tf
def test_run_it_yourself_trains_as_a_job_and_adds_your_curves(monkeypatch, mnist_offline):
    from cnnviz.ui import augmentation

    tiny = experiment.AugmentationExperimentConfig(
        train_size=300, test_size=100, epochs=1, seeds=(1,), max_shift=1, rotation_step=45
    )
    monkeypatch.setattr(augmentation, "SMALL_RUN", tiny)
    app = open_augmentation()
    app.button(key="aug_run").click().run()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        app.run()
        if "aug_yours" in app.session_state:
            break
        time.sleep(2)
    assert not app.exception
    yours = app.session_state["aug_yours"]
    assert yours.config.train_size == 300 and set(yours.runs) == {experiment.PLAIN, experiment.AUGMENTED}
    names = [trace.name for trace in chart(app, "aug_shift_chart").data]
    assert "yours, with augmentation" in names and "yours, without augmentation" in names
    assert any(m.value.startswith("**Your run**") for m in app.markdown)
