"""Faults a hosted app meets: a broken model file, no MNIST download, a save cut short, training cut short."""

import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from cnnviz.ml import training
from cnnviz.ml.jobs import FAILED, STOPPED, TrainingJob
from cnnviz.ml.models import ENV_MODEL, PRETRAINED_PATH, build_seed_cnn, load_pretrained, save_model
from cnnviz.ml.slots import TrainingSlots
from cnnviz.ml.training import TrainingSettings
from cnnviz.ui import draw as draw_ui
from cnnviz.ui import models as models_ui
from testkit.apptest import app_pages, open_page
from testkit.browsers import open_tab
from testkit.servers import start_app
from testkit.synthetic import render_digit
from testkit.waiting import wait_until

pytestmark = pytest.mark.tf

PAGES = app_pages()
CONCEPT_PAGES = [PAGES[title] for title in ("What is a CNN?", "Input layer", "Convolution", "Pooling")]
MODEL_PAGES = [PAGES[title] for title in ("Fully connected", "Draw and predict")]
CANNOT_USE = "The shipped model cannot be used"


def missing(folder):
    return folder / "absent.keras"


def truncated(folder):
    path = folder / "truncated.keras"
    path.write_bytes(PRETRAINED_PATH.read_bytes()[: PRETRAINED_PATH.stat().st_size // 2])
    return path


def corrupt(folder):
    path = folder / "corrupt.keras"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4000))
    return path


BROKEN_MODELS = {"missing": missing, "truncated": truncated, "corrupt": corrupt}


@pytest.fixture(params=list(BROKEN_MODELS))
def broken_model(request, monkeypatch, tmp_path):
    """$CNNVIZ_MODEL pointing at a missing, half-written or garbled model file, for this test only."""
    path = BROKEN_MODELS[request.param](tmp_path)
    monkeypatch.setenv(ENV_MODEL, str(path))
    models_ui.shipped_model.clear()
    models_ui.shipped_inspector.clear()
    yield path
    models_ui.shipped_model.clear()
    models_ui.shipped_inspector.clear()


def run_page(page, **state):
    return open_page(page, state=state, check=False)


def errors(app):
    return " ".join(element.value for element in app.error)


# -- the shipped model file is broken -----------------------------------------------------------


def test_the_model_path_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_MODEL, str(tmp_path / "elsewhere.keras"))
    with pytest.raises(ValueError, match="elsewhere.keras"):
        load_pretrained()


def test_concept_pages_work_without_a_usable_model(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_MODEL, str(corrupt(tmp_path)))
    for page in CONCEPT_PAGES:
        app = run_page(page)
        assert not app.exception, (page, app.exception)
        assert not app.error, (page, errors(app))


def test_model_pages_say_in_a_sentence_that_the_model_cannot_be_used(broken_model):
    for page in MODEL_PAGES:
        app = run_page(page)
        assert not app.exception, (page, app.exception)
        message = errors(app)
        assert CANNOT_USE in message and broken_model.name in message, page
        assert "Traceback" not in message and 'File "' not in message


def test_draw_page_offers_the_session_model_when_the_shipped_one_is_broken(broken_model, monkeypatch):
    model = build_seed_cnn()
    monkeypatch.setattr(draw_ui, "st_canvas", canvas_with(render_digit(1, stroke=22)))
    app = run_page(PAGES["Draw and predict"], session_model=model, session_model_label="run 1")
    assert not app.exception, app.exception
    assert CANNOT_USE in errors(app)
    assert any("Your model from the Training page (run 1)" in caption.value for caption in app.caption)
    assert any("The network reads" in markdown.value for markdown in app.markdown)  # the session model read it


def canvas_with(drawing):
    def canvas(**options):
        return SimpleNamespace(json_data={"objects": [{"type": "path"}]}, image_data=drawing)

    return canvas


@pytest.mark.slow
@pytest.mark.browser
def test_real_server_with_a_corrupt_model_explains_it_on_the_draw_page(chromium, tmp_path):
    with start_app(env={ENV_MODEL: str(corrupt(tmp_path))}) as server:
        context, tab = open_tab(chromium, f"{server.url}/draw", CANNOT_USE)
        try:
            tab.get_by_text("Train a model on the Training page").wait_for(timeout=10_000)
            assert "Traceback" not in tab.content()
            tab.goto(f"{server.url}/convolution")
            tab.locator("h1").first.wait_for(timeout=60_000)
            assert CANNOT_USE not in tab.content() and "Traceback" not in tab.content()
        finally:
            context.close()


# -- a model save cut short ---------------------------------------------------------------------


def test_an_interrupted_save_leaves_the_previous_model_whole(tmp_path, monkeypatch):
    target = tmp_path / "model.keras"
    target.write_bytes(PRETRAINED_PATH.read_bytes())
    model = build_seed_cnn()
    real_save = type(model).save

    def save_then_die(self, path, *args, **kwargs):  # the process is killed halfway through writing
        real_save(self, path, *args, **kwargs)
        Path(path).write_bytes(Path(path).read_bytes()[:1000])
        raise KeyboardInterrupt

    monkeypatch.setattr(type(model), "save", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, target)
    assert target.read_bytes() == PRETRAINED_PATH.read_bytes()
    assert [path.name for path in tmp_path.iterdir()] == ["model.keras"]  # no half-written leftovers
    assert load_pretrained(target).count_params() == load_pretrained().count_params()


def test_a_completed_save_replaces_the_file_with_a_loadable_model(tmp_path):
    target = tmp_path / "model.keras"
    target.write_bytes(b"an older, broken file")
    save_model(build_seed_cnn(), target)
    assert load_pretrained(target).name == "seed_cnn"
    assert [path.name for path in tmp_path.iterdir()] == ["model.keras"]


def test_save_refuses_a_name_keras_cannot_write(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        save_model(build_seed_cnn(), tmp_path / "model.h5")


# -- training cut short -------------------------------------------------------------------------


@pytest.mark.slow
def test_stopping_mid_epoch_ends_the_thread_and_frees_the_slot():
    slots = TrainingSlots(1)
    job = TrainingJob(TrainingSettings(train_size=9_000, epochs=3, batch_size=32), slots=slots)
    job.start()
    wait_until(lambda: len(job.record.batches) >= 5)
    job.request_stop()
    job.join(60)
    assert job.state == STOPPED and not job._thread.is_alive()
    assert slots.in_use == 0 and slots.waiting == 0
    assert slots.acquire(timeout=0)  # the next student gets the slot at once


def test_a_failed_training_gives_its_slot_back_and_leaves_the_shared_data_intact():
    data = training.load_training_data()
    before = data.x_train[:100].copy()

    class Broken:
        x_train = np.zeros((10, 28, 28), np.uint8)
        y_train = np.zeros(10, np.uint8)
        source = "ten blank digits"

    slots = TrainingSlots(1)
    job = TrainingJob(TrainingSettings(train_size=300, epochs=1), slots=slots, data=Broken())
    job.start()
    job.join(60)
    assert job.state == FAILED and slots.in_use == 0
    assert not data.x_train.flags.writeable and np.array_equal(data.x_train[:100], before)
