"""Our step-by-step convolution and pooling: shapes, steps, sizes and the explanations."""

import numpy as np
import pytest

from cnnviz.core import ops


def test_classic_example_gives_a_4x4_map():
    steps = ops.conv2d_steps(np.ones((6, 6)), np.ones((3, 3)))
    assert steps.output.shape == (4, 4)
    assert len(steps) == 16


def test_each_step_holds_window_products_and_their_sum():
    image = np.arange(36, dtype=float).reshape(6, 6)
    kernel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)
    step = ops.conv2d_steps(image, kernel)[5]  # row 1, column 1
    assert step.cell == (1, 1)
    assert step.origin == (1, 1)
    np.testing.assert_array_equal(step.window, image[1:4, 1:4])
    np.testing.assert_array_equal(step.products, image[1:4, 1:4] * kernel)
    assert step.value == pytest.approx(step.products.sum())


def test_stride_moves_the_window_by_stride_cells():
    steps = ops.conv2d_steps(np.zeros((7, 7)), np.zeros((3, 3)), stride=2)
    assert [steps[i].origin for i in range(3)] == [(0, 0), (0, 2), (0, 4)]
    assert steps[3].origin == (2, 0)


def test_padding_surrounds_the_input_with_zeros():
    steps = ops.conv2d_steps(np.ones((4, 4)), np.ones((3, 3)), padding=1)
    assert steps.padded.shape == (6, 6)
    assert steps.padded[0].sum() == 0
    assert steps.output[0, 0] == 4  # the corner window sees 2×2 real ones


def test_multichannel_filter_sums_over_channels():
    image = np.random.default_rng(0).normal(size=(5, 5, 3))
    kernel = np.random.default_rng(1).normal(size=(3, 3, 3))
    expected = sum(ops.conv2d(image[..., c], kernel[..., c]) for c in range(3))
    np.testing.assert_allclose(ops.conv2d(image, kernel), expected)


def test_a_2d_filter_on_a_colour_image_reads_every_channel():
    image = np.ones((4, 4, 3))
    assert ops.conv2d(image, np.ones((3, 3)))[0, 0] == 27


def test_partial_output_hides_cells_not_yet_written():
    steps = ops.conv2d_steps(np.ones((6, 6)), np.ones((3, 3)))
    partial = steps.partial_output(4)
    assert np.isfinite(partial).sum() == 5
    assert np.isnan(partial[3, 3])


def test_partial_output_before_a_step_leaves_that_steps_cell_blank():
    steps = ops.conv2d_steps(np.ones((6, 6)), np.ones((3, 3)))
    before = steps.partial_output(4, current=False)
    assert np.isfinite(before).sum() == 4 and np.isnan(before.flat[4])
    assert np.isnan(steps.partial_output(0, current=False)).all()  # nothing written before the first step


def test_step_out_of_range_says_how_many_steps_there_are():
    with pytest.raises(IndexError, match="16 steps"):
        ops.conv2d_steps(np.ones((6, 6)), np.ones((3, 3)))[16]


@pytest.mark.parametrize("mode, expected", [("max", [[6, 8], [14, 16]]), ("average", [[3.5, 5.5], [11.5, 13.5]])])
def test_pooling_2x2_stride_2_halves_a_4x4_map(mode, expected):
    x = np.arange(1, 17, dtype=float).reshape(4, 4)
    steps = ops.pool2d_steps(x, size=2, stride=2, mode=mode)
    np.testing.assert_allclose(steps.output, expected)
    np.testing.assert_array_equal(steps[1].window, [[3, 4], [7, 8]])


def test_unknown_pool_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="'median'"):
        ops.pool2d_steps(np.ones((4, 4)), mode="median")


@pytest.mark.parametrize(
    "n, k, s, p, expected", [(6, 3, 1, 0, 4), (28, 3, 1, 0, 26), (26, 2, 2, 0, 13), (5, 3, 2, 1, 3), (7, 3, 3, 0, 2)]
)
def test_output_size_formula(n, k, s, p, expected):
    assert ops.output_size(n, k, s, p) == expected


