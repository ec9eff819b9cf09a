"""Digit probabilities from a Keras model, fast enough to follow a pen: no `model.predict()`."""

import numpy as np


def as_model_input(images):
    """(28, 28) or (N, 28, 28) floats in [0, 1] → (N, 28, 28, 1) float32, or a ValueError saying why not."""
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 2:
        array = array[None]  # (1, 28, 28)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or array.shape[1:] != (28, 28) or len(array) == 0:
        raise ValueError(
            f"Digits must be shaped (28, 28) or (N, 28, 28), got {np.shape(images)}; "
            "turn a drawing into one with cnnviz.preprocess.canvas_to_mnist."
        )
    if not np.all(np.isfinite(array)) or array.min() < 0.0 or array.max() > 1.0:
        raise ValueError("Digit pixels must be numbers in [0, 1]; divide uint8 images by 255.")
    return array[..., None]  # (N, 28, 28, 1)


def predict_digits(model, images):
    """Probabilities (N, 10) for digits (N, 28, 28) or one digit (28, 28), floats in [0, 1].

    Calls the model directly (`model(x, training=False)`): about 1 ms for one digit on a CPU,
    where `model.predict()` spends some 60 ms setting up a data pipeline for every call.
    """
    return np.asarray(model(as_model_input(images), training=False), dtype=np.float32)  # (N, 10)
