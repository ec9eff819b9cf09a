"""A server-wide cap on how many trainings run at once; the rest wait in line, first come first served."""

import heapq
import os
import threading
from functools import cache

ENV_MAX_TRAININGS = "CNNVIZ_MAX_TRAININGS"


class TrainingSlots:
    """A first-in-first-out counting semaphore that knows who holds a slot and who waits in which place.

    `acquire(timeout=0)` never blocks; `acquire(timeout=t)` waits at most t seconds.
    Every successful acquire must be paired with one `release()`.
    A `ticket` (any object; a job passes itself) names the holder or waiter, for `position()` and
    `wait_estimate()`; a ticket with a `remaining_seconds()` method makes the estimate count its time.
    """

    def __init__(self, capacity):
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a whole number of at least 1, got {capacity!r}.")
        self.capacity = capacity
        self._holders = []  # tickets holding a slot
        self._line = []  # tickets waiting, first come first
        self._condition = threading.Condition()

    @property
    def in_use(self):
        return len(self._holders)

    @property
    def waiting(self):
        return len(self._line)

    def acquire(self, timeout=None, ticket=None):
        """Take a slot; True when taken, False when none freed up for this ticket within `timeout` seconds."""
        ticket = object() if ticket is None else ticket
        with self._condition:
            self._line.append(ticket)
            try:
                taken = self._condition.wait_for(lambda: self._first_free(ticket), timeout=timeout)
                if taken:
                    self._holders.append(ticket)
                return taken
            finally:
                self._line.remove(ticket)
                self._condition.notify_all()  # the next in line may move up

    def _first_free(self, ticket):
        free = self.capacity - len(self._holders)
        return free > 0 and ticket in self._line[:free]

    def release(self, ticket=None):
        with self._condition:
            if not self._holders:
                raise RuntimeError("release() called more often than acquire().")
            self._holders.remove(ticket if ticket in self._holders else self._holders[0])
            self._condition.notify_all()

    def position(self, ticket):
        """1 for the first in line, 2 for the next…; None when the ticket is not waiting."""
        with self._condition:
            return self._line.index(ticket) + 1 if ticket in self._line else None

    def wait_estimate(self, ticket, default_seconds):
        """Seconds until `ticket` gets a slot, if every holder and waiter ahead takes the time it expects.

        Each ticket's time is its `remaining_seconds()` (None or missing: `default_seconds`). The slots
        free up in the order the holders finish; each waiter ahead takes the first slot that frees up.
        """
        with self._condition:
            if ticket not in self._line:
                return 0.0
            ahead = self._line[: self._line.index(ticket)]
            holders = list(self._holders)
        free_at = [_remaining(holder, default_seconds) for holder in holders]
        free_at += [0.0] * (self.capacity - len(free_at))
        heapq.heapify(free_at)
        for waiter in ahead:
            heapq.heappush(free_at, heapq.heappop(free_at) + _remaining(waiter, default_seconds))
        return free_at[0]


def _remaining(ticket, default_seconds):
    estimate = getattr(ticket, "remaining_seconds", None)
    seconds = estimate() if callable(estimate) else None
    return default_seconds if seconds is None else max(float(seconds), 0.0)


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
    """The server-wide cap: $CNNVIZ_MAX_TRAININGS, else one less than the CPU cores (at least 1).

    One core stays free of training for the pages: on 2 cores, a class of 10 pressing Train together
    finished as soon with one slot as with two, and a student drawing meanwhile stayed quick
    (tests/test_browser_training_class.py; docs/deploying.md).
    """
    return env_whole_number(ENV_MAX_TRAININGS, max((os.cpu_count() or 1) - 1, 1))


def shared_slots():
    """The one TrainingSlots every session of this server process shares."""
    return _slots_for(max_trainings())


@cache
def _slots_for(capacity):
    return TrainingSlots(capacity)
