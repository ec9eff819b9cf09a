"""Plotly figures for the input layer: a colour picture with its pixel values, and a digit with a window on it."""

import numpy as np

from cnnviz.core.input_layer import normalise
from cnnviz.figures.contrast import text_colour
from cnnviz.figures.matrix import matrix_figure
from cnnviz.figures.network import picture_figure


def rgb_figure(image, *, title=None, size=300):
    """An (H, W, 3) uint8 picture drawn in colour, each pixel labelled with its R, G and B values."""
    image = np.asarray(image, dtype=np.uint8)
    rows, cols, _ = image.shape
    figure = picture_figure(normalise(image), title=title, height=size)
    pixels = [(row, col, *map(int, image[row, col])) for row in range(rows) for col in range(cols)]
    figure.add_scatter(
        x=[col for _, col, *_ in pixels],
        y=[row for row, *_ in pixels],
        mode="text",
        text=[f"{r}<br>{g}<br>{b}" for *_, r, g, b in pixels],
        textfont={"size": 14, "color": [text_colour(f"rgb({r}, {g}, {b})") for *_, r, g, b in pixels]},
        hoverinfo="skip",
        showlegend=False,
    )
    figure.update_layout(title_font_size=16)
    return figure


def digit_with_window(image, origin, size, *, title=None):
    """A whole digit (values 0–255) as a heatmap without numbers, the size×size window outlined."""
    figure = matrix_figure(image, title=title, window=(*origin, size, size), numbers=False, zrange=(0, 255), size=360)
    figure.update_traces(showscale=False)
    return figure
