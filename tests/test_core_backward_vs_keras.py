"""Our NumPy backward pass agrees with tf.GradientTape through Keras' layers, over many random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.core import ops, tiny_cnn
from testkit.strategies import conv_arrays, conv_geometry, pool_geometry

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

pytestmark = [pytest.mark.slow, pytest.mark.tf]  # imports TensorFlow


def tape_gradients(layer, x, grad_output, *variables):
    """d(Σ layer(x) × grad_output) / d(x, *variables): the gradients Keras' layer sends back."""
    x = tf.Variable(x[None])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * grad_output[None])
    return [np.asarray(g) for g in tape.gradient(loss, [x, *variables])]


@settings(max_examples=60, deadline=None)
@given(conv_geometry)
def test_conv2d_backward_matches_keras_conv2d(g):
    rng, image, kernel = conv_arrays(g)
    padded = np.pad(image, ((g["padding"],) * 2, (g["padding"],) * 2, (0, 0)))
    out_h = ops.output_size(g["height"], g["kernel"], g["stride"], g["padding"])
    out_w = ops.output_size(g["width"], g["kernel"], g["stride"], g["padding"])
    grad_output = rng.normal(size=(out_h, out_w)).astype("float32")

    layer = keras.layers.Conv2D(1, g["kernel"], strides=g["stride"], padding="valid", use_bias=False)
    layer.build((1, *padded.shape))
    layer.set_weights([kernel[..., None]])  # (k, k, C, 1 filter)
    grad_padded, grad_kernel = tape_gradients(layer, padded, grad_output[..., None], layer.kernel)
    p = g["padding"]
    expected_image = grad_padded[0, p : p + g["height"], p : p + g["width"]]

    ours_image, ours_kernel = ops.conv2d_backward(image, kernel, grad_output, stride=g["stride"], padding=p)
    np.testing.assert_allclose(ours_image, expected_image, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours_kernel, grad_kernel[..., 0], rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(conv_geometry)
def test_a_2d_filter_on_a_single_channel_image_matches_keras(g):
    rng, image, kernel = conv_arrays(g, channels=False)
    p = g["padding"]
    padded = np.pad(image, p)[..., None]
    out_shape = ops.conv2d(image, kernel, stride=g["stride"], padding=p).shape
    grad_output = rng.normal(size=out_shape).astype("float32")

    layer = keras.layers.Conv2D(1, g["kernel"], strides=g["stride"], use_bias=False)
    layer.build((1, *padded.shape))
    layer.set_weights([kernel[..., None, None]])
    grad_padded, grad_kernel = tape_gradients(layer, padded, grad_output[..., None], layer.kernel)

    ours_image, ours_kernel = ops.conv2d_backward(image, kernel, grad_output, stride=g["stride"], padding=p)
    np.testing.assert_allclose(ours_image, grad_padded[0, p : p + g["height"], p : p + g["width"], 0], atol=1e-4)
    np.testing.assert_allclose(ours_kernel, grad_kernel[..., 0, 0], rtol=1e-4, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(pool_geometry, st.sampled_from(ops.POOL_MODES))
def test_pool2d_backward_matches_keras_pooling(g, mode):
    size = g["size"]
    rng = np.random.default_rng(g["seed"])
    x = rng.normal(size=(g["height"], g["width"], g["channels"])).astype("float32")
    out_shape = ops.pool2d(x, size=size, stride=g["stride"], mode=mode).shape
    grad_output = rng.normal(size=out_shape).astype("float32")
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    layer = layer_class(pool_size=size, strides=g["stride"], padding="valid")
    (expected,) = tape_gradients(layer, x, grad_output)

    ours = ops.pool2d_backward(x, grad_output, size=size, stride=g["stride"], mode=mode)
    np.testing.assert_allclose(ours, expected[0], rtol=1e-4, atol=1e-5)


def keras_tiny_cnn(params):
    """The tiny network's layers in Keras, holding `params`."""
    model = keras.Sequential(
        [
            keras.Input((tiny_cnn.SIZE, tiny_cnn.SIZE, 1)),
            keras.layers.Conv2D(1, tiny_cnn.KERNEL, activation="relu"),
            keras.layers.MaxPooling2D(tiny_cnn.POOL),
            keras.layers.Flatten(),
            keras.layers.Dense(len(tiny_cnn.CLASSES), activation="softmax"),
        ]
    )
    model.layers[0].set_weights([params.kernel[..., None, None], np.array([params.bias])])
    model.layers[3].set_weights([params.weights, params.dense_bias])
    return model


@pytest.mark.parametrize("seed", [tiny_cnn.DEFAULT_SEED, 1, 2])
def test_the_tiny_networks_gradients_match_a_keras_model_of_the_same_layers(seed):
    params = tiny_cnn.initial_params(seed)
    params = tiny_cnn.Params(params.kernel, 0.05, params.weights, np.array([0.1, -0.2]))  # biases in play too
    model = keras_tiny_cnn(params)
    loss_function = keras.losses.CategoricalCrossentropy()
    for example in tiny_cnn.examples():
        fwd = tiny_cnn.forward(params, example.image, example.label)
        grads = tiny_cnn.backward_pass(params, fwd)
        with tf.GradientTape() as tape:
            probs = model(example.image[None, ..., None].astype("float32"))
            loss = loss_function(tiny_cnn.one_hot(example.label)[None], probs)
        kernel, bias, weights, dense_bias = (np.asarray(g) for g in tape.gradient(loss, model.trainable_weights))

        np.testing.assert_allclose(fwd.probs, np.asarray(probs)[0], atol=1e-5)
        np.testing.assert_allclose(fwd.loss, float(loss), atol=1e-5)
        np.testing.assert_allclose(grads.kernel, kernel[..., 0, 0], atol=1e-5)
        np.testing.assert_allclose(grads.bias, bias[0], atol=1e-5)
        np.testing.assert_allclose(grads.weights, weights, atol=1e-5)
        np.testing.assert_allclose(grads.dense_bias, dense_bias, atol=1e-5)
