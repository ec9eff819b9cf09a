"""A figure in words, for a screen reader: its title and what each trace shows, with the numbers."""

import re

import numpy as np

LISTED_UP_TO = 12  # bars or points read out one by one; more are summarised by their range


def describe(figure):
    """'Scores (logits): bars 0: 1.2, 1: −0.5, …' — a sentence built from the figure's own data."""
    title = _plain(figure.layout.title.text) if figure.layout.title and figure.layout.title.text else "A chart"
    parts = [part for part in (_trace(trace) for trace in figure.data) if part]
    axis = figure.layout.yaxis.title.text if figure.layout.yaxis and figure.layout.yaxis.title else None
    unit = f" (values: {_plain(axis)})" if axis else ""
    return f"{title}{unit}: {'; '.join(parts)}." if parts else f"{title}."


def _trace(trace):
    name = f"{trace.name}: " if getattr(trace, "name", None) else ""
    if trace.type == "heatmap" and trace.z is not None:
        z = np.asarray(trace.z, dtype=float)
        finite = z[np.isfinite(z)]
        spread = f", values {_n(finite.min())} to {_n(finite.max())}" if finite.size else ", empty"
        return f"{name}a {z.shape[0]}×{z.shape[1]} grid{spread}"
    if trace.type == "image":
        return f"{name}a picture"
    if trace.type == "bar":
        return name + _pairs(trace.x, trace.y, "bars")
    if trace.type == "scatter" and trace.mode != "text" and trace.y is not None:
        return name + _pairs(trace.x, trace.y, "points")
    return ""


def _pairs(xs, ys, what):
    ys = list(ys)
    xs = list(xs) if xs is not None else list(range(len(ys)))
    if len(ys) <= LISTED_UP_TO:
        return f"{what} " + ", ".join(f"{_plain(str(x))}: {_n(y)}" for x, y in zip(xs, ys))
    values = np.asarray(ys, dtype=float)
    return (
        f"{len(ys)} {what} from {_plain(str(xs[0]))} to {_plain(str(xs[-1]))}, first {_n(values[0])}, "
        f"last {_n(values[-1])}, lowest {_n(np.nanmin(values))}, highest {_n(np.nanmax(values))}"
    )


def _n(value):
    return f"{float(value):.3g}".replace("-", "−")


def _plain(text):
    return re.sub(r"<[^>]+>", " ", text).strip()
