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


def test_server_cap_defaults_to_the_cpu_count_and_is_shared(monkeypatch):
    import os

    assert max_trainings() == os.cpu_count()
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "3")
    assert shared_slots().capacity == 3 and shared_slots() is shared_slots()
    monkeypatch.setenv("CNNVIZ_MAX_TRAININGS", "0")
    with pytest.raises(ValueError, match="CNNVIZ_MAX_TRAININGS"):
        max_trainings()
