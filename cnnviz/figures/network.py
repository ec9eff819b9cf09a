"""Plotly figures of a network reading one digit: probabilities, feature maps, activations, evidence maps."""

import base64
import io
import math

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.colors import hex_to_rgb, sequential

from cnnviz.figures.matrix import square_axes
from cnnviz.figures.style import BAR_GREY, HIGHLIGHT, NEGATIVE, POSITIVE

HEAT_COLOURS = np.array([hex_to_rgb(colour) for colour in sequential.Inferno], dtype=float)  # (9, 3) 0–255
GAP_GREY = 240  # between tiles
MAP_GAP = 1  # blank cells between tiles of a feature-map grid


def probability_figure(probabilities, *, threshold=None, height=260, title=None):
    """Ten bars, one per digit, the most likely one in the highlight colour, each labelled in %.

    threshold: a probability drawn as a dashed line ("not sure below").
    """
    probabilities = _ten(probabilities)
    best = int(np.argmax(probabilities))
    bars = {
        "type": "bar",
        "x": list(range(10)),
        "y": (probabilities * 100).tolist(),
        "marker": {"color": [HIGHLIGHT if digit == best else BAR_GREY for digit in range(10)]},
        "text": [_percent(p) for p in probabilities],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "digit %{x}: %{y:.2f} %<extra></extra>",
    }
    layout = _bar_layout(height, title, x_title="digit", y_title="probability (%)")
    layout["xaxis"]["dtick"] = 1
    layout["yaxis"]["range"] = [0, 115]
    if threshold is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": threshold * 100,
                "y1": threshold * 100,
                "line": {"dash": "dash", "color": "#555555", "width": 1},
            }
        ]
        layout["annotations"] = [
            {
                "xref": "paper",
                "x": 1,
                "y": threshold * 100,
                "xanchor": "right",
                "yanchor": "bottom",
                "text": f"not sure below {threshold:.0%}",
                "showarrow": False,
                "font": {"size": 11, "color": "#555555"},
            }
        ]
    return _figure([bars], layout)


def score_figure(scores, *, height=240, title=None):
    """The ten scores before the softmax (logits): positive bars blue, negative red."""
    scores = _ten(scores)
    bars = {
        "type": "bar",
        "x": list(range(10)),
        "y": scores.tolist(),
        "marker": _signed_colours(scores),
        "text": [f"{score:.1f}".replace("-", "−") for score in scores],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "digit %{x}: score %{y:.3f}<extra></extra>",
    }
    layout = _bar_layout(height, title, x_title="digit", y_title="score")
    layout["xaxis"]["dtick"] = 1
    layout["yaxis"].update(zeroline=True, zerolinecolor="#444444")
    return _figure([bars], layout)


def activation_figure(values, *, height=220, title=None):
    """The activations of a dense layer, one bar per unit."""
    values = np.asarray(values, dtype=float).ravel()  # (units,)
    bars = {
        "type": "bar",
        "x": list(range(len(values))),
        "y": values.tolist(),
        "marker": {**_signed_colours(values), "line": {"width": 0}},
        "hovertemplate": "unit %{x}: %{y:.3f}<extra></extra>",
    }
    layout = _bar_layout(height, title, x_title="unit", y_title="activation")
    layout["bargap"] = 0.1
    return _figure([bars], layout)


