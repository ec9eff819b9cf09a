"""The colour convolution and the K-filter layer against keras.layers.Conv2D with bias, and the parameter counts."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.core import architecture, ops
from cnnviz.data import colour
from cnnviz.data.model_card import shipped_conv_layers
from testkit.strategies import layer_geometry

keras = pytest.importorskip("keras")
pytestmark = [pytest.mark.slow, pytest.mark.tf]  # imports TensorFlow


def keras_conv(image, kernels, biases, stride, padding):
    """Keras' Conv2D(K) with bias on `image` (H, W, C) zero-padded by `padding`: (out_h, out_w, K)."""
    padded = np.pad(image, ((padding, padding), (padding, padding), (0, 0))).astype("float32")
    layer = keras.layers.Conv2D(len(kernels), kernels.shape[1], strides=stride, padding="valid", use_bias=True)
    layer.build((1, *padded.shape))
    layer.set_weights([np.moveaxis(kernels, 0, -1), biases])  # Keras keeps (k, k, C, K)
    return np.asarray(layer(padded[None]))[0]


@settings(max_examples=40, deadline=None)
@given(layer_geometry)
def test_a_layer_of_k_filters_matches_keras_conv2d_with_bias(g):
    rng = np.random.default_rng(g["seed"])
    image = rng.uniform(0, 1, (g["side"], g["side"], g["channels"])).astype("float32")
    kernels = rng.normal(size=(g["filters"], g["kernel"], g["kernel"], g["channels"])).astype("float32")
    biases = rng.normal(size=g["filters"]).astype("float32")

    ours = ops.conv2d_layer(image, kernels, biases, stride=g["stride"], padding=g["padding"])
    expected = keras_conv(image, kernels, biases, g["stride"], g["padding"])
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(layer_geometry, st.floats(-10, 10))
def test_the_colour_steps_channel_sums_plus_bias_are_keras_cells(g, bias):
    rng = np.random.default_rng(g["seed"])
    image = rng.uniform(0, 1, (g["side"], g["side"], 3)).astype("float32")
    kernel = rng.normal(size=(g["kernel"], g["kernel"], 3)).astype("float32")

    steps = ops.conv2d_steps(image, kernel, stride=g["stride"], padding=g["padding"], bias=bias)
    expected = keras_conv(image, kernel[None], np.array([bias], "float32"), g["stride"], g["padding"])[..., 0]
    np.testing.assert_allclose(steps.output, expected, rtol=1e-4, atol=1e-3)
    sums = steps.channel_sums.sum(axis=1) + bias  # (n_steps,): the three channel sums plus the bias
    np.testing.assert_allclose(sums.reshape(expected.shape), expected, rtol=1e-4, atol=1e-3)


def test_the_pages_layer_on_its_presets_matches_keras():
    image = colour.make_input(colour.PICTURE_PATCH)
    names, kernels, biases = colour.filter_bank(colour.make_filter(colour.DEFAULT_FILTER), -0.4, 8)
    expected = keras_conv(image, kernels.astype("float32"), biases.astype("float32"), 1, 1)
    np.testing.assert_allclose(ops.conv2d_layer(image, kernels, biases, padding=1), expected, atol=1e-5)


@pytest.mark.parametrize(("channels", "filters"), [(1, 32), (3, 2), (3, 8), (32, 64), (64, 128)])
def test_the_written_parameter_count_is_keras_count_params(channels, filters):
    layer = keras.layers.Conv2D(filters, 3)
    layer.build((None, 10, 10, channels))
    written = architecture.conv_formula(3, channels, filters)  # "(3×3×C + 1) × K"
    height, width, depth, one, count = map(int, re.findall(r"\d+", written))
    assert (height * width * depth + one) * count == layer.count_params()
    assert architecture.conv_params(3, channels, filters) == layer.count_params()


def test_the_shipped_models_conv_layers_count_what_its_card_says():
    from cnnviz.ml.models import load_pretrained

    model = load_pretrained()
    for layer in shipped_conv_layers():
        assert model.get_layer(layer.name).count_params() == layer.params, layer.formula
