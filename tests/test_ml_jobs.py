"""cnnviz.ml.jobs: a training in a background thread that waits for a slot, stops, continues and fails in a sentence;
the line every training goes through (first come first served, one job per visitor, a bounded line, places and
estimates)."""

import logging
import math
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cnnviz.ml.jobs import (
    BACKGROUND_NICE,
    CANCELLED,
    FAILED,
    FINISHED,
    PRIOR_PACE,
    START_SECONDS,
    STOPPED,
    TRAINING,
    WAITING,
    Job,
    JobLine,
    JobRefused,
    TrainingJob,
    submit,
)
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
    assert job.state == STOPPED and "lost its connection" in job.stop_reason


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


# The line every training goes through


class Gate:
    """Work that runs until released, reporting a fraction: a stand-in training whose length the test decides."""

    def __init__(self, result="done"):
        self.release, self.result, self.seeds = threading.Event(), result, []

    def __call__(self, run):
        self.seeds.append(run.seed)
        run.report(fraction=0.5, text="half way")
        while not self.release.wait(0.02):
            if run.should_stop():
                return None
        return self.result


def test_submit_runs_the_work_in_a_slot_and_keeps_its_result():
    work = Gate(result=42)
    job = submit(work, line=JobLine(), slots=TrainingSlots(1), seed=7)
    wait_until(lambda: job.state == TRAINING and job.fraction == 0.5)
    assert job.text == "half way" and job.slots.in_use == 1
    work.release.set()
    job.join(10)
    assert job.state == FINISHED and job.result == 42 and work.seeds == [7] and job.slots.in_use == 0


def test_a_waiting_job_knows_its_place_and_moves_up():
    slots, line = TrainingSlots(1), JobLine()
    works = [Gate() for _ in range(3)]
    jobs = [submit(work, owner=f"student {n}", slots=slots, line=line) for n, work in enumerate(works)]
    wait_until(lambda: jobs[0].state == TRAINING and slots.waiting == 2)
    assert [job.position for job in jobs] == [None, 1, 2]
    assert 0 < jobs[1].wait_seconds() < jobs[2].wait_seconds()
    works[0].release.set()
    wait_until(lambda: jobs[1].state == TRAINING)
    assert jobs[2].position == 1
    for work in works:
        work.release.set()
    for job in jobs:
        job.join(10)
    assert [job.state for job in jobs] == [FINISHED] * 3


def test_one_active_job_per_visitor_the_second_is_refused_with_a_sentence():
    line, slots, work = JobLine(), TrainingSlots(2), Gate()
    first = submit(work, owner="ada", kind="training", slots=slots, line=line)
    wait_until(lambda: first.state == TRAINING)  # it has its slot (on a loaded machine the thread takes a moment)
    with pytest.raises(JobRefused, match="already have a training running on the Training page"):
        submit(Gate(), owner="ada", kind="ANN vs CNN rerun", slots=slots, line=line)
    other = submit(Gate(), owner="grace", slots=slots, line=line)  # someone else is not held up
    work.release.set()
    first.join(10)
    again = submit(Gate(), owner="ada", kind="ANN vs CNN rerun", slots=slots, line=line)  # free once it ended
    assert line.latest("ada", "training") is first and line.latest("ada", "ANN vs CNN rerun") is again
    for job in (other, again):
        job.request_stop()
        job.join(10)


def test_a_full_line_refuses_more_with_a_sentence():
    line, slots = JobLine(max_waiting=2), TrainingSlots(1)
    jobs = [submit(Gate(), owner=n, slots=slots, line=line) for n in range(3)]
    wait_until(lambda: slots.in_use == 1 and slots.waiting == 2)
    with pytest.raises(JobRefused, match="This server is busy: 2 trainings are already waiting"):
        submit(Gate(), owner="late", slots=slots, line=line)
    for job in reversed(jobs):  # the waiting ones first, so that none takes the slot the first frees
        job.request_stop()
        job.join(10)
    assert [job.state for job in jobs] == [STOPPED, CANCELLED, CANCELLED]


