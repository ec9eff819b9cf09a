"""cnnviz.ml.inspector, opened further: Grad-CAM step by step and the randomised-weights sanity check."""

import numpy as np
import pytest

from cnnviz.data.mnist import sample_digit
from cnnviz.ml.inspector import NetworkInspector, randomised_inspector, rank_similarity

pytestmark = [pytest.mark.tf, pytest.mark.slow]


@pytest.fixture(scope="module")
def shipped_inspector(shipped_model):
    return NetworkInspector(shipped_model)


def digit_image(index):
    return (sample_digit(index)[0] / 255.0).astype(np.float32)


@pytest.mark.parametrize("digit", [None, 3])
def test_step_by_step_grad_cam_equals_the_map_the_page_shows(shipped_inspector, digit):
    image = digit_image(4)
    digit = shipped_inspector.activations(image).predicted_digit if digit is None else digit

    steps = shipped_inspector.grad_cam_steps(image, digit)
    shown = shipped_inspector.explain(image, [digit])[0]

    np.testing.assert_allclose(steps.upsampled, shown.grad_cam, atol=1e-6)
    np.testing.assert_allclose(steps.alphas, steps.gradients.mean(axis=(0, 1)), rtol=1e-6)
    np.testing.assert_allclose(steps.kept, np.maximum(steps.maps @ steps.alphas, 0), atol=1e-5)
    assert steps.score == pytest.approx(shown.score, abs=1e-4)


def test_grad_cam_changes_when_the_weights_are_randomised(shipped_model, shipped_inspector):
    image = digit_image(7)
    digit = shipped_inspector.activations(image).predicted_digit

    trained = shipped_inspector.grad_cam_steps(image, digit).upsampled
    randomised = randomised_inspector(shipped_model).grad_cam_steps(image, digit).upsampled

    assert randomised_inspector(shipped_model) is randomised_inspector(shipped_model)  # built once
    assert rank_similarity(trained, trained) == pytest.approx(1.0)
    assert rank_similarity(trained, randomised) < 0.9