def test_kernel_larger_than_padded_input_is_explained():
    with pytest.raises(ValueError, match=r"does not fit .* \(4 \+ 2×0 = 4 cells\)"):
        ops.output_size(4, 5, 1, 0)


@pytest.mark.parametrize("stride", [0, -1, 1.5])
def test_stride_must_be_a_positive_whole_number(stride):
    with pytest.raises(ValueError, match="stride"):
        ops.output_size(6, 3, stride, 0)


def test_tiling_note_names_the_dropped_cells():
    note = ops.tiling_note(6, 3, stride=2)  # windows at 0 and 2 cover cells 1–5 of 6
    assert "never read" in note and "cell 6" in note


def test_tiling_note_is_silent_when_windows_tile_evenly():
    assert ops.tiling_note(7, 3, stride=2) is None


def test_nan_input_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="NaN or infinity"):
        ops.conv2d_steps(np.full((4, 4), np.nan), np.ones((3, 3)))


@pytest.mark.parametrize(
    "name, x, expected",
    [("relu", -2.0, 0.0), ("relu", 3.0, 3.0), ("leaky relu", -2.0, -0.2), ("sigmoid", 0.0, 0.5), ("tanh", 0.0, 0.0)],
)
def test_activations(name, x, expected):
    assert ops.activate(np.array([x]), name)[0] == pytest.approx(expected)


def test_activation_leaves_unwritten_cells_blank():
    assert np.isnan(ops.activate(np.array([np.nan]), "relu")[0])


def test_the_bias_is_added_once_to_every_cell():
    image, kernel = np.arange(36, dtype=float).reshape(6, 6), np.ones((3, 3))
    without, with_bias = ops.conv2d_steps(image, kernel), ops.conv2d_steps(image, kernel, bias=-2.5)
    np.testing.assert_allclose(with_bias.output, without.output - 2.5)
    assert with_bias[7].value == pytest.approx(with_bias[7].products.sum() - 2.5)
    assert with_bias[7].bias == -2.5


@pytest.mark.parametrize("bias", [float("nan"), float("inf"), "1", [1, 2], None])
def test_a_bias_that_is_not_one_finite_number_is_explained(bias):
    with pytest.raises(ValueError, match="bias must be one finite number"):
        ops.conv2d_steps(np.ones((4, 4)), np.ones((3, 3)), bias=bias)


def test_a_colour_step_keeps_each_channels_sum():
    rng = np.random.default_rng(2)
    image, kernel = rng.normal(size=(5, 5, 3)), rng.normal(size=(3, 3, 3))
    step = ops.conv2d_steps(image, kernel, bias=0.5)[4]  # row 1, column 1
    window = image[1:4, 1:4]
    np.testing.assert_allclose(step.channel_sums, (window * kernel).sum(axis=(0, 1)))
    assert step.value == pytest.approx(step.channel_sums.sum() + 0.5)


def test_a_grey_step_has_no_channel_sums():
    assert ops.conv2d_steps(np.ones((4, 4)), np.ones((3, 3)))[0].channel_sums is None


def test_a_layer_of_filters_stacks_one_map_per_filter():
    rng = np.random.default_rng(3)
    image, kernels, biases = rng.normal(size=(6, 6, 3)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    layer = ops.conv2d_layer(image, kernels, biases, stride=2, padding=1)
    assert layer.shape == (3, 3, 4)
    for k in range(4):
        np.testing.assert_allclose(layer[..., k], ops.conv2d(image, kernels[k], 2, 1, biases[k]))


def test_a_layer_needs_one_bias_per_filter():
    with pytest.raises(ValueError, match="needs 2 finite biases"):
        ops.conv2d_layer(np.ones((4, 4, 3)), np.ones((2, 3, 3, 3)), [0.0])
