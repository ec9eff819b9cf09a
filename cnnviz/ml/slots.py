"""A server-wide cap on how many trainings run at once; the rest wait for a free slot."""

import os
import threading
from functools import cache

ENV_MAX_TRAININGS = "CNNVIZ_MAX_TRAININGS"


class TrainingSlots:
    """A counting semaphore that also says how many slots are busy and how many trainings wait.

    `acquire(timeout=0)` never blocks; `acquire(timeout=t)` waits at most t seconds.
    Every successful acquire must be paired with one `release()`.
    """

    def __init__(self, capacity):
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a whole number of at least 1, got {capacity!r}.")
        self.capacity = capacity
        self._in_use = 0
        self._waiting = 0
        self._condition = threading.Condition()

    @property
    def in_use(self):
        return self._in_use

    @property
    def waiting(self):
        return self._waiting

    def acquire(self, timeout=None):
        """Take a slot; True when taken, False when none freed up within `timeout` seconds."""
        with self._condition:
            self._waiting += 1
            try:
                taken = self._condition.wait_for(lambda: self._in_use < self.capacity, timeout=timeout)
                if taken:
                    self._in_use += 1
                return taken
            finally:
                self._waiting -= 1

    def release(self):
        with self._condition:
            if self._in_use == 0:
                raise RuntimeError("release() called more often than acquire().")
            self._in_use -= 1
            self._condition.notify()


def env_whole_number(name, default):
    """The whole number >= 1 in environment variable `name`, or `default` when it is unset or empty."""
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"${name} must be a whole number of at least 1, got {text!r}; unset it for {default}.")
    return value


def max_trainings():
    """The server-wide cap: $CNNVIZ_MAX_TRAININGS, else the number of CPU cores."""
    return env_whole_number(ENV_MAX_TRAININGS, os.cpu_count() or 1)


def shared_slots():
    """The one TrainingSlots every session of this server process shares."""
    return _slots_for(max_trainings())


@cache
def _slots_for(capacity):
    return TrainingSlots(capacity)
