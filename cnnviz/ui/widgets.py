"""Widgets the concept pages share: a cell-by-cell matrix editor and a step player."""

import time

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.core.input_layer import CHANNEL_NAMES
from cnnviz.core.matrix import parse_matrix
from cnnviz.core.numbers import format_value


def set_matrix(key, values):
    """Replace what the editor `key` shows (a preset was chosen): a fresh editor, no stale edits.

    `values` may hold numbers or the texts a student typed; the editor shows texts.
    """
    texts = [[_cell_text(v) for v in row] for row in values]
    st.session_state[f"{key}_base"] = st.session_state[f"{key}_texts"] = texts
    st.session_state[f"{key}_version"] = st.session_state.get(f"{key}_version", 0) + 1


def set_stack(key, values):
    """Replace an (H, W, 3) stack edited channel by channel: the editors `key`_red, `key`_green, `key`_blue."""
    for channel, name in enumerate(CHANNEL_NAMES):
        set_matrix(f"{key}_{name}", np.asarray(values)[:, :, channel])


def _cell_text(value):
    return value if isinstance(value, str) else format_value(float(value), 3)


def matrix_editor(key, label, default):
    """An editable grid of numbers. Returns the parsed matrix.

    A cell that is not a number gets an error naming it; the last valid matrix
    is returned meanwhile, and the student's text stays in the editor to fix.
    """
    if f"{key}_base" not in st.session_state:
        set_matrix(key, default)
    editor_key = f"{key}_editor_{st.session_state[f'{key}_version']}"
    if editor_key not in st.session_state:  # new, or forgotten while the student was on another page
        st.session_state[f"{key}_base"] = st.session_state.get(f"{key}_texts", st.session_state[f"{key}_base"])
    base = st.session_state[f"{key}_base"]
    frame = pd.DataFrame(base, columns=[str(c + 1) for c in range(len(base[0]))], dtype="string")
    edited = st.data_editor(
        frame,
        key=editor_key,
        hide_index=True,
        column_config={c: st.column_config.TextColumn(c, width=60) for c in frame.columns},
    )
    st.caption(label)
    texts = edited.to_numpy(dtype=object).tolist()
    st.session_state[f"{key}_texts"] = texts  # survives a visit to another page
    try:
        values = parse_matrix(texts, name=label.lower())
    except ValueError as error:
        st.error(f"{error} Showing the last valid {label.lower()} until it is fixed.")
        return st.session_state.get(f"{key}_valid", np.asarray(default, dtype=float))
    st.session_state[f"{key}_valid"] = values
    return values


def step_player(key, n_steps, render, interval=0.9):
    """Previous / Play / Next and a slider over `n_steps`; calls `render(step)` for the current one.

    Only this part of the page reruns while stepping or playing.
    """
    step_key, playing_key = f"{key}_step", f"{key}_playing"
    st.session_state.setdefault(playing_key, False)
    st.session_state[step_key] = int(np.clip(st.session_state.get(step_key, 0), 0, n_steps - 1))

    def toggle_play():
        playing = not st.session_state[playing_key]
        st.session_state[playing_key] = playing
        if playing and st.session_state[step_key] >= n_steps - 1:
            st.session_state[step_key] = 0  # replay from the start
        st.session_state[f"{key}_advanced_at"] = time.monotonic()

    @st.fragment(run_every=interval if st.session_state[playing_key] else None)
    def player():
        if st.session_state[playing_key]:
            _advance_while_playing(key, n_steps, interval)
        render(st.session_state[step_key])
        # Below what they change: on a phone the map and the sum stay in view while stepping.
        previous, following, slider = st.columns([1, 1, 6], vertical_alignment="bottom")
        previous.button(
            "Previous",
            icon=":material/chevron_left:",
            key=f"{key}_previous",
            on_click=_move,
            args=(step_key, -1, n_steps),
        )
        following.button(
            "Next", icon=":material/chevron_right:", key=f"{key}_next", on_click=_move, args=(step_key, 1, n_steps)
        )
        if n_steps > 1:
            st.session_state[f"{key}_slider"] = st.session_state[step_key] + 1  # follow the buttons
            slider.slider("Step", 1, n_steps, key=f"{key}_slider", on_change=_from_slider, args=(key,))

    player()
    playing = st.session_state[playing_key]
    st.button(  # outside the fragment: starting or stopping changes its timer, which only a full run can
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key=f"{key}_play",
        on_click=toggle_play,
        disabled=n_steps < 2,
    )


def _move(step_key, delta, n_steps):
    st.session_state[step_key] = int(np.clip(st.session_state[step_key] + delta, 0, n_steps - 1))


def _from_slider(key):
    st.session_state[f"{key}_step"] = st.session_state[f"{key}_slider"] - 1


def _advance_while_playing(key, n_steps, interval):
    """Move one step per tick; at the end, stop and rerun the page so the timer stops too."""
    now = time.monotonic()
    if now - st.session_state.get(f"{key}_advanced_at", 0.0) < 0.8 * interval:
        return  # a rerun that was not the timer's tick
    st.session_state[f"{key}_advanced_at"] = now
    if st.session_state[f"{key}_step"] >= n_steps - 1:
        st.session_state[f"{key}_playing"] = False
        st.rerun(scope="app")
    st.session_state[f"{key}_step"] += 1
