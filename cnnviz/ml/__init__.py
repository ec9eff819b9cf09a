"""Keras and TensorFlow: models, training and its jobs, evaluation, fast reading and opening a trained network."""