def test_a_crash_is_logged_in_full_and_the_visitor_gets_a_sentence(caplog):
    def work(run):
        Path("/srv/secret/place/model.keras").read_text()

    with caplog.at_level(logging.ERROR, logger="cnnviz.ml.jobs"):
        job = submit(work, slots=TrainingSlots(1), line=JobLine())
        job.join(10)
    assert job.state == FAILED
    assert job.error == "Something went wrong on the server (FileNotFoundError); the details are in its log."
    assert "/srv/secret" in caplog.text and "Traceback" in caplog.text


def test_a_checked_mistake_keeps_its_own_sentence():
    def work(run):
        raise ValueError("train_size=300 but only 10 training images are loaded; choose at most 10.")

    job = submit(work, slots=TrainingSlots(1), line=JobLine())
    job.join(10)
    assert job.state == FAILED and job.error.startswith("train_size=300 but only 10")


def test_stopping_a_waiting_job_takes_it_out_of_the_line():
    slots = TrainingSlots(1)
    slots.acquire()
    job = Job(Gate(), slots=slots).start()
    wait_until(lambda: job.position == 1)
    job.request_stop()
    job.join(10)
    assert job.state == CANCELLED and slots.waiting == 0 and job.position is None


@pytest.mark.parametrize(
    ("session_alive", "stop", "reason"),
    [(lambda: False, False, "lost its connection"), (None, True, "by the Stop button")],
    ids=["tab closed", "Stop pressed"],
)
def test_a_job_that_left_the_line_says_why_on_its_page(session_alive, stop, reason):
    from cnnviz.ui.jobs import cancelled_text

    slots = TrainingSlots(1)
    slots.acquire()
    job = Job(Gate(), slots=slots, session_alive=session_alive, disconnect_grace=0.2).start()
    wait_until(lambda: job.position == 1)
    if stop:
        job.request_stop()
    job.join(10)
    assert job.state == CANCELLED
    assert reason in cancelled_text(job) and cancelled_text(job).endswith("never started.")


def test_a_waiting_job_keeps_its_place_while_its_tab_is_open_however_slow_its_page():
    slots = TrainingSlots(1)
    slots.acquire()
    job = Job(Gate(), slots=slots, abandon_after=0.3, session_alive=lambda: True).start()
    time.sleep(2.5)  # long past abandon_after, never touched: a loaded server that has not redrawn the page
    assert job.state == WAITING and job.position == 1
    job.request_stop()
    job.join(10)


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")
def test_a_job_trains_at_a_lower_priority_than_the_pages():
    def priority(run):
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    job = submit(priority, line=JobLine(), slots=TrainingSlots(1))
    job.join(60)
    assert job.state == FINISHED
    assert job.result == min(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) + BACKGROUND_NICE, 19)


def test_a_training_nobody_has_timed_yet_is_expected_to_take_a_start_and_its_images(monkeypatch):
    monkeypatch.setattr("cnnviz.ml.jobs._pace", [])  # this server has finished no training yet
    small = TrainingJob(TrainingSettings(train_size=1000, epochs=1), slots=TrainingSlots(1))
    defaults = TrainingJob(TrainingSettings(), slots=TrainingSlots(1))
    assert small.remaining_seconds() == pytest.approx(START_SECONDS + 900 / PRIOR_PACE)
    assert defaults.remaining_seconds() == pytest.approx(START_SECONDS + 2 * 27_000 / PRIOR_PACE)
    monkeypatch.setattr("cnnviz.ml.jobs._pace", [900.0])  # then at the pace this server measured
    assert small.remaining_seconds() == pytest.approx(START_SECONDS + 1.0)


def test_a_job_nobody_watches_leaves_the_line():
    slots = TrainingSlots(1)
    slots.acquire()
    job = Job(Gate(), slots=slots, abandon_after=0.3).start()
    job.join(10)
    assert job.state == CANCELLED and "not watching" in job.stop_reason
