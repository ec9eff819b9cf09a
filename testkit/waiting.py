"""Waiting for something another thread does, with a deadline that says what did not happen."""

import time


def wait_until(condition, timeout=120.0, what="the condition"):
    """Poll `condition()` every 50 ms until it is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.05)
