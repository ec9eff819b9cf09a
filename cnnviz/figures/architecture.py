"""Plotly figures of a model's layers: blocks scaled by their shape, and parameter counts as they grow."""

import math

import plotly.graph_objects as go

from cnnviz.core.architecture import CONV, DENSE, FLATTEN, INPUT, POOL
from cnnviz.figures.style import BLUE, GREEN, GREY, ORANGE, PURPLE, TEXT_COLOUR

KIND_COLOURS = {INPUT: GREY, CONV: BLUE, POOL: GREEN, FLATTEN: PURPLE, DENSE: ORANGE}
STAGE_TITLES = {
    INPUT: "Input",
    CONV: "Convolution<br>+ ReLU",
    POOL: "Max pooling",
    FLATTEN: "Flatten",
    DENSE: "Dense",
}
MIN_SPACING = 2.5  # between block centres, in the figure's units: room for the labels
ARROW_ROOM = 0.9  # between the edges of two blocks
MAP_HEIGHT = 1.9  # a 28-pixel side
MAX_STACK = 8  # feature maps drawn behind one another, at most
STACK_STEP = 0.09  # offset of each map behind the one in front
BAR_WIDTH = 0.32
MARGIN = 1.2  # left of the first block's centre and right of the last one


def stage_title(layer, last=False):
    if last:
        return "Output<br>+ softmax"
    return STAGE_TITLES[layer.kind] + ("<br>+ ReLU" if layer.kind == DENSE else "")


def model_diagram(layers, *, selected=None, height=460, font_size=18):
    """The layers left to right, each drawn at its size; `selected` (an index) is shown, the others dimmed.

    Maps (H, W, C) are stacks of squares (side ∝ H, more squares for more channels); vectors are
    bars (height ∝ log of their length). Each block has its title above and its shape and parameter
    count below; hovering shows how the count is computed.
    """
    shapes, annotations = [], []
    hover_x, hover_y, hover_text = [], [], []
    top, bottom = MAP_HEIGHT / 2 + 0.6, -MAP_HEIGHT / 2 - 0.25
    widths = [_block_width(layer.shape) for layer in layers]
    centres = block_centres(layers)
    for index, layer in enumerate(layers):
        centre = centres[index]
        shown = selected is None or selected == index
        opacity = 1.0 if shown else 0.35  # of the labels
        colour = KIND_COLOURS[layer.kind] if shown else _pale(KIND_COLOURS[layer.kind])
        if len(layer.shape) == 3:
            shapes += _map_stack(centre, layer.shape, colour)
        else:
            shapes.append(_bar(centre, layer.size, colour))
        last = index == len(layers) - 1
        params = f"{layer.params:,} parameters" if layer.params else "no parameters"
        annotations += [
            _text(centre, top, f"<b>{stage_title(layer, last)}</b>", font_size, "bottom", opacity),
            _text(centre, bottom, f"<b>{layer.shape_text}</b>", font_size, "top", opacity),
            _text(centre, bottom - 0.5, params, font_size - 3, "top", opacity),
        ]
        if index:
            gap_start = centres[index - 1] + widths[index - 1] / 2
            gap_end = centre - widths[index] / 2
            middle, half = (gap_start + gap_end) / 2, min(0.35, (gap_end - gap_start) / 2 - 0.1)
            annotations.append(_arrow(middle - half, middle + half))
        hover_x.append(centre)
        hover_y.append(0)
        hover_text.append(
            f"<b>{layer.name}</b>: {layer.description}<br>output {layer.shape_text} = {layer.size:,} numbers"
            f"<br>parameters: {layer.formula}" + (f" = {layer.params:,}" if layer.params else "")
        )
    hover = {
        "type": "scatter",
        "x": hover_x,
        "y": hover_y,
        "mode": "markers",
        "marker": {"size": 60, "opacity": 0},
        "hovertext": hover_text,
        "hoverinfo": "text",
        "hoverlabel": {"font": {"size": font_size - 2}},
    }
    right = centres[-1] + MARGIN
    layout = {
        "height": height,
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "shapes": shapes,
        "annotations": annotations,
        "showlegend": False,
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {"visible": False, "range": [-MARGIN, right], "fixedrange": True},
        "yaxis": {"visible": False, "range": [bottom - 1.2, top + 1.0], "fixedrange": True},
    }
    return go.Figure(data=[hover], layout=layout)


