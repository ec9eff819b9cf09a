"""The shipped augmentation results: made by the script with its defaults, and what they show."""

import json
from dataclasses import asdict

import pytest

from cnnviz.data import augmentation_experiment as experiment
from cnnviz.data.augment import Augmentation


@pytest.fixture(scope="module")
def shipped():
    return experiment.load_results()


def test_shipped_results_survive_a_round_trip_through_json(shipped):
    assert experiment.AugmentationResults.from_json(shipped.to_json()) == shipped


@pytest.mark.tf
def test_shipped_results_are_what_the_script_makes_with_its_defaults(shipped):
    """`python -m scripts.augmentation_experiment` with no options, on full MNIST, made the shipped file."""
    from cnnviz.ml.training import AUGMENTATION

    assert shipped.config == experiment.AugmentationExperimentConfig()
    assert shipped.config.augmentation == AUGMENTATION  # the Training page's switch, as the page says
    assert shipped.data_source == "full MNIST"
    assert len(shipped.config.seeds) >= 3
    for condition in (experiment.PLAIN, experiment.AUGMENTED):
        runs = shipped.runs[condition]
        assert [run.seed for run in runs] == list(shipped.config.seeds)
        for run in runs:
            assert len(run.accuracy_by_shift) == len(shipped.config.shifts)
            assert len(run.accuracy_by_rotation) == len(shipped.config.rotations)
            assert run.accuracy_by_shift[0] == run.accuracy_by_rotation[0]  # both start from the digits as they are


@pytest.mark.parametrize("measure", ["shift", "rotation"])
def test_augmented_model_leads_by_more_than_the_run_to_run_noise(shipped, measure):
    lead = experiment.lead(shipped, measure)
    assert lead.augmented - lead.plain > lead.noise > 0  # the means differ by more than the seeds do
    assert lead.margin > 0 and lead.clear  # every augmented seed beats every plain one


@pytest.mark.slow
@pytest.mark.tf
def test_the_script_run_small_writes_results_shaped_like_the_shipped_ones(tmp_path, mnist_offline, shipped):
    from scripts import augmentation_experiment as script

    output = tmp_path / "small.json"
    options = "--train-size 300 --test-size 100 --epochs 1 --seeds 0 1 --rotation-step 15 --max-shift 2"
    script.main([*options.split(), "--output", str(output)])
    small = experiment.load_results(output)
    written, reference = json.loads(output.read_text()), json.loads(shipped.to_json())

    def shape(value):  # keys all the way down, lists by their element shape
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        return [shape(value[0])] if isinstance(value, list) and value else type(value).__name__

    assert shape(written["config"]) == shape(reference["config"])
    assert shape(written["runs"]) == shape(reference["runs"])
    assert set(written) == set(reference)
    assert small.config.augmentation == Augmentation() and asdict(small.config)["seeds"] == (0, 1)
    assert [len(run.accuracy_by_rotation) for run in small.runs[experiment.AUGMENTED]] == [4, 4]  # 0, 15, 30, 45
    assert all(0 <= value <= 1 for run in small.runs[experiment.PLAIN] for value in run.accuracy_by_shift)
