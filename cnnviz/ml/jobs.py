"""Every training of the app is a Job: it waits its turn for one of the server-wide slots, then runs in a
thread of its own, reporting through callbacks; it can be stopped, and it knows its place in the line.

`submit(work, owner=...)` is the one entry point: `work(run)` trains, calls `run.report(fraction, text)`
as it goes, checks `run.should_stop()` and seeds itself from `run.seed`; what it returns is `job.result`.
The line admits one active job per owner (a visitor) and a bounded number of waiting ones; it refuses
the rest with a sentence (`JobRefused`). A job whose watcher goes away (`session_alive()` turns False,
or `touch()` stops being called) stops by itself. Nothing here knows about Streamlit, and importing it
does not load TensorFlow (a page can look for a visitor's job without it).
"""

import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cnnviz.ml.slots import env_whole_number, shared_slots

WAITING, TRAINING, EVALUATING = "waiting", "training", "evaluating"
FINISHED, STOPPED, CANCELLED, FAILED = "finished", "stopped", "cancelled", "failed"
ACTIVE_STATES = (WAITING, TRAINING, EVALUATING)
ENV_MAX_WAITING = "CNNVIZ_MAX_WAITING"
DEFAULT_MAX_WAITING = 60
ENV_DISCONNECT_GRACE = "CNNVIZ_DISCONNECT_GRACE"
# Seconds a job's tab may be without a connection before the job stops: a phone that sleeps or switches
# apps for a moment keeps its training, a closed tab gives its slot back within about a minute.
DEFAULT_DISCONNECT_GRACE = 60
TYPICAL_SECONDS = 60.0  # a job's expected time before any job of its kind has finished on this server
PRIOR_PACE = 2000.0  # images a second a training is expected to reach before this server has timed one (2 cores)
START_SECONDS = 8.0  # a training's time beside its images: building the model, tracing its step, testing it

log = logging.getLogger(__name__)


class JobRefused(ValueError):
    """The line would not take this job; the message is a sentence for the visitor."""


@dataclass(frozen=True)
class Run:
    """What a job's `work` receives: its seed, where to report, and whether to stop."""

    seed: int
    report: Callable  # report(fraction=None, text=None, state=None): progress 0–1, a status line, EVALUATING
    should_stop: Callable  # () -> bool, checked between batches


