"""Our NumPy convolution and pooling agree with Keras' layers, over many random shapes."""

import keras
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnviz.core import ops
from testkit.strategies import geometry

pytestmark = pytest.mark.tf


@settings(max_examples=60, deadline=None)
@given(geometry)
def test_conv2d_matches_keras_conv2d(g):
    assume(g["kernel"] <= min(g["height"], g["width"]) + 2 * g["padding"])
    rng = np.random.default_rng(g["seed"])
    image = rng.normal(size=(g["height"], g["width"], g["channels"])).astype("float32")
    kernel = rng.normal(size=(g["kernel"], g["kernel"], g["channels"])).astype("float32")

    layer = keras.layers.Conv2D(1, g["kernel"], strides=g["stride"], padding="valid", use_bias=False)
    layer.build((1, *np.pad(image, ((g["padding"],) * 2, (g["padding"],) * 2, (0, 0))).shape))
    layer.set_weights([kernel[..., None]])  # (k, k, C, 1 filter)
    padded = np.pad(image, ((g["padding"],) * 2, (g["padding"],) * 2, (0, 0)))
    expected = np.asarray(layer(padded[None]))[0, ..., 0]

    ours = ops.conv2d(image, kernel, stride=g["stride"], padding=g["padding"])
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(geometry, st.sampled_from(ops.POOL_MODES))
def test_pool2d_matches_keras_pooling(g, mode):
    size = min(g["kernel"] + 1, 3)
    assume(size <= min(g["height"], g["width"]))
    x = np.random.default_rng(g["seed"]).normal(size=(g["height"], g["width"], g["channels"])).astype("float32")
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = np.asarray(layer_class(pool_size=size, strides=g["stride"], padding="valid")(x[None]))[0]

    ours = ops.pool2d(x, size=size, stride=g["stride"], mode=mode)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), kernel=st.integers(1, 5), stride=st.integers(1, 4))
def test_output_size_matches_keras_output_shape(n, kernel, stride):
    assume(kernel <= n)
    layer = keras.layers.Conv2D(1, kernel, strides=stride, padding="valid")
    assert layer.compute_output_shape((1, n, n, 1))[1] == ops.output_size(n, kernel, stride, 0)
