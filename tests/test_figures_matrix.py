"""cnnviz.figures.matrix: a matrix as a figure with every number printed, the window and the padding."""

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.colors import sample_colorscale

from cnnviz.core.numbers import value_range
from cnnviz.figures.contrast import contrast_ratio
from cnnviz.figures.matrix import HIGHLIGHT, PIXEL_SCALE, RING_COLOUR, matrix_figure


def labels(figure):
    """The printed cell numbers, row by row."""
    heatmap, text = figure.data
    return np.reshape(text.text, np.shape(heatmap.z)).tolist()


def test_every_cell_number_is_printed():
    figure = matrix_figure(np.array([[0.5, -1.0], [2.25, 0.0]]))
    assert isinstance(figure, go.Figure)
    assert labels(figure) == [["0.5", "−1"], ["2.25", "0"]]


def test_unwritten_cells_are_blank():
    assert labels(matrix_figure(np.array([[1.0, np.nan]]))) == [["1", ""]]


def test_a_cell_shows_what_fits_rather_than_spilling_over():
    figure = matrix_figure(np.array([[-123.456, 121.556, 0.5], [1, 2, 3], [4, 5, 6]]), size=150)
    assert labels(figure)[0][:2] in (["−123.5", "121.6"], ["−123", "122"])
    font = figure.data[1].textfont.size
    longest = max(len(label) for row in labels(figure) for label in row)
    assert font >= 12 and font * 0.6 * (longest - 1) <= 150 / 3  # the label's width within its cell


def test_small_numbers_keep_two_decimals():
    assert labels(matrix_figure(np.array([[0.587, -0.25]])))[0] == ["0.59", "−0.25"]


def test_numbers_grow_with_the_figure():
    small = matrix_figure(np.full((4, 4), -2.8)).data[1].textfont.size
    large = matrix_figure(np.full((4, 4), -2.8), size=440).data[1].textfont.size
    assert large >= 28 > small


@pytest.mark.parametrize("values", [np.linspace(-3, 3, 49).reshape(7, 7), np.linspace(0, 1, 49).reshape(7, 7)])
def test_cell_text_reads_at_4_5_to_1_on_its_own_cell_whatever_the_values(values):
    figure = matrix_figure(values, zrange=value_range(values))
    heatmap, text = figure.data
    position = (values.ravel() - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
    cells = sample_colorscale([list(stop) for stop in heatmap.colorscale], position.tolist())
    ratios = [contrast_ratio(cell, ink) for cell, ink in zip(cells, text.textfont.color)]
    assert min(ratios) >= 4.5


def test_padding_cells_read_on_their_tint():
    figure = matrix_figure(np.pad(np.ones((2, 2)), 1), padding=1)
    assert all(contrast_ratio(RING_COLOUR, ink) >= 4.5 for ink in figure.data[1].textfont.color[:4])


def test_matrices_do_not_zoom_or_pan():
    layout = matrix_figure(np.zeros((3, 3))).layout
    assert layout.xaxis.fixedrange and layout.yaxis.fixedrange and layout.dragmode is False


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
    figure = matrix_figure(np.zeros((28, 28)))
    assert len(figure.data) == 1 and figure.data[0].showscale


def test_a_3d_array_is_refused():
    with pytest.raises(ValueError, match="2-D"):
        matrix_figure(np.zeros((2, 2, 3)))


def test_colour_picture_labels_read_on_their_own_pixel():
    from cnnviz.core.input_layer import RGB_EXAMPLE
    from cnnviz.figures.input_layer import rgb_figure

    labels = rgb_figure(RGB_EXAMPLE).data[1]
    pixels = [f"rgb({r}, {g}, {b})" for r, g, b in RGB_EXAMPLE.reshape(-1, 3)]
    assert min(contrast_ratio(pixel, ink) for pixel, ink in zip(pixels, labels.textfont.color)) >= 4.5


@pytest.mark.parametrize(
    "value, text", [(1.237e14, "1.237 × 10^14 (shown as 1.237e+14)"), (2516.3, "2,516"), (3.0, "3")]
)
def test_scientific_text_spells_out_the_power_of_ten(value, text):
    from cnnviz.core.numbers import scientific_text

    assert scientific_text(value) == text


def test_a_figure_is_described_in_words_with_its_numbers():
    from cnnviz.figures.describe import describe
    from cnnviz.figures.network import probability_figure

    text = describe(probability_figure(np.full(10, 0.1), title="Probabilities"))
    assert text.startswith("Probabilities") and "bars 0: 10, 1: 10" in text and "9: 10." in text
    assert "a 2×2 grid, values −1 to 2.25" in describe(matrix_figure(np.array([[0.5, -1.0], [2.25, 0.0]])))
