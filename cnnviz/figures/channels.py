"""Plotly figures for convolution across channels: a colour picture with its window, K maps as a stack."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.core.numbers import format_value, value_range
from cnnviz.figures.network import picture_figure
from cnnviz.figures.style import HIGHLIGHT, SIGNED_SCALE

STACK_SHIFT = 0.45  # how far each map sits behind the one in front, in cells


def colour_window_figure(image, window, *, title=None, height=260):
    """An (H, W, 3) picture with values 0–1 drawn in colour, the (row, col, height, width) window outlined."""
    row, col, rows, cols = window
    return picture_figure(np.asarray(image), title=title, box=(row, row + rows, col, col + cols), height=height)


def stack_figure(maps, names, *, height=380):
    """(H, W, K) maps drawn one behind the other, the first in front with its numbers: one H×W×K array.

    names: K labels for the maps' hover text.
    """
    maps = np.asarray(maps, dtype=float)
    rows, cols, count = maps.shape
    zmin, zmax = value_range(maps)
    traces, shapes, labels = [], [], []
    for depth in reversed(range(count)):  # the back map first, so the front one is drawn over it
        x0, y0 = depth * STACK_SHIFT, -depth * STACK_SHIFT
        front = depth == 0
        traces.append(
            {
                "type": "heatmap",
                "z": maps[:, :, depth],
                "x0": x0,
                "dx": 1,
                "y0": y0,
                "dy": 1,
                "zmin": zmin,
                "zmax": zmax,
                "zmid": 0 if zmin < 0 else None,
                "colorscale": SIGNED_SCALE,
                "showscale": False,
                "text": [[format_value(v, 2) for v in row] for row in maps[:, :, depth]] if front else None,
                "texttemplate": "%{text}" if front else None,
                "textfont": {"size": 13},
                "hovertemplate": f"map {depth + 1} ({names[depth]}): " + "%{z:.3f}<extra></extra>",
                "xgap": 1,
                "ygap": 1,
            }
        )
        shapes.append(
            {
                "type": "rect",
                "x0": x0 - 0.5,
                "x1": x0 + cols - 0.5,
                "y0": y0 - 0.5,
                "y1": y0 + rows - 0.5,
                "line": {"color": HIGHLIGHT if front else "#555555", "width": 3 if front else 1},
            }
        )
        labels.append(
            {
                "x": x0 + cols - 0.5,
                "y": y0 - 0.5,
                "text": f"{depth + 1}",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 14},
            }
        )
    depth_span = (count - 1) * STACK_SHIFT
    layout = {
        "title": {
            "text": f"{count} maps stacked: {rows}×{cols}×{count}",
            "x": 0.5,
            "xanchor": "center",
            "font": {"size": 16},
        },
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 44, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "shapes": shapes,
        "annotations": labels,
        "dragmode": False,  # a swipe scrolls the page, it does not pan the stack
        "xaxis": {
            "visible": False,
            "range": [-0.5, cols + depth_span + 0.2],
            "constrain": "domain",
            "fixedrange": True,
        },
        "yaxis": {
            "visible": False,
            "range": [rows - 0.5, -depth_span - 1.0],
            "scaleanchor": "x",
            "constrain": "domain",
            "fixedrange": True,
        },
    }
    return go.Figure(data=traces, layout=layout)
