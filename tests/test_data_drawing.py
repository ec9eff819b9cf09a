"""cnnviz.data.drawing: a canvas drawing becomes a centred 28×28 MNIST-style digit."""

import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data.drawing import CENTRE, FIT_SIDE, canvas_to_mnist, canvas_to_mnist_steps
from cnnviz.data.mnist import sample_digit
from testkit.synthetic import render_digit


def test_empty_canvas_gives_none():
    assert canvas_to_mnist(np.zeros((280, 280, 4), dtype=np.uint8)) is None


def test_blank_white_page_gives_none():
    assert canvas_to_mnist(np.full((280, 280, 3), 255, dtype=np.uint8)) is None


def test_output_is_28_by_28_float32_in_unit_range():
    digit = canvas_to_mnist(render_digit(5))
    assert digit.shape == (28, 28)
    assert digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() <= 1.0
    assert digit.max() > 0.9  # the strongest ink is white, as in MNIST


def test_same_digit_at_different_positions_gives_the_same_image():
    top_left = canvas_to_mnist(render_digit(3, offset=(-40, -35)))
    bottom_right = canvas_to_mnist(render_digit(3, offset=(38, 40)))
    np.testing.assert_allclose(top_left, bottom_right, atol=1e-6)


def test_same_digit_at_different_sizes_gives_nearly_the_same_image():
    small = canvas_to_mnist(render_digit(4, scale=0.35, stroke=7))
    large = canvas_to_mnist(render_digit(4, scale=0.85, stroke=17))
    assert np.abs(small - large).mean() < 0.05


def test_centre_of_mass_lands_at_mnist_centre():
    digit = canvas_to_mnist(render_digit(7, offset=(90, -80), scale=0.3, stroke=6))
    np.testing.assert_allclose(ndimage.center_of_mass(digit), CENTRE, atol=0.3)


def test_longer_side_is_fitted_to_20_pixels_keeping_aspect():
    canvas = np.zeros((280, 280), dtype=np.uint8)
    canvas[40:240, 100:140] = 255  # a bar 200 tall, 40 wide
    assert canvas_to_mnist_steps(canvas).fitted.shape == (FIT_SIDE, 4)


def test_black_ink_on_white_paper_is_inverted():
    ink = render_digit(2)[..., 3]  # (280, 280) uint8, ink = 255
    paper = np.repeat((255 - ink)[..., None], 3, axis=2)  # black on white RGB
    np.testing.assert_allclose(canvas_to_mnist(paper), canvas_to_mnist(ink), atol=1e-6)


def test_black_strokes_on_transparent_canvas_count_as_ink():
    canvas = render_digit(6)
    black_pen = canvas.copy()
    black_pen[..., :3] = 0  # stroke colour black, only alpha marks the ink
    np.testing.assert_allclose(canvas_to_mnist(black_pen), canvas_to_mnist(canvas), atol=1e-6)


def test_float_and_uint8_inputs_agree():
    ink = render_digit(8)[..., 3]
    np.testing.assert_allclose(canvas_to_mnist(ink / 255.0), canvas_to_mnist(ink), atol=1e-5)


def test_mnist_digit_survives_the_round_trip():
    image, _ = sample_digit(0)
    canvas = np.kron(image, np.ones((10, 10), dtype=np.uint8))  # (280, 280): the digit, 10× larger
    again = canvas_to_mnist(canvas)
    assert np.corrcoef(again.ravel(), image.ravel() / 255.0)[0, 1] > 0.9


def test_steps_end_with_the_final_image():
    canvas = render_digit(9, offset=(30, -20))
    steps = canvas_to_mnist_steps(canvas)
    np.testing.assert_array_equal(steps.final, canvas_to_mnist(canvas))
    assert steps.grey.shape == (280, 280)
    top, bottom, left, right = steps.box
    assert steps.cropped.shape == (bottom - top, right - left)
    assert steps.centred.shape == (28, 28)
    assert len(steps.centre_of_mass) == 2


def test_steps_are_none_for_an_empty_canvas():
    assert canvas_to_mnist_steps(np.zeros((100, 100), dtype=np.uint8)) is None


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros(280, dtype=np.uint8), "shape"),
        (np.zeros((2, 28, 28, 4), dtype=np.uint8), "shape"),
        (np.zeros((28, 28, 5), dtype=np.uint8), "channels"),
        (np.zeros((0, 0), dtype=np.uint8), "empty"),
        (np.full((28, 28), np.nan, dtype=np.float32), "NaN"),
        (np.full((28, 28), 3.0), r"\[0, 1\]"),
        (np.zeros((28, 28), dtype=np.int64), "dtype"),
        (np.array([["a", "b"], ["c", "d"]]), "dtype"),
    ],
    ids=["1-D", "batch", "5 channels", "empty", "NaN", "float above 1", "int64", "strings"],
)
def test_bad_arrays_raise_a_clear_value_error(image, message):
    with pytest.raises(ValueError, match=message):
        canvas_to_mnist(image)