def tile_maps(maps, columns=None, gap=MAP_GAP):
    """Lay the channels of (H, W, C) maps side by side: (tiled, channel_of_cell, columns).

    tiled: (rows·(H+gap)−gap, columns·(W+gap)−gap) with NaN in the gaps and unused tiles;
    channel_of_cell: same shape, the channel each cell belongs to (−1 in the gaps).
    Channels run left to right, then top to bottom.
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"Feature maps are shaped (height, width, channels); got shape {maps.shape}.")
    height, width, channels = maps.shape
    columns = columns or _grid_columns(channels)
    rows = math.ceil(channels / columns)
    padded = np.full((rows * columns, height + gap, width + gap), np.nan)
    padded[:channels, :height, :width] = np.moveaxis(maps, 2, 0)
    # (rows, columns, H+gap, W+gap) → (rows, H+gap, columns, W+gap): tiles side by side
    tiled = padded.reshape(rows, columns, height + gap, width + gap).transpose(0, 2, 1, 3)
    tiled = tiled.reshape(rows * (height + gap), columns * (width + gap))[: -gap or None, : -gap or None]
    channel = np.arange(rows * columns).reshape(rows, columns)
    channel_of_cell = np.repeat(np.repeat(channel, height + gap, axis=0), width + gap, axis=1)
    channel_of_cell = channel_of_cell[: tiled.shape[0], : tiled.shape[1]].copy()
    channel_of_cell[np.isnan(tiled)] = -1
    return tiled, channel_of_cell, columns


def feature_maps_figure(maps, *, selected=None, title=None, per_channel=False, width_pixels=560):
    """Every channel of (H, W, C) maps side by side, as one picture (a PNG: fast for 100+ channels).

    One grey scale for all the maps, black at 0 (or the lowest value) and white at the highest, so the
    brightest tiles are the channels that respond most; with `per_channel`, each tile on its own scale
    (for maps whose zero means nothing, such as batch-normalised ones). selected: a channel outlined
    in the highlight colour. width_pixels: about how wide the figure will be shown.
    """
    maps = np.asarray(maps, dtype=float)
    if per_channel:
        low = maps.min(axis=(0, 1), keepdims=True)
        spread = maps.max(axis=(0, 1), keepdims=True) - low
        position = (maps - low) / np.where(spread > 0, spread, 1.0)
    else:
        low, high = min(float(maps.min()), 0.0), float(maps.max())
        position = (maps - low) / (high - low if high > low else 1.0)
    tiled, _, columns = tile_maps(position)
    height, width, _ = maps.shape
    pixels = np.round(np.nan_to_num(tiled, nan=GAP_GREY / 255) * 255).astype(np.uint8)  # grey PNG: small, fast
    shown_height = min(width_pixels * tiled.shape[0] / tiled.shape[1], tiled.shape[0] / (height + MAP_GAP) * 84)
    layout = _grid_layout(tiled.shape, title, height=int(shown_height) + (44 if title else 12))
    if selected is not None:
        top = (selected // columns) * (height + MAP_GAP)
        left = (selected % columns) * (width + MAP_GAP)
        layout["shapes"] = [_rectangle(top, top + height, left, left + width, width=3)]
    return _figure([_image_trace(pixels)], layout)


def picture_figure(image, *, title=None, marker=None, box=None, height=220):
    """A grey image (0 black … 1 white), drawn as crisp pixels, any size.

    marker: (row, col) marked with a highlight cross (a centre of mass).
    box: (top, bottom, left, right), bottom and right exclusive, outlined in the highlight colour.
    """
    image = np.clip(np.asarray(image, dtype=float), 0.0, 1.0)  # (H, W)
    data = [_image_trace((image * 255).astype(np.uint8))]
    layout = _grid_layout(image.shape, title, height=height, title_size=13)
    if box is not None:
        layout["shapes"] = [_rectangle(*box, width=2)]
    if marker is not None:
        row, col = marker
        data.append(
            {
                "type": "scatter",
                "x": [col],
                "y": [row],
                "mode": "markers",
                "marker": {"symbol": "cross-thin", "size": 16, "line": {"width": 3, "color": HIGHLIGHT}},
                "hovertemplate": "centre of mass: row %{y:.1f}, column %{x:.1f}<extra></extra>",
                "showlegend": False,
            }
        )
    return _figure(data, layout)


def heat_overlay(image, heat, strength=0.8):
    """RGB uint8 (H, W, 3): the grey image dimmed, with `heat` (H, W) in [0, 1] laid over it in Inferno."""
    image = np.clip(np.asarray(image, dtype=float), 0.0, 1.0)
    heat = np.clip(np.asarray(heat, dtype=float), 0.0, 1.0)
    if image.shape != heat.shape:
        raise ValueError(f"The image {image.shape} and its heat map {heat.shape} must have the same shape.")
    colour = _colour_lookup(heat, HEAT_COLOURS).astype(float)  # (H, W, 3)
    base = (0.55 * 255 * image)[..., None]  # the ink in grey, so the colours stand out
    weight = (strength * np.sqrt(heat))[..., None]
    return np.clip(base * (1 - weight) + colour * weight, 0, 255).astype(np.uint8)


def overlay_figure(image, heat, *, title=None, height=260):
    """The evidence map `heat` (28, 28) in [0, 1] laid over the model's input `image` (28, 28)."""
    overlay = heat_overlay(image, heat)
    return _figure([_image_trace(overlay)], _grid_layout(overlay.shape[:2], title, height=height, title_size=13))


# -- shared pieces ------------------------------------------------------------------------------
# Figures are built from one dict: Plotly validates it once, far faster than update_layout calls.


