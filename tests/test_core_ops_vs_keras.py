"""Our NumPy convolution and pooling agree with Keras' layers, over many random shapes."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.core import ops
from testkit.strategies import conv_arrays, conv_geometry, pool_geometry, side_geometry

pytestmark = pytest.mark.tf


@settings(max_examples=60, deadline=None)
@given(conv_geometry)
def test_conv2d_matches_keras_conv2d(g):
    _, image, kernel = conv_arrays(g)

    layer = keras.layers.Conv2D(1, g["kernel"], strides=g["stride"], padding="valid", use_bias=False)
    layer.build((1, *np.pad(image, ((g["padding"],) * 2, (g["padding"],) * 2, (0, 0))).shape))
    layer.set_weights([kernel[..., None]])  # (k, k, C, 1 filter)
    padded = np.pad(image, ((g["padding"],) * 2, (g["padding"],) * 2, (0, 0)))
    expected = np.asarray(layer(padded[None]))[0, ..., 0]

    ours = ops.conv2d(image, kernel, stride=g["stride"], padding=g["padding"])
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(pool_geometry, st.sampled_from(ops.POOL_MODES))
def test_pool2d_matches_keras_pooling(g, mode):
    size = g["size"]
    x = np.random.default_rng(g["seed"]).normal(size=(g["height"], g["width"], g["channels"])).astype("float32")
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = np.asarray(layer_class(pool_size=size, strides=g["stride"], padding="valid")(x[None]))[0]

    ours = ops.pool2d(x, size=size, stride=g["stride"], mode=mode)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(side_geometry)
def test_output_size_matches_keras_output_shape(g):
    layer = keras.layers.Conv2D(1, g["kernel"], strides=g["stride"], padding="valid")
    side = layer.compute_output_shape((1, g["side"], g["side"], 1))[1]
    assert side == ops.output_size(g["side"], g["kernel"], g["stride"], 0)
