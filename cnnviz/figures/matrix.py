"""Plotly figures of matrices: every page draws numbers with this one look."""

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from cnnviz.core.numbers import format_value, value_range
from cnnviz.figures.contrast import blend, text_colours
from cnnviz.figures.style import HIGHLIGHT, PIXEL_SCALE, SIGNED_SCALE

PADDING_TINT = "rgb(120, 120, 160)"
NUMBERS_UP_TO = 10  # print cell values on matrices at most this wide
BACKGROUND = "#DDDDDD"  # behind the cells: the gaps, and cells not yet written
RING_COLOUR = blend(PADDING_TINT, BACKGROUND, 0.55)  # a padding cell: the tint over the background
MIN_FONT = 12  # px: below this a cell drops a decimal rather than shrink its number further
CHAR_EM = {".": 0.3, ",": 0.3}  # width of a character in em; digits and "−" are about 0.58, rounded up to 0.6


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
    min_font=MIN_FONT,
    colorscale=None,
):
    """A heatmap of a 2-D array with each cell's number printed.

    window: (row, col, height, width) outlined in the highlight colour.
    cell: (row, col) outlined as the cell being written.
    padding: width of a zero-padding ring drawn tinted, with the real input dashed.
    zrange: (zmin, zmax); signed ranges get the diverging scale, others the pixel scale
    (or `colorscale`, such as one channel's CHANNEL_SCALES).
    decimals: the most a label shows; fewer when the numbers would not fit their cells.
    size: the side of the square in pixels; the numbers grow with it.
    NaN cells are left blank, so a map can fill in step by step.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"matrix_figure draws a 2-D array; got shape {values.shape}.")
    rows, cols = values.shape
    zmin, zmax = zrange if zrange is not None else value_range(values)
    signed = zmin < 0
    scale = SIGNED_SCALE if signed else colorscale or PIXEL_SCALE
    if numbers is None:
        numbers = max(rows, cols) <= NUMBERS_UP_TO
    side = size or int(np.clip(42 * max(rows, cols), 220, 300))
    ring = _ring(rows, cols, padding)  # the padding cells: drawn as tinted blanks with a "0"
    shown = np.where(ring, np.nan, values)

    heatmap = {
        "type": "heatmap",
        "z": shown,
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": scale,
        "zmid": 0 if signed else None,
        "showscale": not numbers,
        "colorbar": {"thickness": 10, "len": 0.9, "outlinewidth": 0},
        "hovertemplate": "row %{y}, column %{x}: %{z:.3f}<extra></extra>",
        "hoverongaps": False,  # a cell not yet written tells nothing, not even in a tooltip
        "xgap": 1,
        "ygap": 1,
    }
    traces = [heatmap]
    if numbers:
        traces.append(_labels(values, ring, scale, (zmin, zmax), side / max(rows, cols), decimals, min_font))
    shapes = _padding_shapes(rows, cols, padding) if padding else []
    if window is not None:
        shapes.append(_outline(*window))
    if cell is not None:
        shapes.append(_outline(cell[0], cell[1], 1, 1))

    title_size = int(np.clip(side / 18, 16, 28))
    top = int(title_size * 2.6) if title else 8
    layout = {
        "title": {"text": title, "x": 0.5, "xanchor": "center", "font": {"size": title_size}} if title else None,
        "height": side + top,
        "margin": {"l": 8, "r": 8, "t": top, "b": 8},
        "plot_bgcolor": BACKGROUND,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "shapes": shapes,
        "dragmode": False,
        **square_axes(rows, cols),
    }
    return go.Figure(data=traces, layout=layout)  # one validation pass: a page draws many of these


def square_axes(rows, cols):
    """Square cells, row 0 at the top, no axes, no zoom or pan: the axes of matrices, pictures and maps."""
    return {
        "xaxis": {"visible": False, "range": [-0.5, cols - 0.5], "constrain": "domain", "fixedrange": True},
        "yaxis": {
            "visible": False,
            "range": [rows - 0.5, -0.5],
            "scaleanchor": "x",
            "constrain": "domain",
            "fixedrange": True,
        },
    }


def label_font(labels, cell_px):
    """The font size (px) at which the longest label fits a cell `cell_px` wide, never above 42% of it."""
    longest = max((sum(CHAR_EM.get(c, 0.6) for c in label) for label in labels), default=0)
    largest = 0.42 * cell_px
    return largest if longest == 0 else min(largest, 0.86 * cell_px / longest)


def fitting_labels(values, cell_px, decimals=2, min_font=MIN_FONT):
    """(labels, font size): the most decimals, up to `decimals`, whose labels fit at `min_font` or more.

    A cell shows what fits: 121.56 becomes 121.6 or 122 in a small cell rather than spilling over.
    """
    values = np.asarray(values, dtype=float)
    for places in range(decimals, -1, -1):
        labels = [format_value(v, places) for v in values.ravel()]
        font = label_font(labels, cell_px)
        if font >= min_font or places == 0:
            return np.array(labels, dtype=object).reshape(values.shape), font
    raise AssertionError("unreachable")


def _labels(values, ring, scale, zrange, cell_px, decimals, min_font):
    """The cell numbers as a text trace, each in black or white, whichever reads on its own cell."""
    labels, font = fitting_labels(values, cell_px, decimals, min_font)
    zmin, zmax = zrange
    position = np.clip((np.nan_to_num(values) - zmin) / ((zmax - zmin) or 1), 0, 1)
    colours = np.array(sample_colorscale(scale, position.ravel().tolist()), dtype=object).reshape(values.shape)
    colours[ring] = RING_COLOUR
    colours[~np.isfinite(values)] = BACKGROUND
    rows, cols = np.indices(values.shape)
    return {
        "type": "scatter",
        "mode": "text",
        "x": cols.ravel(),
        "y": rows.ravel(),
        "text": labels.ravel(),
        "textfont": {"size": round(font, 1), "color": text_colours(colours.ravel())},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _ring(rows, cols, padding):
    ring = np.zeros((rows, cols), dtype=bool)
    if padding:
        ring[:padding], ring[-padding:], ring[:, :padding], ring[:, -padding:] = True, True, True, True
    return ring


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
    tint = {"type": "rect", "fillcolor": PADDING_TINT, "opacity": 0.55, "line": {"width": 0}, "layer": "below"}
    return [{**tint, **band} for band in bands] + [
        {"type": "rect", "line": {"color": "#333333", "width": 2, "dash": "dash"}, **inner}
    ]
