"""Matrix figures: numbers printed, windows outlined, one colour scale per kind of value."""

import numpy as np
import plotly.graph_objects as go
import pytest

from cnnviz.core.numbers import format_value, value_range
from cnnviz.figures.matrix import HIGHLIGHT, PIXEL_SCALE, matrix_figure


def test_every_cell_number_is_printed():
    figure = matrix_figure(np.array([[0.5, -1.0], [2.25, 0.0]]))
    assert isinstance(figure, go.Figure)
    assert [list(row) for row in figure.data[0].text] == [["0.5", "−1"], ["2.25", "0"]]


def test_unwritten_cells_are_blank():
    assert [list(row) for row in matrix_figure(np.array([[1.0, np.nan]])).data[0].text] == [["1", ""]]


def test_window_is_outlined_in_the_highlight_colour():
    figure = matrix_figure(np.zeros((6, 6)), window=(1, 2, 3, 3))
    (shape,) = figure.layout.shapes
    assert shape.line.color == HIGHLIGHT
    assert (shape.x0, shape.y0, shape.x1, shape.y1) == (1.5, 0.5, 4.5, 3.5)


def test_padding_is_drawn_as_a_tinted_ring_and_a_dashed_border():
    figure = matrix_figure(np.zeros((8, 8)), padding=1)
    dashed = [s for s in figure.layout.shapes if s.line.dash == "dash"]
    assert len(figure.layout.shapes) == 5 and len(dashed) == 1


def test_signed_values_use_a_diverging_scale_centred_on_zero():
    heatmap = matrix_figure(np.array([[-2.0, 1.0]])).data[0]
    assert heatmap.zmid == 0 and heatmap.zmin == -2 and heatmap.zmax == 2


def test_pixels_use_the_grey_scale():
    heatmap = matrix_figure(np.array([[0.0, 1.0]])).data[0]
    assert [list(c) for c in heatmap.colorscale] == [list(c) for c in PIXEL_SCALE]


def test_large_images_hide_numbers_and_show_a_colour_bar():
    heatmap = matrix_figure(np.zeros((28, 28))).data[0]
    assert heatmap.text is None and heatmap.showscale


@pytest.mark.parametrize(
    "value, text", [(200, "200"), (0.126, "0.13"), (-0.0, "0"), (3.0, "3"), (-1.5, "−1.5"), (np.nan, "")]
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_value_range_is_symmetric_when_signed():
    assert value_range(np.array([-1.0, 3.0])) == (-3.0, 3.0)
    assert value_range(np.array([np.nan, 2.0])) == (0.0, 2.0)


def test_a_3d_array_is_refused():
    with pytest.raises(ValueError, match="2-D"):
        matrix_figure(np.zeros((2, 2, 3)))
