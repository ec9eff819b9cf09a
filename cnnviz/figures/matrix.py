"""Plotly figures of matrices: every page draws numbers with this one look."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.core.numbers import format_value, value_range
from cnnviz.figures.style import HIGHLIGHT, PIXEL_SCALE, SIGNED_SCALE

PADDING_TINT = "rgba(120, 120, 160, 0.55)"
NUMBERS_UP_TO = 10  # print cell values on matrices at most this wide


def matrix_figure(
    values,
    *,
    title=None,
    window=None,
    cell=None,
    padding=0,
    zrange=None,
    numbers=None,
    decimals=2,
    size=None,
):
    """A heatmap of a 2-D array with each cell's number printed.

    window: (row, col, height, width) outlined in the highlight colour.
    cell: (row, col) outlined as the cell being written.
    padding: width of a zero-padding ring drawn tinted, with the real input dashed.
    zrange: (zmin, zmax); signed ranges get the diverging scale, others the pixel scale.
    NaN cells are left blank, so a map can fill in step by step.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"matrix_figure draws a 2-D array; got shape {values.shape}.")
    rows, cols = values.shape
    zmin, zmax = zrange if zrange is not None else value_range(values)
    signed = zmin < 0
    if numbers is None:
        numbers = max(rows, cols) <= NUMBERS_UP_TO
    text = [[format_value(v, decimals) for v in row] for row in values] if numbers else None
    font_size = int(np.clip(96 / max(rows, cols), 9, 18))  # "−1.25" must fit in its cell

    heatmap = {
        "type": "heatmap",
        "z": values,
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": SIGNED_SCALE if signed else PIXEL_SCALE,
        "zmid": 0 if signed else None,
        "showscale": not numbers,
        "colorbar": {"thickness": 10, "len": 0.9, "outlinewidth": 0},
        "text": text,
        "texttemplate": "%{text}" if numbers else None,
        "textfont": {"size": font_size},
        "hovertemplate": "row %{y}, column %{x}: %{z:.3f}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    shapes = _padding_shapes(rows, cols, padding) if padding else []
    if window is not None:
        shapes.append(_outline(*window))
    if cell is not None:
        shapes.append(_outline(cell[0], cell[1], 1, 1))

    side = size or int(np.clip(42 * max(rows, cols), 220, 300))
    layout = {
        "title": {"text": title, "x": 0.5, "xanchor": "center", "font": {"size": 16}} if title else None,
        "height": side + (40 if title else 0),
        "margin": {"l": 8, "r": 8, "t": 44 if title else 8, "b": 8},
        "plot_bgcolor": "#DDDDDD",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "shapes": shapes,
        "xaxis": {"visible": False, "range": [-0.5, cols - 0.5], "constrain": "domain"},
        "yaxis": {"visible": False, "range": [rows - 0.5, -0.5], "scaleanchor": "x", "constrain": "domain"},
    }
    return go.Figure(data=[heatmap], layout=layout)  # one validation pass: a page draws many of these


def _outline(row, col, height, width):
    return {
        "type": "rect",
        "x0": col - 0.5,
        "x1": col + width - 0.5,
        "y0": row - 0.5,
        "y1": row + height - 0.5,
        "line": {"color": HIGHLIGHT, "width": 4},
    }


def _padding_shapes(rows, cols, padding):
    """Four tinted bands around the real input, and a dashed line along its edge."""
    inner = {"x0": padding - 0.5, "x1": cols - padding - 0.5, "y0": padding - 0.5, "y1": rows - padding - 0.5}
    outer = {"x0": -0.5, "x1": cols - 0.5, "y0": -0.5, "y1": rows - 0.5}
    bands = (
        {**outer, "y1": inner["y0"]},
        {**outer, "y0": inner["y1"]},
        {**outer, "x1": inner["x0"], "y0": inner["y0"], "y1": inner["y1"]},
        {**outer, "x0": inner["x1"], "y0": inner["y0"], "y1": inner["y1"]},
    )
    tint = {"type": "rect", "fillcolor": PADDING_TINT, "line": {"width": 0}, "layer": "above"}
    return [{**tint, **band} for band in bands] + [
        {"type": "rect", "line": {"color": "#333333", "width": 2, "dash": "dash"}, **inner}
    ]
