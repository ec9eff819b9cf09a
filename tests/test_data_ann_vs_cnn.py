"""The ANN vs CNN experiment's data changes and results file (cnnviz.ml.ann_vs_cnn), without training."""

import numpy as np
import pytest

from cnnviz.data import ann_vs_cnn
from cnnviz.data.mnist import sample_digit


def test_shift_digits_moves_every_pixel_and_drops_what_leaves_the_frame():
    image, _ = sample_digit(0)
    moved = ann_vs_cnn.shift_digits(image[None], 2, -3)[0]
    np.testing.assert_array_equal(moved[2:, :-3], image[:-2, 3:])
    assert not moved[:2].any() and not moved[:, -3:].any()


def test_permute_pixels_uses_one_shuffle_for_every_image_and_keeps_the_values():
    images = np.stack([sample_digit(index)[0] for index in range(3)])
    permutation = ann_vs_cnn.pixel_permutation(seed=0)
    shuffled = ann_vs_cnn.permute_pixels(images, permutation)
    for image, mixed in zip(images, shuffled):
        np.testing.assert_array_equal(mixed.ravel(), image.ravel()[permutation])
    np.testing.assert_array_equal(permutation, ann_vs_cnn.pixel_permutation(seed=0))  # fixed by the seed


def test_results_survive_a_round_trip_through_json():
    results = ann_vs_cnn.load_results()
    again = ann_vs_cnn.ExperimentResults.from_json(results.to_json())
    assert again == results
    assert results.shifts == list(range(results.config.max_shift + 1))


@pytest.mark.parametrize(("field", "value"), [("epochs", 0), ("max_shift", 20), ("models", ("mlp", "rnn"))])
def test_a_bad_experiment_setting_is_refused_with_a_sentence(field, value):
    with pytest.raises(ValueError, match=field):
        ann_vs_cnn.ExperimentConfig(**{field: value})


def test_shipped_results_say_cnns_tolerate_shifts_better_and_need_pixel_order():
    models = ann_vs_cnn.load_results().models
    for cnn in ("cnn", "deep_cnn"):
        assert models[cnn].accuracy_by_shift[3] > models["mlp"].accuracy_by_shift[3] + 0.1
        assert models[cnn].accuracy - models[cnn].permuted_accuracy > 0.02  # the CNNs lose from shuffling
    assert abs(models["mlp"].accuracy - models["mlp"].permuted_accuracy) < 0.01  # the MLP does not care
