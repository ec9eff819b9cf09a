"""cnnviz.core.input_layer: the one way pixels become what a model reads."""

import numpy as np
import pytest

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