class Job:
    """One training, run in its own thread once a slot is free. Read `state`, `position`, `wait_seconds()`,
    `fraction`, `text`, `result` and `error` from any thread; call `touch()` while watching."""

    def __init__(
        self,
        work=None,
        *,
        kind="training",
        seed=1,
        expected_seconds=None,
        slots=None,
        session_alive=None,
        abandon_after=120.0,
        disconnect_grace=None,
    ):
        self.work = work
        self.kind = kind
        self.seed = seed
        self.expected_seconds = expected_seconds
        self.slots = slots if slots is not None else shared_slots()
        self.session_alive = session_alive
        self.abandon_after = abandon_after
        self.disconnect_grace = disconnect_grace if disconnect_grace is not None else disconnect_grace_seconds()
        self.state = None  # None before start, then one of the states above
        self.result = None
        self.error = None  # a sentence when the job failed
        self.stop_reason = None
        self.fraction = None  # 0–1 once the work reports it
        self.text = None  # the work's latest status line
        self.queued_at = self.started_at = self.ended_at = None  # time.monotonic()
        self._stop = threading.Event()
        self._thread = None
        self._last_seen = time.monotonic()
        self._gone_since = None
        self._next_check = 0.0

    @property
    def active(self):
        return self.state in ACTIVE_STATES

    def start(self):
        return self._launch(self.work)

    def _launch(self, work):
        if self.active:
            raise JobRefused("This training is already running or waiting; stop it or wait for it to finish.")
        self._stop.clear()
        self.stop_reason = self.error = self.fraction = self.text = None
        self.state = WAITING
        self.queued_at, self.started_at, self.ended_at = time.monotonic(), None, None
        self.touch()
        self._thread = threading.Thread(target=self._run, args=(work,), name=f"cnnviz-{self.kind}", daemon=True)
        self._thread.start()
        return self

    # Watching and stopping

    def request_stop(self, reason="Stopped by the Stop button."):
        if self.active and not self._stop.is_set():
            self.stop_reason = reason
            self._stop.set()

    @property
    def stop_requested(self):
        return self._stop.is_set()

    def touch(self):
        """The page is still watching: call it on every redraw (heartbeat)."""
        self._last_seen = time.monotonic()

    def join(self, timeout=None):
        if self._thread is not None:
            self._thread.join(timeout)

    def should_stop(self):
        """True once Stop was pressed, the tab was without a connection for `disconnect_grace` seconds, or
        nobody watched the job for `abandon_after` seconds; checked after every batch. A job waiting in
        line keeps its place as long as its tab is open, however long a loaded server takes to redraw that
        page (the clock starts again when it gets its slot)."""
        if self._stop.is_set():
            return True
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + 1.0
        alive = None if self.session_alive is None else self.session_alive()
        if alive is False:
            self._gone_since = self._gone_since or now
            if now - self._gone_since > self.disconnect_grace:
                self.request_stop(
                    f"Stopped: this page lost its connection to the server for over {self.disconnect_grace:.0f} s "
                    "(its tab was closed, or the device went to sleep)."
                )
            return self._stop.is_set()
        self._gone_since = None
        if now - self._last_seen > self.abandon_after and not (alive and self.state == WAITING):
            self.request_stop(f"Stopped: the page was not watching for {self.abandon_after:.0f} s.")
        return self._stop.is_set()

    # The line

    @property
    def position(self):
        """1 when this job is next for a slot, 2 after that…; None when it is not waiting."""
        return self.slots.position(self) if self.state == WAITING else None

    def wait_seconds(self):
        """About how many seconds until this job starts, from what the jobs ahead of it still expect to take."""
        if self.state != WAITING:
            return 0.0
        return self.slots.wait_estimate(self, typical_seconds(self.kind))

    def remaining_seconds(self):
        """About how many seconds this job still needs once running (what the line counts); None if unknown."""
        expected = self.expected_seconds or typical_seconds(self.kind)
        if self.started_at is None:
            return expected
        elapsed = time.monotonic() - self.started_at
        if self.fraction and self.fraction >= 0.05:
            return elapsed * (1 - self.fraction) / self.fraction
        return max(expected - elapsed, 0.0)

    # The thread

    def _run(self, work):
        try:
            if not self._take_slot():
                self.state = CANCELLED
                return
            self.started_at = time.monotonic()
            self.touch()  # the wait in line is not counted as unwatched
            try:
                self.state = TRAINING
                in_background()
                self.result = work(Run(seed=self.seed, report=self._report, should_stop=self.should_stop))
            finally:
                self.slots.release(self)
            self.state = self._final_state()
            if self.state == FINISHED:
                note_duration(self.kind, time.monotonic() - self.started_at)
        except ValueError as error:  # our own checks: already a sentence for the visitor
            self.error = str(error)
            self.state = FAILED
        except Exception as error:  # logged with its traceback on the server; the visitor gets a sentence
            log.exception("%s job failed", self.kind)
            self.error = f"Something went wrong on the server ({type(error).__name__}); the details are in its log."
            self.state = FAILED
        finally:
            self.ended_at = time.monotonic()
            # What a training leaves behind (an earlier model, its optimizer, its data pipeline) is held in
            # reference cycles, and a server that froze its heap (cnnviz.ui.runtime) seldom runs the full
            # collection that frees them: run it now, off the pages' threads.
            gc.collect()

    def _final_state(self):
        return STOPPED if self._stop.is_set() else FINISHED

    def _take_slot(self):
        while not self.should_stop():
            if self.slots.acquire(timeout=0.25, ticket=self):
                return True
        return False

    def _report(self, fraction=None, text=None, state=None):
        if fraction is not None:
            self.fraction = min(max(float(fraction), 0.0), 1.0)
        if text is not None:
            self.text = text
        if state is not None:
            self.state = state


