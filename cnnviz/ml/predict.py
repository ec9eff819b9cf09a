"""Digit probabilities from a Keras model, fast enough to follow a pen: no `model.predict()`."""

import weakref

import numpy as np

from cnnviz.core.input_layer import to_model_input


class DigitPredictor:
    """A model's forward pass compiled once into a graph, then called directly for each drawing.

    `model.predict()` builds a data pipeline on every call (about 60 ms for one digit here); an
    eager `model(x)` call dispatches layer by layer (a few ms); the compiled graph takes about 1 ms.
    """

    def __init__(self, model):
        self.model = model
        self._forward = self._compile(model)

    @staticmethod
    def _compile(model):
        import keras  # the model is a Keras model, so Keras is already loaded

        if keras.backend.backend() != "tensorflow":
            return lambda batch: model(batch, training=False)
        import tensorflow as tf

        signature = [tf.TensorSpec((None, 28, 28, 1), tf.float32)]
        return tf.function(lambda batch: model(batch, training=False), input_signature=signature)

    def __call__(self, images):
        """Probabilities (N, 10) for digits (N, 28, 28) or one digit (28, 28), floats in [0, 1]."""
        return np.asarray(self._forward(to_model_input(images)), dtype=np.float32)  # (N, 10)


_predictors = weakref.WeakKeyDictionary()  # model → its DigitPredictor, dropped with the model


def predict_digits(model, images):
    """Probabilities (N, 10) for digits (N, 28, 28) or one digit (28, 28), floats in [0, 1].

    Calls the model through a DigitPredictor compiled on first use and kept for as long as the
    model lives, never through `model.predict()`.
    """
    try:
        predictor = _predictors[model]
    except KeyError:
        predictor = _predictors[model] = DigitPredictor(model)
    return predictor(images)
