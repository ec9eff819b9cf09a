"""Shapes and parameter counts by arithmetic (cnnviz.core.architecture) against the real Keras course model."""

import pytest

from cnnviz.core import architecture


def test_course_model_shapes_are_the_ones_the_course_teaches():
    shapes = [layer.shape for layer in architecture.course_model()]
    assert shapes == [(28, 28, 1), (26, 26, 32), (13, 13, 32), (5408,), (100,), (10,)]


@pytest.mark.tf
def test_course_model_matches_keras_shapes_and_parameters_layer_by_layer():
    from cnnviz.ml.models import build_seed_cnn

    model = build_seed_cnn()
    computed = architecture.course_model()[1:]  # Keras lists no layer for the input
    assert [layer.name for layer in model.layers] == [layer.name for layer in computed]
    for keras_layer, layer in zip(model.layers, computed):
        assert tuple(keras_layer.output.shape[1:]) == layer.shape, layer.name
        assert keras_layer.count_params() == layer.params, layer.name
    assert model.count_params() == architecture.total_params(architecture.course_model()) == 542_230


@pytest.mark.parametrize(
    ("side", "kernel", "stride", "padding", "expected"),
    [(28, 3, 1, "valid", 26), (28, 3, 2, "same", 14), (7, 3, 1, "same", 7), (6, 3, 2, "valid", 2)],
)
def test_conv_output_side_follows_the_size_formula(side, kernel, stride, padding, expected):
    assert architecture.conv_output_side(side, kernel, stride, padding) == expected


def test_a_kernel_larger_than_the_image_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="does not fit"):
        architecture.conv_output_side(2, 3)


def test_first_layer_conv_parameters_do_not_grow_with_the_image():
    small, large = architecture.first_layer_params(28, 3), architecture.first_layer_params(224, 3)
    assert small[1] == large[1] == (3 * 3 * 3 + 1) * 32
    assert large[0] == (224 * 224 * 3 + 1) * 100