class TrainingJob(Job):
    """Trains `settings` on MNIST and keeps the model and the RunRecord (the Training page's job).

    start() trains settings.epochs epochs; continue_training(epochs) trains more from where it stopped.
    request_stop() ends training after the current batch (or leaves the line if still waiting).
    """

    def __init__(self, settings, run_id=1, *, report_every=0.5, data=None, **options):
        from cnnviz.ml.training import RunRecord

        super().__init__(kind="training", seed=settings.seed, **options)
        self.settings = settings
        self.record = RunRecord(run_id=run_id, settings=settings)
        self.model = None
        self.progress = None  # latest training.Progress
        self.report_every = report_every
        self._data = data
        self._epochs = settings.epochs

    def start(self):
        self._epochs = self.settings.epochs
        return self._launch(self._train_and_evaluate)

    def continue_training(self, epochs):
        """Train `epochs` more epochs on the same model, appending to the same record."""
        if self.model is None:
            raise ValueError("There is no trained model to continue; start a training first.")
        self._epochs = epochs
        return self._launch(self._train_and_evaluate)

    def remaining_seconds(self):
        """Its fit's own estimate once batches run; before, a start and its images at this server's pace."""
        if self.progress is not None and self.progress.eta is not None and self.state == TRAINING:
            return self.progress.eta
        if self.expected_seconds is None:
            pace = images_per_second() or PRIOR_PACE
            expected = START_SECONDS + self.settings.fit_size * self._epochs / pace
            elapsed = 0.0 if self.started_at is None else time.monotonic() - self.started_at
            return max(expected - elapsed, 0.0)
        return super().remaining_seconds()

    def _final_state(self):
        return STOPPED if self.record.stopped_early else FINISHED

    def _train_and_evaluate(self, run):
        from cnnviz.ml.evaluation import evaluate
        from cnnviz.ml.training import build_model, fit, load_training_data

        data = self._data if self._data is not None else load_training_data()
        self.record.data_source = data.source
        if self.model is None:
            self.model = build_model(self.settings)
        fit(
            self.model,
            self.settings,
            data,
            self.record,
            epochs=self._epochs,
            on_batch=self._keep_progress,
            should_stop=run.should_stop,
            every=self.report_every,
        )
        if self.record.images_per_second:
            note_pace(self.record.images_per_second)
        run.report(state=EVALUATING)
        self.record.test = evaluate(self.model, data.x_test, data.y_test)

    def _keep_progress(self, progress):
        self.progress = progress
        self._report(fraction=progress.fraction)


BACKGROUND_NICE = 10  # added to a training thread's nice value: sharing a core with a page, it gets about a tenth


def in_background():
    """Lower the calling thread's CPU priority, so that the students drawing and reading come first.

    On Linux a thread has a nice value of its own, and the threads it starts (tf.data's) inherit it.
    TensorFlow's shared thread pools are started first, at the server's own priority, since the pages'
    readings run on them too. Elsewhere this does nothing.
    """
    if sys.platform != "linux":
        return
    import tensorflow as tf

    tf.zeros(())  # starts TensorFlow's runtime and its thread pools, if no page has yet
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICE, 19))
    except OSError as error:  # not allowed here: train at the server's priority
        log.warning("could not lower a training thread's priority: %s", error)


# What jobs took on this server, for the estimates

_durations = {}  # kind -> seconds of recent finished jobs
_pace = []  # images per second of recent trainings
_RECENT = 20


def note_duration(kind, seconds):
    recent = _durations.setdefault(kind, [])
    recent.append(seconds)
    del recent[:-_RECENT]


