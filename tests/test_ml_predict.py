"""cnnviz.ml.predict: reading digits fast, without model.predict."""

import numpy as np
import pytest

from cnnviz.ml.models import build_seed_cnn
from cnnviz.ml.predict import predict_digits

pytestmark = pytest.mark.tf


# predict_digits


def test_predict_digits_matches_the_models_own_prediction(shipped_model, sample_test_digits):
    images = sample_test_digits[0][:64]
    expected = shipped_model.predict(images[..., None], verbose=0)
    np.testing.assert_allclose(predict_digits(shipped_model, images), expected, atol=1e-5)


def test_predict_digits_accepts_a_single_digit(shipped_model, sample_test_digits):
    probabilities = predict_digits(shipped_model, sample_test_digits[0][0])
    assert probabilities.shape == (1, 10)


def test_predict_digits_follows_changes_to_the_weights():
    model = build_seed_cnn()
    digit = np.random.default_rng(0).random((28, 28), dtype=np.float32)
    before = predict_digits(model, digit)
    model.set_weights([np.zeros_like(weights) for weights in model.get_weights()])
    after = predict_digits(model, digit)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, 0.1, atol=1e-6)  # all-zero weights: every digit equally likely


@pytest.mark.parametrize(
    "images",
    [np.zeros((28, 27)), np.zeros((2, 32, 32)), np.full((28, 28), 255.0), np.full((28, 28), np.nan)],
    ids=["wrong width", "wrong size", "0-255 range", "NaN"],
)
def test_predict_digits_rejects_bad_input(images):
    with pytest.raises(ValueError, match="(?i)digit"):
        predict_digits(build_seed_cnn(), images)


# The shipped model through the reading path the Draw page and a notebook share


def readings(model, drawings):
    from cnnviz.core.reading import read_probabilities
    from cnnviz.data.drawing import canvas_to_mnist

    probabilities = predict_digits(model, np.stack([canvas_to_mnist(rgba) for rgba, _, _ in drawings]))
    return [read_probabilities(row) for row in probabilities]


@pytest.mark.slow
def test_the_shipped_model_reads_flagged_1s_and_crossed_7s(shipped_model):
    from testkit.drawn import drawn_digits

    drawings = [d for d in drawn_digits(per_shape=4, digits=(1, 7)) if d[2]["shape"] in ("flagged", "crossed")]
    read = readings(shipped_model, drawings)

    assert [r.digit for r in read] == [digit for _, digit, _ in drawings]


@pytest.mark.slow
def test_the_shipped_model_is_not_sure_of_scribbles_dashes_and_dots(shipped_model):
    from testkit.drawn import drawn_non_digits

    read = readings(shipped_model, drawn_non_digits(per_kind=4, kinds=("scribble", "dash", "dot")))

    assert all(r.verdict != "digit" for r in read)
