"""Plotly figures of the ANN vs CNN experiments: accuracy against shift, and ordinary against shuffled pixels."""

import plotly.graph_objects as go

from cnnviz.data.ann_vs_cnn import CNN, DEEP_CNN, MLP
from cnnviz.figures.style import BLUE, GREEN, ORANGE, PURPLE, chance_line

MODEL_COLOURS = {MLP: ORANGE, CNN: BLUE, DEEP_CNN: GREEN}  # dense orange and conv blue, as the architecture diagram
MODEL_DASHES = {MLP: "dash", CNN: "solid", DEEP_CNN: "dot"}
SHORT_NAMES = {MLP: "Dense network (MLP)", CNN: "Course CNN", DEEP_CNN: "Deeper CNN"}


def shift_accuracy_figure(results, *, height=420):
    """Test accuracy (%) against how many pixels the test digits were moved, one line per model."""
    traces = [
        {
            "type": "scatter",
            "x": results.shifts,
            "y": [100 * value for value in result.accuracy_by_shift],
            "mode": "lines+markers+text",
            "name": SHORT_NAMES.get(kind, kind),
            "line": {"color": MODEL_COLOURS.get(kind), "dash": MODEL_DASHES.get(kind), "width": 3},
            "marker": {"size": 9},
            "text": [f"{100 * value:.0f}" for value in result.accuracy_by_shift],
            "textposition": "bottom center" if kind == MLP else "top center",
            "textfont": {"size": 13, "color": MODEL_COLOURS.get(kind)},
            "hovertemplate": "moved %{x} px: %{y:.1f} %<extra>" + SHORT_NAMES.get(kind, kind) + "</extra>",
        }
        for kind, result in results.models.items()
    ]
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 15},
        "xaxis": {"title": {"text": "test digits moved by (pixels)"}, "dtick": 1},
        "yaxis": {"title": {"text": "test accuracy (%)"}, "range": [0, 105]},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "shapes": [chance_line()],
    }
    return go.Figure(data=traces, layout=layout)


def permutation_figure(results, *, height=380):
    """Two bars per model: test accuracy (%) on ordinary digits and on pixel-shuffled digits."""
    kinds = list(results.models)
    names = [SHORT_NAMES.get(kind, kind) for kind in kinds]
    ordinary = [100 * results.models[kind].accuracy for kind in kinds]
    shuffled = [100 * results.models[kind].permuted_accuracy for kind in kinds]
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": names,
            "y": values,
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "text": [f"{value:.1f} %" for value in values],
            "textposition": "outside",
            "cliponaxis": False,
        }
        for name, values, colour, pattern in (
            ("ordinary digits", ordinary, "#777777", ""),
            ("pixels shuffled", shuffled, PURPLE, "/"),
        )
    ]
    layout = {
        "height": height,
        "barmode": "group",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 15},
        "yaxis": {"title": {"text": "test accuracy (%)"}, "range": [0, 110]},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    }
    return go.Figure(data=traces, layout=layout)
