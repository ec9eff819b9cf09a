"""Plotly figures of the augmentation experiment: accuracy on moved digits, with and without augmentation."""

import plotly.graph_objects as go

from cnnviz.data.augmentation_experiment import AUGMENTED, CONDITION_LABELS, PLAIN
from cnnviz.figures.contrast import rgb
from cnnviz.figures.style import BLUE, ORANGE, chance_line

CONDITION_COLOURS = {PLAIN: ORANGE, AUGMENTED: BLUE}
CONDITION_DASHES = {PLAIN: "dash", AUGMENTED: "solid"}
AXIS_TITLES = {"shift": "test digits moved by (pixels)", "rotation": "test digits turned by (degrees)"}
UNITS = {"shift": "px", "rotation": "°"}


def robustness_figure(results, measure, *, yours=None, height=380):
    """Test accuracy (%) against how far the test digits were moved ("shift") or turned ("rotation").

    One line per condition, the mean over the seeds, in a band from the lowest to the highest seed
    (the run-to-run noise). `yours`: the student's small run (AugmentationResults), drawn thin and dotted.
    """
    axis = results.config.shifts if measure == "shift" else results.config.rotations
    traces = []
    for condition, label in CONDITION_LABELS.items():
        mean, low, high = results.curve(condition, measure)
        colour = CONDITION_COLOURS[condition]
        seeds = len(results.runs[condition])
        traces.append(
            {
                "type": "scatter",
                "x": axis + axis[::-1],
                "y": [100 * v for v in high] + [100 * v for v in low[::-1]],
                "mode": "lines",
                "fill": "toself",
                "fillcolor": _transparent(colour, 0.22),
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": f"{label}: lowest to highest of {seeds} seeds",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": axis,
                "y": [100 * v for v in mean],
                "mode": "lines+markers",
                "name": label,
                "line": {"color": colour, "dash": CONDITION_DASHES[condition], "width": 3},
                "marker": {"size": 8},
                "customdata": [[100 * a, 100 * b] for a, b in zip(low, high)],
                "hovertemplate": f"%{{x}} {UNITS[measure]}: %{{y:.1f}} % (seeds %{{customdata[0]:.1f}}–"
                f"%{{customdata[1]:.1f}} %)<extra>{label}</extra>",
            }
        )
    if yours is not None:
        your_axis = yours.config.shifts if measure == "shift" else yours.config.rotations
        for condition, label in CONDITION_LABELS.items():
            if yours.runs.get(condition):
                mean, _, _ = yours.curve(condition, measure)
                traces.append(
                    {
                        "type": "scatter",
                        "x": your_axis,
                        "y": [100 * v for v in mean],
                        "mode": "lines+markers",
                        "name": f"yours, {label.lower()}",
                        "line": {"color": CONDITION_COLOURS[condition], "dash": "dot", "width": 2},
                        "marker": {"size": 6, "symbol": "x"},
                        "hovertemplate": f"%{{x}} {UNITS[measure]}: %{{y:.1f}} %<extra>yours, {label.lower()}</extra>",
                    }
                )
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 15},
        "xaxis": {"title": {"text": AXIS_TITLES[measure]}, "dtick": 1 if measure == "shift" else 15},
        "yaxis": {"title": {"text": "test accuracy (%)"}, "range": [0, 102]},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "shapes": [chance_line()],
    }
    return go.Figure(data=traces, layout=layout)


def _transparent(colour, alpha):
    return "rgba({}, {}, {}, {})".format(*rgb(colour), alpha)
