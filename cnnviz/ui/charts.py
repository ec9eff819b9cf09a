"""Charts on a page: the one plot config, larger matrices on a projector, and a text alternative for each."""

import html

import numpy as np
import streamlit as st

from cnnviz.core.explain import matrix_text
from cnnviz.figures.describe import describe
from cnnviz.figures.matrix import NUMBERS_UP_TO, matrix_figure
from cnnviz.figures.style import PLOT_CONFIG
from cnnviz.ui.state import PRESENTING

PROJECTOR_SIDE = 420  # px: a 6×6 matrix prints its numbers at 28 px or more; four fit across 1920 px


def presenting():
    return bool(PRESENTING.get())


def show_chart(figure, alt=None, *, key=None, container=None, **options):
    """`figure` with no toolbar, and `alt` (what it shows, in words; by default read from the figure's own
    data) for a screen reader. `options` go to st.plotly_chart (width, on_select…)."""
    place = container or st
    shown = place.plotly_chart(figure, key=key, config=PLOT_CONFIG, **options)
    say(alt or describe(figure), container=place)
    return shown


def show_matrix(values, *, title, key=None, container=None, size=None, **options):
    """A matrix figure, larger in presentation mode, read out cell by cell to a screen reader."""
    values = np.asarray(values, dtype=float)
    if presenting():
        size = max(size or 0, PROJECTOR_SIDE)
    figure = matrix_figure(values, title=title, size=size, **options)
    show_chart(figure, matrix_alt(values, title), key=key, container=container)


def matrix_alt(values, title):
    """'Feature map, 4×4: row 1: −2.8, blank, …' or, for an image too large to read out, its shape and range."""
    rows, cols = values.shape
    name = title if title and f"{rows}×{cols}" in title else f"{title or 'A matrix'}, {rows}×{cols}"
    if max(rows, cols) <= NUMBERS_UP_TO:
        return f"{name}: {matrix_text(values)}."
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return f"{name}, not yet filled in."
    return f"{name}, values from {finite.min():.3g} to {finite.max():.3g}."


def say(text, container=None):
    """Text for a screen reader only: read out in its place on the page, not drawn."""
    (container or st).markdown(f"<p class='cnnviz-sr'>{html.escape(text)}</p>", unsafe_allow_html=True)
