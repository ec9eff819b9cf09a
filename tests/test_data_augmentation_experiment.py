"""The augmentation experiment's test digits, settings and reading of a lead, without training."""

import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data import augmentation_experiment as experiment
from cnnviz.data.mnist import sample_digit


def test_rotate_digits_turns_uint8_digits_and_keeps_their_centre():
    images = np.stack([sample_digit(index)[0] for index in range(5)])
    turned = experiment.rotate_digits(images, 30)
    assert turned.dtype == np.uint8 and turned.shape == images.shape
    np.testing.assert_array_equal(experiment.rotate_digits(images, 0), images)
    for before, after in zip(images, turned):
        np.testing.assert_allclose(ndimage.center_of_mass(after), ndimage.center_of_mass(before), atol=1.0)


def test_lead_finds_the_largest_gap_and_the_widest_seed_spread():
    config = experiment.AugmentationExperimentConfig(seeds=(0, 1), max_shift=2, rotation_step=45, max_rotation=45)

    def run(seed, shifts):
        return experiment.Run(seed, accuracy_by_shift=shifts, accuracy_by_rotation=[shifts[0], 0.5], train_seconds=1)

    results = experiment.AugmentationResults(
        config=config,
        data_source="test",
        runs={
            experiment.PLAIN: [run(0, [0.98, 0.6, 0.3]), run(1, [0.96, 0.62, 0.34])],
            experiment.AUGMENTED: [run(0, [0.97, 0.9, 0.5]), run(1, [0.97, 0.95, 0.6])],
        },
        run_seconds=1,
    )
    lead = experiment.lead(results, "shift")
    assert (lead.point, lead.augmented, lead.plain) == (1, pytest.approx(0.925), pytest.approx(0.61))
    assert lead.noise == pytest.approx(0.05) and lead.margin == pytest.approx(0.9 - 0.62) and lead.clear


@pytest.mark.parametrize(
    ("field", "value"), [("epochs", 0), ("seeds", ()), ("seeds", (1, 1)), ("max_shift", 20), ("rotation_step", 0)]
)
def test_a_bad_experiment_setting_is_refused_with_a_sentence(field, value):
    with pytest.raises(ValueError, match=field.split("_")[0]):
        experiment.AugmentationExperimentConfig(**{field: value})