def _colour_lookup(positions, colours):
    """RGB uint8 (..., 3) for positions in [0, 1] along evenly spaced `colours` (K, 3), interpolated."""
    scaled = np.asarray(positions, dtype=float) * (len(colours) - 1)
    low = np.clip(np.floor(scaled).astype(int), 0, len(colours) - 2)
    fraction = (scaled - low)[..., None]
    return np.round(colours[low] * (1 - fraction) + colours[low + 1] * fraction).astype(np.uint8)


def _figure(data, layout):
    # No Plotly template: Streamlit's theme styles the chart in the browser, and copying Plotly's large
    # default template into every figure was a third of the cost of building it.
    return go.Figure({"data": data, "layout": {"template": "none", **layout}})


def _image_trace(pixels):
    """A grey (H, W) or RGB (H, W, 3) uint8 array as an image trace sent as a PNG (far smaller than numbers)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    source = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"type": "image", "source": source, "x0": 0, "y0": 0, "dx": 1, "dy": 1, "hoverinfo": "skip"}


def _grid_layout(shape, title, *, height, title_size=15):
    """Square cells, row 0 at the top, no axes: the layout of pictures and maps."""
    rows, cols = shape[:2]
    return {
        "title": _title(title, title_size),
        "height": height,
        "margin": {"l": 2, "r": 2, "t": 36 if title else 2, "b": 2},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        **square_axes(rows, cols),
    }


def _bar_layout(height, title, *, x_title, y_title):
    return {
        "title": _title(title),
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 40 if title else 24, "b": 8},
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "bargap": 0.25,
        "xaxis": {"title": {"text": x_title}, "fixedrange": True},
        "yaxis": {"title": {"text": y_title}, "fixedrange": True},
    }


def _rectangle(top, bottom, left, right, width):
    """A highlight outline around cells rows top…bottom−1, columns left…right−1."""
    return {
        "type": "rect",
        "x0": left - 0.5,
        "x1": right - 0.5,
        "y0": top - 0.5,
        "y1": bottom - 0.5,
        "line": {"color": HIGHLIGHT, "width": width},
    }


def _title(text, size=15):
    return {"text": text, "x": 0.5, "xanchor": "center", "font": {"size": size}} if text else None


def _signed_colours(values):
    """Bar colours by sign, as numbers on a two-colour scale: far quicker for Plotly to check than names."""
    signs = (np.asarray(values) >= 0).astype(int)  # 1 for positive, 0 for negative
    return {"color": signs, "colorscale": [[0, NEGATIVE], [1, POSITIVE]], "cmin": 0, "cmax": 1}


def _grid_columns(channels):
    """Tiles per row: 8 for up to 64 channels, 16 beyond."""
    return min(channels, 8 if channels <= 64 else 16)


def _ten(values):
    values = np.asarray(values, dtype=float).ravel()
    if values.shape != (10,):
        raise ValueError(f"Expected one value per digit (10 values); got {values.size}.")
    return values


def _percent(probability):
    percent = probability * 100
    if percent >= 99.95 or percent < 0.05:
        return f"{percent:.0f}%"
    return f"{percent:.1f}%" if percent < 10 else f"{percent:.0f}%"


def unit_picker_figure(values, *, selected=None, height=300, title=None):
    """One map (H, W) as a grid of grey squares, one per unit, each a point a click can select.

    Points rather than an image or a heatmap: Plotly reports a click on a point (its x = column, y = row).
    selected: (row, col) outlined in the highlight colour.
    """
    values = np.asarray(values, dtype=float)  # (H, W)
    rows, cols = values.shape
    low, high = float(values.min()), float(values.max())
    row_of, col_of = np.indices(values.shape)
    cell_pixels = (height - (40 if title else 8)) / rows
    points = {
        "type": "scatter",
        "x": col_of.ravel().tolist(),
        "y": row_of.ravel().tolist(),
        "mode": "markers",
        "marker": {
            "symbol": "square",
            "size": max(cell_pixels * 0.92, 3),
            "color": values.ravel().tolist(),
            "colorscale": "gray",
            "cmin": min(low, 0.0),
            "cmax": high if high > min(low, 0.0) else min(low, 0.0) + 1,
            "line": {"width": 0},
        },
        "customdata": values.ravel().tolist(),
        "hovertemplate": "row %{y}, column %{x}: %{customdata:.3f}<extra></extra>",
        "showlegend": False,
    }
    layout = _grid_layout(values.shape, title, height=height, title_size=13)
    layout["clickmode"] = "event+select"
    layout["dragmode"] = False
    if selected is not None:
        row, col = selected
        layout["shapes"] = [_rectangle(row, row + 1, col, col + 1, width=3)]
    return _figure([points], layout)
