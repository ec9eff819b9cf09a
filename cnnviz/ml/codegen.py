"""The plain Keras script that reproduces a training run end to end, ready for a notebook."""

import inspect

from cnnviz.ml.training import build_model

ALWAYS_SHOWN = {"kernel_size", "pool_size"}  # worth reading even when default
SKIPPED_ARGUMENTS = {"name", "dtype", "trainable", "data_format", "seed", "kwargs"}
OPTIMIZER_CODE = {
    "adam": "keras.optimizers.Adam(learning_rate={lr})",
    "sgd": "keras.optimizers.SGD(learning_rate={lr}, momentum=0.9)",
    "rmsprop": "keras.optimizers.RMSprop(learning_rate={lr})",
}


def layer_code(layer):
    """`layers.Conv2D(32, kernel_size=3, activation="relu")`: the call that makes `layer`, defaults left out."""
    config = layer.get_config()
    arguments = []
    parameters = list(inspect.signature(type(layer).__init__).parameters.values())[1:]
    for parameter in parameters:
        if parameter.name in SKIPPED_ARGUMENTS or parameter.name not in config:
            continue
        value = _simplify(config[parameter.name])
        if isinstance(value, dict):  # initializers and the like: this app never changes them
            continue
        required = parameter.default is inspect.Parameter.empty or parameter.name in ALWAYS_SHOWN
        default = "linear" if parameter.name == "activation" and parameter.default is None else parameter.default
        if not required and (value == _simplify(default) or _is_default_stride(parameter.name, config)):
            continue
        arguments.append(_python(value) if not arguments and required else f"{parameter.name}={_python(value)}")
    return f"layers.{type(layer).__name__}({', '.join(arguments)})"


def _python(value):
    """Source text for a value, with double-quoted strings as the rest of the script."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _simplify(value):
    """(3, 3) → 3 and (-0.05, 0.05) → 0.05, as a person would write them."""
    if isinstance(value, list | tuple) and len(value) == 2:
        if value[0] == value[1]:
            return value[0]
        if isinstance(value[0], float) and value[0] == -value[1]:  # a symmetric range of random factors
            return value[1]
    return tuple(value) if isinstance(value, list) else value


def _is_default_stride(name, config):
    """Pooling strides default to the pool size; writing them out would only add noise."""
    return (
        name == "strides" and "pool_size" in config and _simplify(config["strides"]) == _simplify(config["pool_size"])
    )


def keras_code(settings, epochs=None, *, sample=False):
    """Python source that loads MNIST, reshapes, normalises, builds, compiles, fits and evaluates
    the model `settings` describes (`epochs` overrides settings.epochs, e.g. after Continue).

    sample: the run trained on the sample bundled with cnnviz; the code loads the same digits.
    """
    model = build_model(settings)
    shape = tuple(model.inputs[0].shape[1:])
    layer_lines = "\n".join(f"        {layer_code(layer)}," for layer in model.layers)
    optimizer = OPTIMIZER_CODE[settings.optimizer].format(lr=repr(settings.learning_rate))
    epochs = settings.epochs if epochs is None else epochs
    imports, training = "", _fit_code(settings, epochs)
    if settings.augmentation:
        imports = "\nfrom cnnviz.data.augment import Augmentation\nfrom cnnviz.ml.batches import TrainingBatches"
    return f'''"""Train a CNN on MNIST: {settings.label(epochs=epochs)}."""

import keras
from keras import layers{imports}

# Prepare the data: 28×28 grey digits, pixels 0–255, labels 0–9.
{_load_code(sample)}
x_train = x_train[:{settings.train_size}].reshape(-1, 28, 28, 1).astype("float32") / 255
y_train = y_train[:{settings.train_size}]
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255

# Build the model.
model = keras.Sequential(
    [
        keras.Input(shape={shape!r}),
{layer_lines}
    ]
)
model.summary()

# Train.
model.compile(
    optimizer={optimizer},
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
{training}

# Evaluate on the test digits.
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {{test_accuracy:.4f}}, test loss: {{test_loss:.4f}}")
'''


def _load_code(sample):
    """The line that loads the digits the run trained on."""
    if not sample:
        return "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()"
    return (
        "# The same digits the app trained on: the sample bundled with cnnviz (10,000 training, 2,000 test).\n"
        "# For all 60,000 training digits use keras.datasets.mnist.load_data() instead (it downloads them).\n"
        "from cnnviz.data.mnist import load_sample\n\n"
        "(x_train, y_train), (x_test, y_test) = load_sample()"
    )


def _fit_code(settings, epochs):
    """The model.fit call: on the arrays, or on augmented batches (cnnviz's augmentation, as the app trains)."""
    if not settings.augmentation:
        validation = f"\n    validation_split={settings.validation_split!r}," if settings.validation_split else ""
        return f"""history = model.fit(
    x_train,
    y_train,
    batch_size={settings.batch_size},
    epochs={epochs},{validation}
)"""
    validation = "\n    validation_data=(x_train[fit_size:], y_train[fit_size:])," if settings.validation_split else ""
    return f"""# Data augmentation: every batch turned, shifted, zoomed and slanted a little, new each epoch.
fit_size = {settings.fit_size}  # the last {settings.validation_size} images are held out for validation
batches = TrainingBatches(
    x_train[:fit_size], y_train[:fit_size], batch_size={settings.batch_size}, augmentation=Augmentation()
)
history = model.fit(
    batches,
    epochs={epochs},{validation}
    shuffle=False,  # the batches shuffle themselves
)"""
