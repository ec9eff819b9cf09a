"""What a trained model learned: test accuracy, confusion matrix, mistakes, first-layer filters and maps."""

import keras
import numpy as np

from cnnviz.core.input_layer import to_model_input
from cnnviz.ml.training import TestResults

NUM_CLASSES = 10
EPSILON = 1e-7  # Keras clips probabilities this far from 0 and 1 in its cross-entropy


def architecture_rows(model):
    """One row per layer, like `model.summary()`: layer name, kind, output shape, parameters."""
    return [
        {
            "layer": layer.name,
            "kind": type(layer).__name__,
            "output shape": _shape_text(layer.output.shape),
            "parameters": layer.count_params(),
        }
        for layer in model.layers
    ]


def _shape_text(shape):
    return "(" + ", ".join("batch" if side is None else str(side) for side in shape) + ")"


def predict_probabilities(model, images, batch_size=256):
    """Softmax outputs (N, 10) for uint8 digits (N, 28, 28), with Keras' compiled predict loop."""
    if len(images) == 0:
        return np.zeros((0, NUM_CLASSES), dtype=np.float32)
    return model.predict(to_model_input(images), batch_size=batch_size, verbose=0)


def score_predictions(probabilities, labels):
    """Accuracy and cross-entropy loss (as Keras computes it) from predicted probabilities."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if len(probabilities) != len(labels) or len(labels) == 0:
        raise ValueError(f"Need one probability row per label; got {len(probabilities)} rows, {len(labels)} labels.")
    predicted = probabilities.argmax(axis=1)
    chosen = np.clip(probabilities[np.arange(len(labels)), labels], EPSILON, 1 - EPSILON)
    return TestResults(
        loss=float(-np.log(chosen).mean()),
        accuracy=float((predicted == labels).mean()),
        predicted=predicted,
        confidence=probabilities.max(axis=1),
        images=len(labels),
    )


def evaluate(model, images, labels):
    """TestResults of `model` on uint8 digits and their labels."""
    return score_predictions(predict_probabilities(model, images), labels)


def confusion_matrix(labels, predicted, classes=NUM_CLASSES):
    """counts[true, predicted]: how often digit `true` was read as `predicted`."""
    labels = np.asarray(labels, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def misclassified(labels, results, limit=24, true_digit=None):
    """Indices of wrongly read test digits, the most confident mistakes first.

    true_digit: only mistakes on this digit (None: any).
    """
    labels = np.asarray(labels)
    wrong = results.predicted != labels
    if true_digit is not None:
        wrong &= labels == true_digit
    indices = np.flatnonzero(wrong)
    order = np.argsort(-results.confidence[indices], kind="stable")
    return indices[order][:limit]


def first_conv_layer(model):
    """The model's first Conv2D layer; ValueError if it has none."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            return layer
    raise ValueError(f"Model {model.name!r} has no Conv2D layer, so it has no filters to show.")


def first_layer_filters(model):
    """The first conv layer's kernels as (filters, k, k), for the single grey input channel."""
    kernel = np.asarray(first_conv_layer(model).kernel)  # (k, k, 1, filters)
    return np.moveaxis(kernel[:, :, 0, :], -1, 0)  # (filters, k, k)


def first_layer_maps(model, image):
    """The first conv layer's output (after its activation) for one uint8 digit: (filters, H, W)."""
    conv = first_conv_layer(model)
    x = to_model_input(image)  # (1, 28, 28, 1)
    for layer in model.layers:
        x = layer(x, training=False)
        if layer is conv:
            break
    return np.moveaxis(np.asarray(x)[0], -1, 0)  # (filters, H, W)
