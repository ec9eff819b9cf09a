"""cnnviz.ml.models: the seed CNN, configurable CNNs, the shipped model and safe loading."""

import dataclasses
import io
import json
import shutil
import zipfile

import h5py
import keras
import numpy as np
import pytest

from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.mnist import load_mnist, load_sample
from cnnviz.ml.models import (
    PRETRAINED_PATH,
    CnnConfig,
    ModelLoadError,
    build_cnn,
    build_seed_cnn,
    load_pretrained,
)
from cnnviz.ml.predict import predict_digits
from testkit.synthetic import canvas_style_drawings

pytestmark = pytest.mark.tf

# The seed model


def test_seed_cnn_has_the_course_layers_and_parameter_count():
    model = build_seed_cnn()
    assert [layer.name for layer in model.layers] == ["conv1", "pool1", "flatten", "dense1", "output"]
    # conv 3·3·32 + 32, dense 13·13·32·100 + 100, output 100·10 + 10
    assert model.count_params() == 320 + 540_900 + 1_010


def test_seed_cnn_maps_a_digit_batch_to_ten_probabilities():
    model = build_seed_cnn()
    assert model.input_shape == (None, 28, 28, 1)
    probabilities = predict_digits(model, np.zeros((3, 28, 28), dtype=np.float32))
    assert probabilities.shape == (3, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_seed_cnn_is_compiled_for_integer_labels():
    model = build_seed_cnn()
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert model.loss == "sparse_categorical_crossentropy"


# The configurable family


@pytest.mark.parametrize(
    "config",
    [
        CnnConfig(),
        CnnConfig(conv_blocks=1, filters=8, padding="valid", dense_units=32),
        CnnConfig(conv_blocks=3, convs_per_block=2, batch_norm=True, dropout=0.3),
        CnnConfig(pooling="average", kernel_size=5, optimizer="sgd"),
        CnnConfig(conv_blocks=4, optimizer="rmsprop", learning_rate=0.01),
    ],
    ids=["default", "one small block", "deep with batch norm", "average pooling", "four blocks"],
)
def test_build_cnn_follows_its_config(config):
    model = build_cnn(config)
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    expected_filters = [f for f in config.block_filters() for _ in range(config.convs_per_block)]
    assert [conv.filters for conv in convs] == expected_filters
    last_pool = [layer for layer in model.layers if layer.name == f"pool{config.conv_blocks}"][0]
    side = config.feature_map_sizes()[-1]
    assert last_pool.output.shape[1:3] == (side, side)
    assert model.output_shape == (None, 10)
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers) == config.batch_norm
    assert any(isinstance(layer, keras.layers.Dropout) for layer in model.layers) == (config.dropout > 0)


def test_average_pooling_config_uses_average_pooling_layers():
    model = build_cnn(CnnConfig(pooling="average"))
    assert isinstance(model.get_layer("pool1"), keras.layers.AveragePooling2D)


def test_layers_are_named_for_the_activation_views():
    model = build_cnn(CnnConfig(conv_blocks=2, batch_norm=True, dropout=0.2))
    names = [layer.name for layer in model.layers]
    assert names == ["conv1", "bn1", "pool1", "conv2", "bn2", "pool2", "flatten", "dense1", "dropout", "output"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"conv_blocks": 0}, "conv_blocks"),
        ({"filters": 2.5}, "filters"),
        ({"padding": "full"}, "padding"),
        ({"pooling": "min"}, "pooling"),
        ({"optimizer": "adagrad"}, "optimizer"),
        ({"dropout": 1.0}, "dropout"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"batch_norm": "yes"}, "batch_norm"),
        ({"conv_blocks": 4, "kernel_size": 5, "padding": "valid"}, "shrink"),
    ],
)
def test_invalid_config_raises_value_error_naming_the_field(change, message):
    with pytest.raises(ValueError, match=message):
        CnnConfig(**change)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CnnConfig().filters = 64


def test_build_cnn_refuses_what_is_not_a_config():
    with pytest.raises(ValueError, match="CnnConfig"):
        build_cnn({"conv_blocks": 2})


@pytest.mark.slow
def test_seed_cnn_learns_from_the_bundled_sample(sample_test_digits):
    (x_train, y_train), _ = load_sample()
    keras.utils.set_random_seed(0)
    model = build_seed_cnn()
    model.fit(x_train[..., None] / 255.0, y_train, epochs=1, batch_size=128, verbose=0)
    images, labels = sample_test_digits
    assert np.mean(predict_digits(model, images).argmax(axis=1) == labels) > 0.9


# The shipped model


def test_shipped_model_file_is_small():
    assert PRETRAINED_PATH.stat().st_size <= 2_000_000


def test_shipped_model_loads_safely_and_scores_99_percent_on_the_sample(shipped_model, sample_test_digits):
    images, labels = sample_test_digits
    accuracy = np.mean(predict_digits(shipped_model, images).argmax(axis=1) == labels)
    assert accuracy >= 0.99


@pytest.mark.full_mnist
def test_shipped_model_scores_what_its_card_says_on_the_full_mnist_test_set(shipped_model):
    _, (x_test, y_test) = load_mnist()
    accuracy = np.mean(predict_digits(shipped_model, x_test.astype(np.float32) / 255.0).argmax(axis=1) == y_test)
    assert accuracy >= 0.995, f"{accuracy:.2%} on the 10,000 test digits; the model card says 99.55%"


def test_shipped_model_reads_canvas_style_drawings(shipped_model):
    drawings = canvas_style_drawings(per_digit=10, seed=123)
    images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in drawings])
    labels = np.array([digit for _, digit, _ in drawings])
    accuracy = np.mean(predict_digits(shipped_model, images).argmax(axis=1) == labels)
    assert accuracy >= 0.95


def test_shipped_model_file_holds_no_optimizer_state():
    with zipfile.ZipFile(PRETRAINED_PATH) as archive:
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
        assert "optimizer" not in weights
        assert not json.loads(archive.read("config.json")).get("compile_config")


def test_missing_model_file_raises_model_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="No model file"):
        load_pretrained(tmp_path / "absent.keras")


def test_corrupt_model_file_raises_model_load_error(tmp_path):
    path = tmp_path / "corrupt.keras"
    path.write_bytes(b"this is not a keras archive")
    with pytest.raises(ModelLoadError, match="Could not read"):
        load_pretrained(path)


def test_truncated_model_file_raises_model_load_error(tmp_path):
    path = tmp_path / "truncated.keras"
    path.write_bytes(PRETRAINED_PATH.read_bytes()[:5000])
    with pytest.raises(ModelLoadError):
        load_pretrained(path)


def test_model_with_arbitrary_code_is_refused_by_safe_mode(tmp_path):
    path = tmp_path / "lambda.keras"
    inputs = keras.Input(shape=(28, 28, 1))
    outputs = keras.layers.Dense(10, activation="softmax")(
        keras.layers.Lambda(lambda x: x * 2)(keras.layers.Flatten()(inputs))
    )
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ModelLoadError, match="Could not read"):
        load_pretrained(path)


def test_model_load_error_is_a_value_error(tmp_path):
    path = tmp_path / "model.h5"
    shutil.copy(PRETRAINED_PATH, path)
    with pytest.raises(ValueError, match=r"\.keras"):
        load_pretrained(path)
