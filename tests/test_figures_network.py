"""Figures of the Draw page: tiled feature maps, probability bars, evidence overlays."""

import numpy as np
import pytest

from cnnviz.figures.matrix import HIGHLIGHT
from cnnviz.figures.network import (
    feature_maps_figure,
    heat_overlay,
    overlay_figure,
    picture_figure,
    probability_figure,
    tile_maps,
)


def test_tile_maps_puts_each_channel_in_its_own_tile_left_to_right():
    maps = np.stack([np.full((3, 4), channel, float) for channel in range(5)], axis=2)  # (3, 4, 5)

    tiled, channel_of_cell, columns = tile_maps(maps, columns=3)

    assert columns == 3 and tiled.shape == (2 * 4 - 1, 3 * 5 - 1)
    assert tiled[0, 0] == 0 and tiled[0, 5] == 1 and tiled[4, 5] == 4  # channel 4: second row, second tile
    assert np.isnan(tiled[3, 0]) and channel_of_cell[3, 0] == -1  # the gap between rows of tiles
    assert np.isnan(tiled[4, 10]) and channel_of_cell[4, 10] == -1  # the unused sixth tile


def test_feature_maps_figure_draws_all_channels_in_one_trace_and_outlines_the_selected_one():
    figure = feature_maps_figure(np.random.default_rng(0).random((26, 26, 32)), selected=9)

    assert len(figure.data) == 1
    (outline,) = figure.layout.shapes
    assert outline.line.color == HIGHLIGHT
    assert (outline.x0, outline.y0) == (27 - 0.5, 27 - 0.5)  # channel 9: row 1, column 1 of 8


def test_probability_bars_highlight_the_most_likely_digit():
    probabilities = np.full(10, 0.02)
    probabilities[6] = 0.82

    colours = probability_figure(probabilities).data[0].marker.color

    assert [index for index, colour in enumerate(colours) if colour == HIGHLIGHT] == [6]


def test_probability_figure_refuses_anything_but_ten_values():
    with pytest.raises(ValueError, match="10 values"):
        probability_figure(np.ones(9) / 9)


def test_heat_overlay_colours_only_where_there_is_evidence():
    image = np.zeros((28, 28))
    heat = np.zeros((28, 28))
    heat[10, 10] = 1.0

    overlay = heat_overlay(image, heat)

    assert overlay.shape == (28, 28, 3) and overlay.dtype == np.uint8
    assert overlay[0, 0].tolist() == [0, 0, 0]
    assert overlay[10, 10].sum() > 300  # bright yellow


def test_overlay_and_pictures_are_sent_as_png_images():
    overlay = overlay_figure(np.zeros((28, 28)), np.zeros((28, 28)))
    picture = picture_figure(np.zeros((280, 280)), marker=(14.0, 14.0), box=(1, 5, 2, 6))

    assert overlay.data[0].source.startswith("data:image/png;base64,")
    assert picture.data[0].source.startswith("data:image/png;base64,")
    assert len(picture.layout.shapes) == 1 and picture.data[1].x == (14.0,)
