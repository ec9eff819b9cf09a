"""Flatten's index arithmetic, weighted sums and softmax (cnnviz.core.dense) against Keras."""

import numpy as np
import pytest

from cnnviz.core import dense


@pytest.mark.tf
def test_flatten_index_matches_keras_flatten():
    import keras

    maps = np.random.default_rng(0).normal(size=(1, 13, 13, 32)).astype("float32")
    flat = np.asarray(keras.layers.Flatten()(maps))[0]
    for row, col, channel in [(0, 0, 0), (0, 0, 31), (0, 1, 0), (6, 6, 5), (12, 12, 31)]:
        assert flat[dense.flatten_index(row, col, channel, (13, 13, 32))] == maps[0, row, col, channel]


def test_unflatten_index_inverts_flatten_index():
    shape = (3, 4, 5)
    for index in range(60):
        assert dense.flatten_index(*dense.unflatten_index(index, shape), shape) == index


def test_a_cell_outside_the_map_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="row 13 is outside the 13×13×32 map"):
        dense.flatten_index(13, 0, 0, (13, 13, 32))


@pytest.mark.tf
def test_weighted_sum_adds_up_to_the_dense_layer_output():
    import keras

    layer = keras.layers.Dense(7, activation="relu")
    inputs = np.random.default_rng(1).uniform(size=(1, 50)).astype("float32")
    expected = np.asarray(layer(inputs))[0]
    kernel, bias = (np.asarray(w) for w in layer.get_weights())
    for unit in range(7):
        written = dense.weighted_sum(inputs[0], kernel, bias, unit, shown=3)
        assert written.products.sum() + written.rest + written.bias == pytest.approx(written.total)
        assert written.output == pytest.approx(expected[unit], abs=1e-5)
        assert abs(written.products[0]) >= abs(written.products[-1])


@pytest.mark.tf
def test_softmax_matches_keras_and_sums_to_one():
    import keras

    scores = np.array([1.0, -2.0, 0.5, 30.0, -1.0, 0.0, -0.5, 6.0, 1.5, 2.0])
    expected = np.asarray(keras.activations.softmax(scores[None].astype("float32")))[0]
    np.testing.assert_allclose(dense.softmax(scores), expected, rtol=1e-5, atol=1e-7)
    assert dense.softmax(scores).sum() == pytest.approx(1.0)


def test_wrap_keeps_the_reading_order_and_pads_the_last_row():
    wrapped = dense.wrap(np.arange(10), 4)
    assert wrapped.shape == (3, 4)
    np.testing.assert_array_equal(wrapped.ravel()[:10], np.arange(10))
    assert np.isnan(wrapped[2, 2:]).all()


def test_the_channels_of_one_cell_sit_side_by_side_after_flatten():
    maps = dense.example_maps()  # (3, 3, 2)
    positions = dense.cell_positions(1, 2, maps.shape)
    assert list(positions) == [dense.flatten_index(1, 2, channel, maps.shape) for channel in range(2)] == [10, 11]
    np.testing.assert_array_equal(dense.flatten(maps)[positions.start : positions.stop], maps[1, 2])
    assert dense.last_indices(maps.shape) == (2, 2, 1)
