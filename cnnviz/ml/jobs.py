"""One session's training, run in a background thread: wait for a slot, fit, evaluate; stoppable.

The page only reads the job's state and record; nothing here knows about Streamlit. A job whose
watcher goes away (`session_alive()` turns False, or `touch()` stops being called) stops by itself.
"""

import threading
import time

from cnnviz.ml.evaluation import evaluate
from cnnviz.ml.slots import shared_slots
from cnnviz.ml.training import RunRecord, build_model, fit, load_training_data

WAITING, TRAINING, EVALUATING = "waiting", "training", "evaluating"
FINISHED, STOPPED, CANCELLED, FAILED = "finished", "stopped", "cancelled", "failed"
ACTIVE_STATES = (WAITING, TRAINING, EVALUATING)


class TrainingJob:
    """Trains `settings` on MNIST in its own thread and keeps the model and the RunRecord.

    start() trains settings.epochs epochs; continue_training(epochs) trains more from where it stopped.
    request_stop() ends training after the current batch (or leaves the queue if still waiting).
    """

    def __init__(
        self,
        settings,
        run_id=1,
        *,
        slots=None,
        session_alive=None,
        abandon_after=120.0,
        disconnect_grace=15.0,
        report_every=0.5,
        data=None,
    ):
        self.settings = settings
        self.record = RunRecord(run_id=run_id, settings=settings)
        self.model = None
        self.state = None  # None before start, then one of the states above
        self.stop_reason = None
        self.error = None
        self.progress = None  # latest training.Progress
        self.slots = slots if slots is not None else shared_slots()
        self.session_alive = session_alive
        self.abandon_after = abandon_after
        self.disconnect_grace = disconnect_grace
        self.report_every = report_every
        self._data = data
        self._stop = threading.Event()
        self._thread = None
        self._last_seen = time.monotonic()
        self._gone_since = None
        self._next_check = 0.0

    @property
    def active(self):
        return self.state in ACTIVE_STATES

    def start(self):
        self._launch(self.settings.epochs)

    def continue_training(self, epochs):
        """Train `epochs` more epochs on the same model, appending to the same record."""
        if self.model is None:
            raise ValueError("There is no trained model to continue; start a training first.")
        self._launch(epochs)

    def _launch(self, epochs):
        if self.active:
            raise ValueError("This job is already training; stop it or wait for it to finish.")
        self._stop.clear()
        self.stop_reason = self.error = None
        self.state = WAITING
        self.touch()
        self._thread = threading.Thread(target=self._run, args=(epochs,), name="cnnviz-training", daemon=True)
        self._thread.start()

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
        """True once Stop was pressed or nobody is watching any more; checked after every batch."""
        if self._stop.is_set():
            return True
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + 1.0
        if now - self._last_seen > self.abandon_after:
            self.request_stop(f"Stopped: the page was not watching for {self.abandon_after:.0f} s.")
        elif self.session_alive is not None and not self.session_alive():
            self._gone_since = self._gone_since or now
            if now - self._gone_since > self.disconnect_grace:
                self.request_stop("Stopped: the browser tab was closed.")
        else:
            self._gone_since = None
        return self._stop.is_set()

    def _run(self, epochs):
        try:
            if not self._take_slot():
                self.state = CANCELLED
                return
            try:
                self._train_and_evaluate(epochs)
            finally:
                self.slots.release()
            self.state = STOPPED if self.record.stopped_early else FINISHED
        except Exception as error:  # reported on the page as a sentence, never lost in the thread
            self.error = f"{type(error).__name__}: {error}"
            self.state = FAILED

    def _take_slot(self):
        while not self.should_stop():
            if self.slots.acquire(timeout=0.25):
                return True
        return False

    def _train_and_evaluate(self, epochs):
        self.state = TRAINING
        data = self._data if self._data is not None else load_training_data()
        self.record.data_source = data.source
        if self.model is None:
            self.model = build_model(self.settings)
        fit(
            self.model,
            self.settings,
            data,
            self.record,
            epochs=epochs,
            on_batch=self._keep_progress,
            should_stop=self.should_stop,
            every=self.report_every,
        )
        self.state = EVALUATING
        self.record.test = evaluate(self.model, data.x_test, data.y_test)

    def _keep_progress(self, progress):
        self.progress = progress
