"""cnnviz.ml.slots: the server-wide limit on trainings at once."""

import threading
import time

import pytest

from cnnviz.ml.slots import TrainingSlots, max_trainings, shared_slots
from testkit.waiting import wait_until

pytestmark = pytest.mark.tf

# Slots


def test_slots_never_run_more_than_their_capacity_at_once():
    slots = TrainingSlots(2)
    running, peak, lock = [0], [0], threading.Lock()

    def work():
        assert slots.acquire(timeout=30)
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        slots.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2 and slots.in_use == 0


def test_acquire_without_waiting_fails_when_every_slot_is_taken():
    slots = TrainingSlots(1)
    assert slots.acquire(timeout=0)
    assert not slots.acquire(timeout=0)
    slots.release()
    assert slots.acquire(timeout=0)


def test_waiting_counts_the_trainings_queued_for_a_slot():
    slots = TrainingSlots(1)
    slots.acquire()
    waiters = [threading.Thread(target=slots.acquire, kwargs={"timeout": 5}) for _ in range(3)]
    for thread in waiters:
        thread.start()
    wait_until(lambda: slots.waiting == 3, timeout=5)
    for _ in range(3):
        slots.release()
        time.sleep(0.05)
    for thread in waiters:
        thread.join()
    assert slots.waiting == 0 and slots.in_use == 1


def test_releasing_a_slot_never_taken_is_an_error():
    with pytest.raises(RuntimeError, match="release"):
        TrainingSlots(1).release()


def test_server_cap_leaves_one_core_to_the_pages_and_is_shared(monkeypatch):
    import os

    assert max_trainings() == max(os.cpu_count() - 1, 1)
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "3")
    assert shared_slots().capacity == 3 and shared_slots() is shared_slots()
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "0")
    with pytest.raises(ValueError, match="CNNVIZ_MAX_TRAININGS"):
        max_trainings()


def test_slots_serve_the_line_first_come_first_served():
    slots, order = TrainingSlots(1), []
    slots.acquire()
    tickets = [f"student {n}" for n in range(4)]

    def wait(ticket):
        assert slots.acquire(timeout=10, ticket=ticket)
        order.append(ticket)
        slots.release(ticket)

    threads = []
    for ticket in tickets:  # each joins the line only after the one before it
        threads.append(threading.Thread(target=wait, args=(ticket,)))
        threads[-1].start()
        wait_until(lambda ticket=ticket: slots.position(ticket) is not None)
    assert [slots.position(ticket) for ticket in tickets] == [1, 2, 3, 4]
    slots.release()
    for thread in threads:
        thread.join(10)
    assert order == tickets


def test_wait_estimate_adds_up_the_time_of_the_jobs_ahead_over_the_slots():
    class Ticket:
        def __init__(self, seconds):
            self.seconds = seconds

        def remaining_seconds(self):
            return self.seconds

    slots = TrainingSlots(2)
    running = [Ticket(10), Ticket(30)]
    for ticket in running:
        slots.acquire(ticket=ticket)
    line = [Ticket(60), Ticket(None), Ticket(5)]  # None: the typical time, 20 s here
    threads = [threading.Thread(target=slots.acquire, kwargs={"timeout": 3, "ticket": t}) for t in line]
    for thread, ticket in zip(threads, line, strict=True):
        thread.start()
        wait_until(lambda ticket=ticket: slots.position(ticket) is not None)
    # slots free at 10 and 30; the first waiter takes the one at 10 (until 70), the second the one at 30
    # (until 50); the third gets the slot that frees at 50
    assert [slots.wait_estimate(t, default_seconds=20) for t in line] == [10, 30, 50]
    running[0].seconds = 4  # the running job speeds up: every estimate behind it follows
    assert slots.wait_estimate(line[0], default_seconds=20) == 4
    for thread in threads:
        thread.join(10)
