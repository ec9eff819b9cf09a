"""cnnviz.ml.evaluation: test scores, the confusion matrix, mistakes, first-layer maps."""

import keras
import numpy as np
import pytest

from cnnviz.ml.evaluation import (
    confusion_matrix,
    first_layer_filters,
    first_layer_maps,
    misclassified,
    score_predictions,
)
from cnnviz.ml.training import (
    TrainingSettings,
    build_model,
    load_training_data,
)

pytestmark = pytest.mark.tf

# Evaluation


def test_score_loss_matches_keras_cross_entropy():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10), size=50).astype(np.float32)
    labels = rng.integers(0, 10, size=50)
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert score_predictions(probabilities, labels).loss == pytest.approx(float(expected), rel=1e-5)


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    counts = confusion_matrix([1, 1, 2, 3], [1, 7, 2, 3])
    assert counts[1, 7] == 1 and counts[1, 1] == 1 and counts.sum() == 4


def test_misclassified_lists_the_most_confident_mistakes_first():
    probabilities = np.full((4, 10), 0.01)
    probabilities[[0, 1, 2, 3], [5, 6, 2, 4]] = [0.6, 0.9, 0.9, 0.5]
    results = score_predictions(probabilities, [0, 1, 2, 3])
    assert misclassified([0, 1, 2, 3], results).tolist() == [1, 0, 3]
    assert misclassified([0, 1, 2, 3], results, true_digit=3).tolist() == [3]


def test_first_layer_maps_match_keras_conv_output():
    model = build_model(TrainingSettings())
    image = load_training_data().x_test[0]
    conv = model.get_layer("conv1")
    expected = np.asarray(conv(image[None, :, :, None].astype("float32") / 255))[0]
    np.testing.assert_allclose(first_layer_maps(model, image), np.moveaxis(expected, -1, 0), atol=1e-6)
    assert first_layer_filters(model).shape == (32, 3, 3)
