"""cnnviz.ml.interventions: filters switched off and a kernel typed in, per visitor, the model untouched."""

import keras
import numpy as np
import pytest

from cnnviz.data.mnist import sample_digit
from cnnviz.ml.inspector import NetworkInspector
from cnnviz.ml.interventions import Edits, Intervener
from cnnviz.ml.models import build_seed_cnn

pytestmark = [pytest.mark.tf, pytest.mark.slow]


@pytest.fixture(scope="module")
def shipped(shipped_model):
    return Intervener(NetworkInspector(shipped_model))


@pytest.fixture(scope="module")
def course():
    keras.utils.set_random_seed(3)
    return Intervener(NetworkInspector(build_seed_cnn()))


def digit_image(index):
    return (sample_digit(index)[0] / 255.0).astype(np.float32)


def last_conv_maps(intervener, edits, image):
    return intervener.run(image, [0], edits)[0].numpy()[0]  # (h, w, C)


@pytest.mark.parametrize("which", ["shipped", "course"])
def test_switching_a_filter_off_changes_its_layers_output_only_in_that_channel(shipped, course, which):
    intervener = {"shipped": shipped, "course": course}[which]
    layer = intervener.names[-1]  # the last conv layer: the maps the pass hands back
    image = digit_image(1)
    before = last_conv_maps(intervener, Edits(), image)
    filter_number = int(np.argmax(before.max(axis=(0, 1))))  # the channel that responds most

    after = last_conv_maps(intervener, Edits(off={layer: frozenset({filter_number})}), image)

    changed = np.flatnonzero(np.abs(after - before).max(axis=(0, 1)) > 0)
    assert changed.tolist() == [filter_number]
    assert not after[:, :, filter_number].any()


def test_an_edited_first_layer_kernel_changes_only_its_channel_as_the_convolution_says(course):
    image = digit_image(2)
    kernel = np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
    before = last_conv_maps(course, Edits(), image)

    after = last_conv_maps(course, Edits(kernel_filter=4, kernel=kernel), image)

    windows = np.lib.stride_tricks.sliding_window_view(image, (3, 3))  # (26, 26, 3, 3)
    expected = np.maximum((windows * kernel).sum(axis=(2, 3)) + course.biases[0][4], 0)
    np.testing.assert_allclose(after[:, :, 4], expected, atol=1e-5)
    np.testing.assert_array_equal(np.delete(after, 4, axis=2), np.delete(before, 4, axis=2))


def test_no_edits_read_as_the_model_does_and_edits_never_touch_the_shared_model(shipped_model, shipped):
    image = digit_image(3)
    kept = [np.asarray(weight).copy() for weight in shipped_model.weights]
    plain = shipped.inspector.explain(image, [7])[0]

    probabilities, (same,) = shipped.read(image, [7], Edits())
    shipped.read(image, [7], Edits(off={"conv1": frozenset(range(16))}, kernel_filter=0, kernel=np.ones((3, 3))))

    np.testing.assert_allclose(probabilities, shipped_model(image[None, :, :, None]).numpy()[0], atol=1e-5)
    assert same.probability == pytest.approx(plain.probability, abs=1e-5)
    np.testing.assert_allclose(same.grad_cam, plain.grad_cam, atol=1e-5)
    for weight, copy in zip(shipped_model.weights, kept, strict=True):
        np.testing.assert_array_equal(np.asarray(weight), copy)


def test_a_filter_that_does_not_exist_gets_a_sentence(course):
    with pytest.raises(ValueError, match="conv1 has filters 0 to 31; got filter 40"):
        course.weights(Edits(off={"conv1": frozenset({40})}))
