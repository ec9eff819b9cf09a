"""The loss of the tiny CNN step by step as it learns, with the step being looked at marked."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.figures.style import BLACK, BLUE, HIGHLIGHT


def loss_curve_figure(losses, *, marked=None, height=300, title="Loss, mean over the examples"):
    """losses[s] is the loss before step s + 1 (losses[-1] after the last); `marked` is a step to ring."""
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(len(losses))
    shown = np.where(np.isfinite(losses), losses, np.nan)
    traces = [
        go.Scatter(
            x=steps,
            y=shown,
            mode="lines",
            line={"color": BLUE, "width": 3},
            name="loss",
            hovertemplate="after %{x} steps: loss %{y:.4f}<extra></extra>",
        )
    ]
    if marked is not None:
        traces.append(
            go.Scatter(
                x=[marked],
                y=[shown[marked]],
                mode="markers",
                marker={"color": HIGHLIGHT, "size": 14, "line": {"color": BLACK, "width": 2}},
                name=f"step {marked}",
                hovertemplate="after %{x} steps: loss %{y:.4f}<extra></extra>",
            )
        )
    layout = {
        "title": {"text": title, "x": 0.5, "xanchor": "center", "font": {"size": 16}},
        "height": height,
        "margin": {"l": 50, "r": 10, "t": 44, "b": 44},
        "showlegend": False,
        "xaxis": {"title": "training steps", "rangemode": "tozero"},
        "yaxis": {"title": "loss", "rangemode": "tozero"},
        "paper_bgcolor": "rgba(0,0,0,0)",
    }
    return go.Figure(data=traces, layout=layout)