def typical_seconds(kind):
    """The median time of the recent finished jobs of this kind on this server (TYPICAL_SECONDS before any)."""
    recent = sorted(_durations.get(kind, ()))
    return recent[len(recent) // 2] if recent else TYPICAL_SECONDS


def note_pace(images_per_second):
    _pace.append(images_per_second)
    del _pace[:-_RECENT]


def images_per_second():
    """The median training pace of recent runs on this server; None before the first."""
    return sorted(_pace)[len(_pace) // 2] if _pace else None


# The line: one active job per owner, a bounded number waiting


class JobLine:
    """Admits jobs into the server-wide slots: at most one active job per owner and at most `max_waiting`
    waiting; remembers each owner's latest job of each kind, so a reloaded page finds its run again."""

    def __init__(self, max_waiting=None, forget_after=3600.0):
        self.max_waiting = max_waiting if max_waiting is not None else max_waiting_from_env()
        self.forget_after = forget_after
        self._latest = {}  # owner -> {kind: job}
        self._lock = threading.Lock()

    def enqueue(self, job, owner=None, launch=None):
        """Start `job` (or call `launch()`, e.g. a continue) once the line admits it; returns the job.

        Raises JobRefused with a sentence when the owner already has a training running or waiting, or
        when the line is full.
        """
        with self._lock:
            self._forget_old()
            if owner is not None:
                mine = self.active(owner)
                if mine is not None:
                    raise JobRefused(_busy_sentence(mine, job))
            if job.slots.in_use >= job.slots.capacity and job.slots.waiting >= self.max_waiting:
                raise JobRefused(
                    f"This server is busy: {job.slots.waiting} trainings are already waiting for one of its "
                    f"{job.slots.capacity} training slots. Please try again in a few minutes."
                )
            (launch or job.start)()
            if owner is not None:
                self._latest.setdefault(owner, {})[job.kind] = job
        return job

    def active(self, owner):
        """The owner's job that is running or waiting, if any."""
        return next((job for job in self._latest.get(owner, {}).values() if job.active), None)

    def latest(self, owner, kind):
        """The owner's most recent job of `kind` (finished or not), if any."""
        return self._latest.get(owner, {}).get(kind)

    def _forget_old(self):
        now = time.monotonic()
        for owner, jobs in list(self._latest.items()):
            if all(not job.active and now - (job.ended_at or now) > self.forget_after for job in jobs.values()):
                del self._latest[owner]


def _busy_sentence(mine, job):
    where = "on the Training page" if mine.kind == "training" else f"({mine.kind})"
    doing = "waiting for a slot" if mine.state == WAITING else "running"
    return (
        f"You already have a training {doing} {where}; one at a time per student. "
        "Wait for it to finish, or stop it, then try again."
    )


def max_waiting_from_env():
    """How many jobs may wait for a slot: $CNNVIZ_MAX_WAITING, else DEFAULT_MAX_WAITING."""
    return env_whole_number(ENV_MAX_WAITING, DEFAULT_MAX_WAITING)


def disconnect_grace_seconds():
    """How long a job's tab may be without a connection: $CNNVIZ_DISCONNECT_GRACE, else DEFAULT_DISCONNECT_GRACE."""
    return env_whole_number(ENV_DISCONNECT_GRACE, DEFAULT_DISCONNECT_GRACE)


@cache
def shared_line():
    """The one JobLine every session of this server process shares."""
    return JobLine()


def submit(work, *, owner=None, kind="experiment", seed=1, expected_seconds=None, line=None, **options):
    """Run `work(run)` as a job once a training slot is free; returns the Job (see the module docstring).

    owner: who asked (a visitor key); one active job per owner. kind: names the job on the page and keeps
    one latest job per kind and owner. options: Job's (slots, session_alive, abandon_after, …).
    Raises JobRefused with a sentence when the line will not take it.
    """
    job = Job(work, kind=kind, seed=seed, expected_seconds=expected_seconds, **options)
    return (line or shared_line()).enqueue(job, owner)
