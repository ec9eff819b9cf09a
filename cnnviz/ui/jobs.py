"""Streamlit glue for every page that trains: who the visitor is, handing work to the server's job line,
finding a run again after a reload, and what a waiting or running job shows.

A page that trains calls `submit(work, kind)` (a callable `work(run)`, see cnnviz.ml.jobs) or, for a job
object of its own, `enqueue(job)`; then `latest(kind)` on every run and `show_status(job)` in a fragment
that reruns every `POLL_SECONDS` while the job is active. TensorFlow is imported only inside the functions
that start a job.
"""

import binascii
import hashlib
import secrets

import streamlit as st

from cnnviz.ui.runtime import session_alive
from cnnviz.ui.state import SESSION_VISITOR

POLL_SECONDS = 1.0
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's own cookie: one per browser, kept across reloads


def visitor():
    """A key for this browser: the same across reloads and tabs of one browser, never shown or stored.

    Taken from the token in Streamlit's XSRF cookie (hashed); where there is no cookie, a random key kept
    for this session only.
    """
    token = _xsrf_token(st.context.cookies.get(XSRF_COOKIE) or "")
    if token:
        return "browser-" + hashlib.sha256(token).hexdigest()[:24]
    return SESSION_VISITOR.setdefault("session-" + secrets.token_hex(12))


def _xsrf_token(cookie):
    """The token inside an XSRF cookie: version 2 cookies ('2|mask|masked|time') mask it afresh on every page."""
    value = cookie.strip("\"'")
    if value.startswith("2|"):
        try:
            _, mask_hex, masked_hex, _ = value.split("|")
            mask, masked = binascii.a2b_hex(mask_hex), binascii.a2b_hex(masked_hex)
        except (ValueError, binascii.Error):
            return b""
        return bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(masked)) if mask else b""
    return value.encode()


def submit(work, kind, **options):
    """Hand `work(run)` to the server's job line for this visitor; the Job, or None after saying why not."""
    from cnnviz.ml import jobs

    try:
        return jobs.submit(work, owner=visitor(), kind=kind, session_alive=session_alive(), **options)
    except jobs.JobRefused as refusal:
        st.warning(str(refusal))
        return None


def enqueue(job, launch=None):
    """Start `job` (or `launch()` it, e.g. continue it) through the server's job line; False after saying why not."""
    from cnnviz.ml import jobs

    job.session_alive = session_alive()
    try:
        jobs.shared_line().enqueue(job, owner=visitor(), launch=launch)
    except jobs.JobRefused as refusal:
        st.warning(str(refusal))
        return False
    return True


def latest(kind):
    """This visitor's latest job of `kind` on this server (after a reload too), watched from this session."""
    from cnnviz.ml import jobs

    job = jobs.shared_line().latest(visitor(), kind)
    if job is not None and job.active:
        job.session_alive = session_alive()
        job.touch()
    return job


def waiting_text(job):
    """'You are 3rd in line for one of the 2 training slots of this server: about 40 s to wait.'"""
    place, slots = job.position, job.slots
    if place is None:
        return "Starting…"
    seconds = job.wait_seconds()
    wait = f"about {_duration(seconds)} to wait" if seconds >= 1 else "starting any moment"
    return (
        f"You are {_ordinal(place)} in line for one of the {slots.capacity} training slot"
        f"{'s' if slots.capacity > 1 else ''} of this server ({slots.in_use} busy): {wait}. "
        "This page updates by itself."
    )


def show_status(job, running_text=None):
    """A job's state as a sentence: its place in line, a progress bar, or how it ended. Returns nothing."""
    from cnnviz.ml.jobs import CANCELLED, FAILED, STOPPED, WAITING

    if job.state == WAITING:
        st.info(waiting_text(job), icon=":material/hourglass_top:")
    elif job.active:
        st.progress(job.fraction or 0.0, text=running_text or job.text or "Training…")
    elif job.state == FAILED:
        st.error(f"Training failed: {job.error}")
    elif job.state == CANCELLED:
        st.info(cancelled_text(job))
    elif job.state == STOPPED and job.stop_reason:
        st.warning(job.stop_reason)


def cancelled_text(job):
    """Why a job left the line before its turn: 'Stopped by the Stop button. It was still waiting…'"""
    reason = job.stop_reason or "Stopped."
    return f"{reason} It was still waiting for a slot and never started."


def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _duration(seconds):
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes < 10 else f"{round(seconds / 60)} min"
