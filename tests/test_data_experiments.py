"""The training budget both shipped experiments share (cnnviz.data.experiments)."""

import pytest

from cnnviz.data import ann_vs_cnn
from cnnviz.data import augmentation_experiment as augmentation
from cnnviz.data.ann_vs_cnn import ExperimentConfig
from cnnviz.data.augmentation_experiment import AugmentationExperimentConfig
from cnnviz.data.experiments import TrainingBudget, check_max_shift


@pytest.mark.parametrize(
    ("field", "value"), [("train_size", 99), ("test_size", 2.5), ("epochs", 0), ("batch_size", True)]
)
def test_a_budget_that_is_not_whole_numbers_large_enough_is_refused_by_name(field, value):
    settings = {"train_size": 1_000, "test_size": 100, "epochs": 1} | {field: value}
    with pytest.raises(ValueError, match=f"{field} must be a whole number"):
        TrainingBudget(**settings)


@pytest.mark.parametrize("max_shift", [-1, 15, 2.0])
def test_a_shift_outside_zero_to_fourteen_pixels_is_refused(max_shift):
    with pytest.raises(ValueError, match="max_shift .* from 0 to 14"):
        check_max_shift(max_shift)


@pytest.mark.parametrize("config", [ExperimentConfig, AugmentationExperimentConfig])
def test_both_experiments_check_their_budget_the_same_way(config):
    assert issubclass(config, TrainingBudget) and config().batch_size == 128
    with pytest.raises(ValueError, match="train_size must be a whole number of at least 100"):
        config(train_size=50)


@pytest.mark.parametrize(
    ("experiment", "script"), [(ann_vs_cnn, "ann_vs_cnn"), (augmentation, "augmentation_experiment")]
)
def test_a_missing_results_file_is_named_without_its_folder_with_the_script_that_makes_it(tmp_path, experiment, script):
    with pytest.raises(ValueError, match=rf"No results at gone\.json; .*python -m scripts\.{script}") as refused:
        experiment.load_results(tmp_path / "gone.json")
    assert str(tmp_path) not in str(refused.value)