def block_centres(layers):
    """x of each block's centre: far enough apart for the blocks, the arrows and the labels."""
    widths = [_block_width(layer.shape) for layer in layers]
    centres = [0.0]
    for left, right in zip(widths, widths[1:]):
        centres.append(centres[-1] + max(MIN_SPACING, (left + right) / 2 + ARROW_ROOM))
    return centres


def column_widths(layers):
    """Relative widths of one page column per block, each centred under its block (for links under the diagram)."""
    centres = block_centres(layers)
    edges = [-MARGIN, *((a + b) / 2 for a, b in zip(centres, centres[1:])), centres[-1] + MARGIN]
    return [right - left for left, right in zip(edges, edges[1:])]


def _block_width(shape):
    if len(shape) != 3:
        return BAR_WIDTH
    return MAP_HEIGHT * shape[1] / 28 + STACK_STEP * (min(shape[2], MAX_STACK) - 1)


def _pale(colour, amount=0.75):
    """`colour` mixed with white: a dimmed block that still hides the blocks behind it."""
    red, green, blue = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    return "#" + "".join(f"{round(value + (255 - value) * amount):02X}" for value in (red, green, blue))


def _map_stack(centre, shape, colour):
    """Squares one behind the other, up and to the right: one per channel, at most MAX_STACK."""
    side = MAP_HEIGHT * shape[0] / 28
    count = min(shape[2], MAX_STACK)
    step = STACK_STEP
    left = centre - side / 2 - step * (count - 1) / 2
    base = -side / 2 - step * (count - 1) / 2
    squares = []
    for depth in reversed(range(count)):  # back first, so the front square is drawn on top
        squares.append(
            {
                "type": "rect",
                "x0": left + depth * step,
                "x1": left + depth * step + side,
                "y0": base + depth * step,
                "y1": base + depth * step + side,
                "fillcolor": colour,
                "line": {"color": "#FFFFFF", "width": 1.5},
            }
        )
    return squares


def _bar(centre, size, colour):
    height = 0.55 * math.log10(max(size, 2))
    return {
        "type": "rect",
        "x0": centre - BAR_WIDTH / 2,
        "x1": centre + BAR_WIDTH / 2,
        "y0": -height / 2,
        "y1": height / 2,
        "fillcolor": colour,
        "line": {"color": "#FFFFFF", "width": 1.5},
    }


def _text(x, y, text, size, anchor, opacity):
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "yanchor": anchor,
        "font": {"size": size, "color": TEXT_COLOUR},
        "opacity": opacity,
    }


def _arrow(start, end):
    return {
        "x": end,
        "y": 0,
        "ax": start,
        "ay": 0,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": "",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1.3,
        "arrowwidth": 2,
        "arrowcolor": "#777777",
    }


def parameter_growth_figure(rows, *, height=420):
    """First-layer parameters (log scale) against the image side: a dense layer and a conv layer, per channel count."""
    traces = []
    for channels, dash in ((1, "solid"), (3, "dash")):
        chosen = [row for row in rows if row["channels"] == channels]
        if not chosen:
            continue
        for key, name, colour in (
            ("dense", "Dense layer", KIND_COLOURS[DENSE]),
            ("conv", "Conv layer", KIND_COLOURS[CONV]),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "x": [row["side"] for row in chosen],
                    "y": [row[key] for row in chosen],
                    "mode": "lines+markers",
                    "name": f"{name}, {channels} channel{'s' if channels > 1 else ''}",
                    "line": {"color": colour, "dash": dash, "width": 3},
                    "marker": {"size": 9},
                    "hovertemplate": "%{x}×%{x}: %{y:,} parameters<extra>" + f"{name}, {channels} ch.</extra>",
                }
            )
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 15},
        "xaxis": {
            "title": {"text": "image side (pixels)"},
            "type": "log",
            "tickvals": sorted({r["side"] for r in rows}),
        },
        "yaxis": {"title": {"text": "parameters of the first layer"}, "type": "log", "exponentformat": "power"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    }
    return go.Figure(data=traces, layout=layout)
