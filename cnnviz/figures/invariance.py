"""Plotly figure of the invariance lab: each network's confidence in the drawn digit along one move."""

import plotly.graph_objects as go

from cnnviz.figures.style import BLUE, GREEN, GREY, ORANGE, TEXT_COLOUR

# Keyed by the names of cnnviz.ml.invariance (the figures layer does not import the Keras side).
NETWORK_STYLES = {
    "shipped": {"color": GREEN, "dash": "dot", "name": "shipped CNN"},
    "course_cnn": {"color": BLUE, "dash": "solid", "name": "course CNN"},
    "mlp": {"color": ORANGE, "dash": "dash", "name": "dense network (MLP)"},
}
AXIS_TITLES = {
    "across": "moved right (pixels)",
    "down": "moved down (pixels)",
    "rotation": "turned anticlockwise (degrees)",
    "scale": "scaled by",
}


def confidence_figure(values, confidence, move, current, digit, *, height=280):
    """Probability (%) each network gives `digit` against the move's value; a vertical line at `current`.

    values: the move's values; confidence: {network name: [probability per value]}.
    """
    traces = []
    for name, probabilities in confidence.items():
        style = NETWORK_STYLES.get(name, {"color": GREY, "dash": "solid", "name": name})
        traces.append(
            {
                "type": "scatter",
                "x": values,
                "y": [100 * p for p in probabilities],
                "mode": "lines",
                "name": style["name"],
                "line": {"color": style["color"], "dash": style["dash"], "width": 3},
                "hovertemplate": f"%{{x}}: %{{y:.0f}} % a {digit}<extra>{style['name']}</extra>",
            }
        )
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 14},
        "xaxis": {"title": {"text": AXIS_TITLES[move]}},
        "yaxis": {"title": {"text": f"sure it is a {digit} (%)"}, "range": [0, 102]},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 50,
                "y1": 50,
                "line": {"dash": "dot", "color": GREY, "width": 1},
            },
            {
                "type": "line",
                "yref": "paper",
                "x0": current,
                "x1": current,
                "y0": 0,
                "y1": 1,
                "line": {"color": TEXT_COLOUR, "width": 2},
            },
        ],
    }
    return go.Figure(data=traces, layout=layout)
