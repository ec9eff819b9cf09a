"""cnnviz.ml.inspector: every layer's output for one digit, and Grad-CAM / saliency maps that sit on the ink."""

import keras
import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data.mnist import load_sample, sample_digit
from cnnviz.ml.inspector import CONV, DENSE, POOL, NetworkInspector
from cnnviz.ml.models import CnnConfig, build_cnn, build_seed_cnn
from cnnviz.ml.predict import predict_digits

pytestmark = pytest.mark.tf


@pytest.fixture(scope="module")
def seed_inspector():
    """The course model trained for one epoch on the bundled sample (about 97 % on its test digits), opened up.

    The evidence maps are checked on it: one conv layer at 26×26 gives maps sharp enough to sit on the ink.
    """
    keras.utils.set_random_seed(0)
    (x_train, y_train), _ = load_sample()
    model = build_seed_cnn()
    model.fit(x_train[..., None] / 255.0, y_train, batch_size=128, epochs=1, verbose=0)
    return NetworkInspector(model)


@pytest.fixture(scope="module")
def inspector(shipped_model):
    """The shipped model (three conv blocks, 99.5 % on MNIST) opened up: a trained network, none trained here."""
    return NetworkInspector(shipped_model)


def test_digit(index):
    pixels, label = sample_digit(index)
    return (pixels / 255.0).astype(np.float32), label


test_digit.__test__ = False  # a helper, not a test


def test_activations_give_the_conv_pool_and_dense_outputs_of_the_seed_cnn():
    activations = NetworkInspector(build_seed_cnn()).activations(test_digit(0)[0])

    assert [(layer.kind, layer.values.shape) for layer in activations.layers] == [
        (CONV, (26, 26, 32)),
        (POOL, (13, 13, 32)),
        (DENSE, (100,)),
    ]


def test_activations_follow_every_block_of_a_deeper_model_after_its_batch_norm():
    config = CnnConfig(conv_blocks=2, filters=8, batch_norm=True, dense_units=16, dropout=0.2)
    inspector = NetworkInspector(build_cnn(config))

    activations = inspector.activations(test_digit(0)[0])

    assert [(layer.name, layer.values.shape) for layer in activations.layers] == [
        ("conv1", (28, 28, 8)),
        ("pool1", (14, 14, 8)),
        ("conv2", (14, 14, 16)),
        ("pool2", (7, 7, 16)),
        ("dense1", (16,)),
    ]


def test_feature_maps_equal_the_conv_layer_applied_to_the_image():
    keras.utils.set_random_seed(0)
    model = build_seed_cnn()  # untrained is enough: the maps must be conv1's output, whatever its weights
    image = test_digit(1)[0]
    expected = model.get_layer("conv1")(image[None, :, :, None]).numpy()[0]

    conv = NetworkInspector(model).activations(image).of_kind(CONV)[0]

    np.testing.assert_allclose(conv.values, expected, atol=1e-5)


def test_probabilities_match_the_models_own_output(shipped_model, inspector):
    image = test_digit(2)[0]

    activations = inspector.activations(image)

    np.testing.assert_allclose(activations.probabilities, predict_digits(shipped_model, image)[0], atol=1e-5)


def test_softmax_of_the_scores_gives_the_probabilities(inspector):
    activations = inspector.activations(test_digit(3)[0])

    softmax = np.exp(activations.scores - activations.scores.max())
    np.testing.assert_allclose(activations.probabilities, softmax / softmax.sum(), atol=1e-5)


def test_the_shipped_model_reads_test_digits(inspector):
    digits = [test_digit(index) for index in range(0, 2000, 100)]

    correct = [inspector.activations(image).predicted_digit == label for image, label in digits]

    assert np.mean(correct) >= 0.85


