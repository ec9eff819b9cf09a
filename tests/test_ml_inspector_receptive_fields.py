"""Receptive fields (cnnviz.core.architecture, fed by NetworkInspector.geometries) checked against what
gradients say: the pixels that can influence a unit."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnviz.core.architecture import receptive_field
from cnnviz.data.mnist import sample_digit
from cnnviz.ml.inspector import CONV, POOL, NetworkInspector
from cnnviz.ml.models import build_seed_cnn

pytestmark = [pytest.mark.tf, pytest.mark.slow]


def digit_image(index):
    return (sample_digit(index)[0] / 255.0).astype(np.float32)


def influencing_pixels(model, layer_name, units, trials=32, seed=0):
    """For each (row, col, channel) unit: (the union over random inputs of the pixels with a non-zero
    gradient, whether the unit's value changed at all across those inputs).

    Half the inputs are pixels 0–1, half are spread over both signs, so that every relu of the field is
    switched on by some input: which pixels *can* matter is a question about the wiring, not about digits.
    A conv unit is read before its own relu: a unit that the trained weights never switch on (at a corner,
    say) still depends on its pixels. One gradient call serves every unit: each reads its own inputs.
    """
    layer = model.get_layer(layer_name)
    reach = keras.Model(model.inputs[0], layer.input)
    rng = np.random.default_rng(seed)
    count = len(units) * trials
    pixels = rng.random((count // 2, 28, 28, 1))
    spread = rng.normal(0.0, 3.0, (count - count // 2, 28, 28, 1))
    images = np.concatenate([pixels, spread])[rng.permutation(count)]
    images = tf.constant(images, tf.float32)
    where = tf.constant([(index, *units[index // trials]) for index in range(count)], tf.int32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        features = reach(images, training=False)
        if isinstance(layer, keras.layers.Conv2D):
            outputs = layer.convolution_op(features, layer.kernel) + layer.bias
        else:
            outputs = layer(features)
        values = tf.gather_nd(outputs, where)  # (count,) each input's own unit
        total = tf.reduce_sum(values)
    gradient = tape.gradient(total, images).numpy().reshape(len(units), trials, 28, 28)
    values = values.numpy().reshape(len(units), trials)
    return [((gradient[unit] != 0).any(axis=0), np.ptp(values[unit]) > 0) for unit in range(len(units))]


def sampled_units(side, channels, rng, count):
    corners = [(0, 0), (0, side - 1), (side - 1, 0), (side - 1, side - 1), (side // 2, side // 2)]
    others = [tuple(rng.integers(side, size=2)) for _ in range(count - len(corners))]
    return [(int(row), int(col), int(rng.integers(channels))) for row, col in corners + others]


def wiring_of(model):
    """The same layers with fresh weights, no relu and average instead of max pooling (same windows, strides).

    What is left is the wiring alone: every unit a linear function of exactly the pixels connected to it. A
    relu that never fires, or a max that routes each input's gradient to one cell of its window, can hide a
    connected pixel from every gradient of a trained network; the trained model is checked for the bound.
    """
    config = model.get_config()
    for layer in config["layers"]:
        if layer["class_name"] == "MaxPooling2D":
            layer["class_name"] = "AveragePooling2D"
        if layer["class_name"] == "Conv2D":
            layer["config"]["activation"] = "linear"
    return type(model).from_config(config)


@pytest.mark.parametrize("which", ["shipped", "shipped wiring", "course wiring"])
def test_receptive_fields_are_exactly_the_pixels_that_can_influence_a_unit(shipped_model, which):
    """No pixel outside a unit's field ever moves it; in the wiring, every pixel inside does for some input.

    The field is the wiring's: which pixels are connected to the unit. Trained weights can leave a filter
    that never fires near the border, and max pooling passes each input's gradient to one cell, so the
    trained shipped model (relus and max pooling, many random inputs) is checked for the bound: no gradient
    outside the field; and equality on its wiring and the course model's (see wiring_of).
    """
    keras.utils.set_random_seed(1)
    model = {
        "shipped": shipped_model,
        "shipped wiring": wiring_of(shipped_model),
        "course wiring": wiring_of(build_seed_cnn()),
    }[which]
    inspector = NetworkInspector(model)
    rng = np.random.default_rng(2)
    for stage in inspector.activations(digit_image(0)).layers:
        if stage.kind not in (CONV, POOL):
            continue
        side, _, channels = stage.values.shape
        units = sampled_units(side, channels, rng, 8)
        geometries = inspector.geometries_up_to(stage.name)
        found = influencing_pixels(model, stage.name, units, trials=32 if which == "shipped" else 2)
        for (row, col, _), (seen, varies) in zip(units, found, strict=True):
            field = receptive_field(geometries, row, col).mask()
            assert not (seen & ~field).any(), f"{stage.name} ({row}, {col}): a pixel outside the field has a gradient"
            if which != "shipped":
                assert varies and (seen == field).all(), (
                    f"{stage.name} ({row}, {col}): a pixel of the field never had a gradient"
                )
