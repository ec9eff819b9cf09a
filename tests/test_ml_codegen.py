"""cnnviz.ml.codegen: the Keras script the Training page offers to copy."""

import keras
import pytest

from cnnviz.ml.codegen import keras_code, layer_code
from cnnviz.ml.models import CnnConfig
from cnnviz.ml.training import (
    TrainingSettings,
    build_model,
    load_training_data,
)

pytestmark = pytest.mark.tf

# Code generation


@pytest.mark.parametrize(
    "settings",
    [
        TrainingSettings(),
        TrainingSettings(model=CnnConfig(batch_norm=True, dropout=0.3, pooling="average"), augmentation=True),
        TrainingSettings(optimizer="sgd", learning_rate=0.01, validation_split=0.0, batch_size=32),
    ],
)
def test_generated_code_is_valid_python_with_the_settings(settings):
    code = keras_code(settings)
    compile(code, "train_mnist.py", "exec")
    assert f"batch_size={settings.batch_size}" in code and f"x_train[:{settings.train_size}]" in code


def test_layer_code_leaves_out_defaults():
    assert layer_code(keras.layers.Conv2D(16, 5, padding="same")) == 'layers.Conv2D(16, kernel_size=5, padding="same")'
    assert layer_code(keras.layers.MaxPooling2D(2)) == "layers.MaxPooling2D(2)"


@pytest.mark.slow
def test_generated_code_builds_the_same_model_and_trains(monkeypatch, capsys):
    settings = TrainingSettings(model=CnnConfig(dropout=0.2), train_size=300, epochs=1, augmentation=True)
    data = load_training_data()
    small = ((data.x_train, data.y_train), (data.x_test[:200], data.y_test[:200]))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: small)
    namespace = {}
    exec(compile(keras_code(settings), "train_mnist.py", "exec"), namespace)
    assert namespace["model"].count_params() == build_model(settings).count_params()
    assert len(namespace["history"].history["val_loss"]) == 1
    assert "Test accuracy" in capsys.readouterr().out


def test_code_for_a_run_on_the_bundled_sample_loads_the_sample_and_says_how_to_get_the_rest():
    code = keras_code(TrainingSettings(), sample=True)
    compile(code, "train_mnist.py", "exec")
    assert "load_sample()" in code and "keras.datasets.mnist.load_data()" in code.split("load_sample()")[0]
    assert "= keras.datasets.mnist.load_data()" not in keras_code(TrainingSettings(), sample=True)
    assert "= keras.datasets.mnist.load_data()" in keras_code(TrainingSettings())