def test_explain_gives_one_28_by_28_map_per_digit_asked_scaled_to_0_1(inspector):
    explanations = inspector.explain(test_digit(4)[0], [3, 7])

    assert [explanation.digit for explanation in explanations] == [3, 7]
    for explanation in explanations:
        for heat in (explanation.grad_cam, explanation.layer_cam, explanation.saliency):
            assert heat.shape == (28, 28)
            assert heat.min() >= 0.0
            assert heat.max() in (0.0, pytest.approx(1.0))  # Grad-CAM is all zeros without positive evidence


def test_explain_reports_the_same_probability_as_the_forward_pass(inspector):
    image = test_digit(5)[0]
    probabilities = inspector.activations(image).probabilities

    (explanation,) = inspector.explain(image, [4])

    assert explanation.probability == pytest.approx(probabilities[4], abs=1e-5)


def evidence_on_and_off_ink(inspector, method, indices):
    """For each test digit: (mean evidence on the ink, mean far from it, whether the peak is near the ink)."""
    results = []
    for index in indices:
        image, _ = test_digit(index)
        predicted = inspector.activations(image).predicted_digit
        (explanation,) = inspector.explain(image, [predicted])
        heat = getattr(explanation, method)
        ink = image > 0.3
        near_ink = ndimage.binary_dilation(ink, iterations=2)
        results.append((heat[ink].mean(), heat[~near_ink].mean(), bool(near_ink.ravel()[np.argmax(heat)])))
    return results


evidence_on_and_off_ink.__test__ = False


@pytest.mark.slow
def test_layer_cam_for_the_predicted_digit_is_highest_on_the_ink_of_every_digit(seed_inspector):
    for on_ink, off_ink, peak_near_ink in evidence_on_and_off_ink(seed_inspector, "layer_cam", range(0, 2000, 200)):
        assert on_ink > 2 * off_ink
        assert peak_near_ink


@pytest.mark.slow
@pytest.mark.parametrize("method", ["grad_cam", "saliency"])
def test_evidence_for_the_predicted_digit_is_mostly_on_the_ink(seed_inspector, method):
    """Grad-CAM on an early layer and raw pixel gradients are noisier: most digits, not every one."""
    results = np.array(evidence_on_and_off_ink(seed_inspector, method, range(0, 2000, 200)))

    assert results[:, 0].mean() > 2 * results[:, 1].mean()
    assert results[:, 2].mean() >= 0.7


@pytest.mark.slow
def test_class_map_of_a_shifted_digit_moves_with_it(seed_inspector):
    """The 26×26 map of a valid 3×3 convolution is placed on input pixels 1…26, not stretched over 0…27."""
    image, label = test_digit(6)
    shifted = np.roll(image, 3, axis=1)  # three pixels to the right; the border is black

    (before,) = seed_inspector.explain(image, [label])
    (after,) = seed_inspector.explain(shifted, [label])

    centre_before = ndimage.center_of_mass(before.layer_cam)[1]
    centre_after = ndimage.center_of_mass(after.layer_cam)[1]
    assert centre_after - centre_before == pytest.approx(3.0, abs=0.75)


def test_inspector_rejects_a_model_without_convolutions():
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])

    with pytest.raises(ValueError, match="Conv2D"):
        NetworkInspector(model)


def test_activations_reject_an_image_of_the_wrong_shape(inspector):
    with pytest.raises(ValueError, match=r"28×28.*\(280, 280\)"):
        inspector.activations(np.zeros((280, 280), np.float32))


def test_explain_rejects_a_digit_outside_0_to_9(inspector):
    with pytest.raises(ValueError, match="0 to 9; got 10"):
        inspector.explain(test_digit(0)[0], [10])


def test_inspector_rejects_a_model_that_branches():
    image = keras.Input((28, 28, 1))
    left = keras.layers.Conv2D(4, 3, activation="relu")(image)
    right = keras.layers.Conv2D(4, 3, activation="relu")(image)
    merged = keras.layers.Flatten()(keras.layers.Concatenate()([left, right]))
    model = keras.Model(image, keras.layers.Dense(10, activation="softmax")(merged))

    with pytest.raises(ValueError, match="branches or merges"):
        NetworkInspector(model)
