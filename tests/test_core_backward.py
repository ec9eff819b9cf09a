"""The backward pass in NumPy: its steps, its activation slopes, and the tiny network learning bars."""

import numpy as np
import pytest

from cnnviz.core import ops, tiny_cnn


def numeric_gradient(function, x, eps=1e-6):
    """d function / d x by central differences, cell by cell (a test may loop; the library may not)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (function(x + step) - function(x - step)) / (2 * eps)
    return grad


@pytest.mark.parametrize("name", list(ops.ACTIVATIONS))
def test_each_activation_slope_is_its_derivative(name):
    x = np.array([-2.0, -0.7, 0.3, 1.5])
    slopes = ops.activation_slope(x, name)
    expected = [numeric_gradient(lambda v: ops.activate(v, name).sum(), np.array([value]))[0] for value in x]
    np.testing.assert_allclose(slopes, expected, atol=1e-5)


def test_relu_passes_gradient_only_where_its_input_was_positive():
    np.testing.assert_array_equal(ops.activation_slope(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


def test_each_weight_step_sums_input_times_delta_over_the_window_positions():
    rng = np.random.default_rng(0)
    image, kernel, grad = rng.normal(size=(6, 6)), rng.normal(size=(3, 3)), rng.normal(size=(4, 4))
    steps = ops.conv2d_backward_steps(image, kernel, grad)
    assert len(steps) == 9
    step = steps[5]  # weight (1, 2)
    assert step.weight == (1, 2)
    np.testing.assert_allclose(step.inputs, image[1:5, 2:6])  # what that weight met, window by window
    np.testing.assert_allclose(step.products, image[1:5, 2:6] * grad)
    assert step.value == pytest.approx((image[1:5, 2:6] * grad).sum())
    assert step.value == pytest.approx(steps.grad_kernel[1, 2])


def test_conv2d_backward_matches_finite_differences_with_stride_and_padding():
    rng = np.random.default_rng(1)
    image, kernel = rng.normal(size=(5, 7, 2)), rng.normal(size=(3, 3, 2))
    grad = rng.normal(size=ops.conv2d(image, kernel, stride=2, padding=1).shape)
    grad_image, grad_kernel = ops.conv2d_backward(image, kernel, grad, stride=2, padding=1)
    loss = lambda i, k: (ops.conv2d(i, k, stride=2, padding=1) * grad).sum()  # noqa: E731
    np.testing.assert_allclose(grad_kernel, numeric_gradient(lambda k: loss(image, k), kernel), atol=1e-5)
    np.testing.assert_allclose(grad_image, numeric_gradient(lambda i: loss(i, kernel), image), atol=1e-5)


def test_max_pooling_routes_each_gradient_to_the_cell_that_won():
    x = np.array([[1.0, 5.0, 0.0, 0.0], [2.0, 3.0, 0.0, 7.0], [9.0, 0.0, 4.0, 4.0], [0.0, 0.0, 4.0, 1.0]])
    grad = np.array([[10.0, 20.0], [30.0, 40.0]])
    steps = ops.pool2d_backward_steps(x, grad, mode="max")
    expected = np.array([[0, 10, 0, 0], [0, 0, 0, 20], [30, 0, 40, 0], [0, 0, 0, 0]], dtype=float)  # a tie: the first
    np.testing.assert_array_equal(steps.grad_x, expected)
    assert steps[1].origin == (0, 2) and steps[1].value == 20.0
    np.testing.assert_array_equal(steps[1].routed, [[0, 0], [0, 20]])


def test_average_pooling_shares_each_gradient_equally_and_overlaps_add_up():
    grad_x = ops.pool2d_backward(np.zeros((3, 3)), np.ones((2, 2)), size=2, stride=1, mode="average")
    np.testing.assert_allclose(grad_x, [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])


def test_a_gradient_of_the_wrong_shape_gets_a_sentence():
    with pytest.raises(ValueError, match=r"this convolution makes \(4, 4\)"):
        ops.conv2d_backward(np.zeros((6, 6)), np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="this pooling makes"):
        ops.pool2d_backward(np.zeros((4, 4)), np.zeros((3, 3)))


def test_the_tiny_networks_gradients_match_finite_differences():
    params = tiny_cnn.initial_params()
    example = tiny_cnn.examples()[0]
    grads = tiny_cnn.backward_pass(params, tiny_cnn.forward(params, example.image, example.label))

    def loss(kernel):
        changed = tiny_cnn.Params(kernel, params.bias, params.weights, params.dense_bias)
        return tiny_cnn.forward(changed, example.image, example.label).loss

    np.testing.assert_allclose(grads.kernel, numeric_gradient(loss, params.kernel), atol=1e-5)


def test_an_update_lowers_the_loss_on_that_example():
    params = tiny_cnn.initial_params()
    example = tiny_cnn.examples()[3]
    before = tiny_cnn.forward(params, example.image, example.label)
    after = tiny_cnn.update(params, tiny_cnn.backward_pass(params, before), 0.1)
    assert tiny_cnn.forward(after, example.image, example.label).loss < before.loss
    assert not np.array_equal(after.kernel, params.kernel)


def test_training_from_a_fixed_start_lowers_the_loss_and_makes_the_filter_tell_the_bars_apart():
    examples = tiny_cnn.examples()
    images, labels = [e.image for e in examples], np.array([e.label for e in examples])
    start = tiny_cnn.initial_params(tiny_cnn.DEFAULT_SEED)
    training = tiny_cnn.train(start, images, labels, steps=60, learning_rate=tiny_cnn.DEFAULT_LEARNING_RATE)

    assert training.losses.shape == (61,) and training.kernels.shape == (61, 3, 3)
    assert training.losses[-1] < 0.1 < 0.5 < training.losses[0]
    assert training.losses[40:].max() < training.losses[:20].min()  # falling, not just ending low

    def response(params):  # the filter's strongest ReLU output on each example
        return np.array([tiny_cnn.forward(params, image, label).relu.max() for image, label in zip(images, labels)])

    before, after = response(start), response(training.final)
    vertical, horizontal = after[labels == 0], after[labels == 1]
    assert (
        vertical.min() > horizontal.max() + 1.0
    )  # after: every vertical bar lights the filter up, no horizontal one does
    assert not before[labels == 0].min() > before[labels == 1].max() + 1.0  # before: no such gap
    assert tiny_cnn.accuracy(training.final, images, labels) == len(examples)


def test_too_large_a_learning_rate_makes_the_loss_blow_up():
    examples = tiny_cnn.examples()
    images, labels = [e.image for e in examples], [e.label for e in examples]
    training = tiny_cnn.train(tiny_cnn.initial_params(), images, labels, steps=20, learning_rate=10.0)
    assert training.losses.max() > 2 * training.losses[0]
    assert training.losses[-1] > training.losses[0]
