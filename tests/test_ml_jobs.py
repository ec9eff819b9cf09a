"""cnnviz.ml.jobs: a training in a background thread that waits for a slot, stops, continues and fails in a sentence."""

import math
import time

import numpy as np
import pytest

from cnnviz.ml.jobs import CANCELLED, FAILED, FINISHED, STOPPED, WAITING, TrainingJob
from cnnviz.ml.slots import TrainingSlots
from cnnviz.ml.training import (
    TrainingSettings,
    load_training_data,
)
from testkit.waiting import wait_until

pytestmark = pytest.mark.tf


@pytest.mark.slow
def test_job_trains_evaluates_and_continues_on_the_same_model():
    job = TrainingJob(TrainingSettings(train_size=500, epochs=1), slots=TrainingSlots(1))
    job.start()
    job.join(120)
    assert job.state == FINISHED and job.record.test.images == len(load_training_data().x_test)
    weights = [w.copy() for w in job.model.get_weights()]
    job.continue_training(1)
    job.join(120)
    assert job.state == FINISHED and job.record.epochs_trained == 2
    assert [e.epoch for e in job.record.epochs] == [0, 1]
    assert any(not np.array_equal(a, b) for a, b in zip(weights, job.model.get_weights(), strict=True))


@pytest.mark.slow
def test_stopped_job_keeps_the_model_and_the_partial_history():
    settings = TrainingSettings(train_size=10_000, epochs=3, batch_size=32)  # 282 batches an epoch
    job = TrainingJob(settings, slots=TrainingSlots(1))
    job.start()
    wait_until(lambda: len(job.record.batches) >= 20)
    job.request_stop()
    job.join(120)
    assert job.state == STOPPED and job.record.stopped_early
    assert len(job.record.batches) < 3 * math.ceil(settings.fit_size / 32) and job.record.epochs[-1].complete is False
    assert job.model is not None and job.record.test is not None


@pytest.mark.slow
def test_continue_after_stop_draws_on_from_where_training_stood():
    job = TrainingJob(TrainingSettings(train_size=5_000, epochs=3, batch_size=32), slots=TrainingSlots(1))
    job.start()
    wait_until(lambda: len(job.record.batches) >= 20)
    job.request_stop()
    job.join(120)
    stopped_at = job.record.epochs[-1].position
    job.continue_training(1)
    job.join(120)
    positions = [point.position for point in job.record.batches]
    assert job.state == FINISHED and 0 < stopped_at < 1
    assert all(later > earlier for earlier, later in zip(positions, positions[1:], strict=False))
    assert job.record.epochs[-1].position == pytest.approx(stopped_at + 1)


@pytest.mark.slow
def test_job_nobody_watches_stops_by_itself():
    job = TrainingJob(TrainingSettings(train_size=10_000, epochs=3), slots=TrainingSlots(1), abandon_after=1.0)
    job.start()
    job.join(120)
    assert job.state == STOPPED and "not watching" in job.stop_reason


@pytest.mark.slow
def test_job_of_a_closed_tab_stops_after_the_grace_period():
    job = TrainingJob(
        TrainingSettings(train_size=10_000, epochs=3),
        slots=TrainingSlots(1),
        session_alive=lambda: False,
        disconnect_grace=0.5,
    )
    job.start()
    job.join(120)
    assert job.state == STOPPED and "closed" in job.stop_reason


def test_job_waits_for_a_free_slot_and_can_leave_the_queue():
    slots = TrainingSlots(1)
    slots.acquire()
    job = TrainingJob(TrainingSettings(train_size=300, epochs=1), slots=slots)
    job.start()
    time.sleep(0.3)
    assert job.state == WAITING and slots.waiting == 1
    job.request_stop()
    job.join(10)
    assert job.state == CANCELLED and job.model is None and slots.in_use == 1


def test_job_reports_a_failure_as_a_sentence():
    class Tiny:
        x_train = np.zeros((10, 28, 28), np.uint8)
        y_train = np.zeros(10, np.uint8)
        source = "ten blank digits"

    job = TrainingJob(TrainingSettings(train_size=300, epochs=1), slots=TrainingSlots(1), data=Tiny())
    job.start()
    job.join(60)
    assert job.state == FAILED and "only 10 training images" in job.error
