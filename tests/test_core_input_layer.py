"""cnnviz.core.input_layer: the one way pixels become what a model reads."""

import numpy as np
import pytest

from cnnviz.core import input_layer
from cnnviz.core.input_layer import normalise, to_model_input
from cnnviz.data.mnist import sample_digit


def test_whole_number_pixels_are_divided_by_255_and_gain_batch_and_channel_axes():
    digit, _ = sample_digit(0)  # (28, 28) uint8
    batch = to_model_input(digit)
    assert batch.shape == (1, 28, 28, 1) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch[0, ..., 0], digit.astype(np.float32) / 255)
    np.testing.assert_array_equal(batch[0, ..., 0], normalise(digit))


def test_a_stack_of_drawings_in_0_to_1_passes_unscaled_with_or_without_its_channel_axis():
    drawings = np.random.default_rng(0).random((3, 28, 28))
    np.testing.assert_allclose(to_model_input(drawings)[..., 0], drawings, rtol=1e-6)
    np.testing.assert_array_equal(to_model_input(drawings[..., None]), to_model_input(drawings))


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((280, 280)), r"28×28.*got \(280, 280\)"),
        (np.zeros((0, 28, 28)), r"got \(0, 28, 28\)"),
        (np.full((28, 28), 255.0), r"\[0, 1\]"),
        (np.full((28, 28), np.nan), r"\[0, 1\]"),
        (np.full((28, 28), 300), "0 to 255"),
    ],
)
def test_what_is_not_a_digit_is_refused_with_a_sentence(images, message):
    with pytest.raises(ValueError, match=message):
        to_model_input(images)


def test_the_brightest_pixel_of_a_window_is_placed_in_the_whole_digit():
    digit, _ = sample_digit(0)  # (28, 28) uint8
    origin = (10, 12)
    row, col, value = input_layer.brightest_pixel(input_layer.window(digit, *origin, 8), origin)
    assert value == digit[10:18, 12:20].max() == digit[row, col]
    assert 10 <= row < 18 and 12 <= col < 20 and isinstance(value, int)


def test_a_window_spans_its_first_to_its_last_row_and_column():
    assert input_layer.window_span((3, 20), 8) == ((3, 10), (20, 27))
    size = min(input_layer.WINDOW_SIZES)
    assert input_layer.window_origin(input_layer.LAST_WINDOW_START, 0, size, input_layer.DIGIT_SIDE)[0] == 22


def test_the_shapes_table_multiplies_out_each_shape():
    assert input_layer.size_arithmetic((28, 28, 1)) == "28 × 28 × 1 = 784"
    assert input_layer.size_arithmetic((224, 224, 3)) == "224 × 224 × 3 = 150,528"
    assert dict(input_layer.EXAMPLE_SHAPES)["the picture above, colour"] == input_layer.RGB_EXAMPLE.shape
