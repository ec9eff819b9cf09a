"""The augmentation experiment as data: its settings, its results (JSON, shipped), and the test digits it moves.

The course CNN is trained with and without augmentation (several seeds each), then tested on digits
shifted 0…max_shift pixels and rotated 0…max_rotation degrees. The training side is
`cnnviz.ml.augmentation_experiment`; a page shows the shipped results without TensorFlow.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnviz.core.input_layer import normalise
from cnnviz.data.augment import Augmentation, transform
from cnnviz.data.experiments import SavedResults, TrainingBudget, check_max_shift, read_results

RESULTS_PATH = Path(__file__).with_name("augmentation_results.json")
PLAIN, AUGMENTED = "plain", "augmented"
CONDITION_LABELS = {PLAIN: "Without augmentation", AUGMENTED: "With augmentation"}


@dataclass(frozen=True)
class AugmentationExperimentConfig(TrainingBudget):
    """The augmentation run: its budget, seeds, shifts, turns and augmentation; the defaults are the shipped run."""

    train_size: int = 12_000
    test_size: int = 2_000
    epochs: int = 2
    seeds: tuple = (0, 1, 2)  # one training per seed and condition: their spread is the run-to-run noise
    max_shift: int = 6  # shifts 0, 1, …, max_shift pixels, left, right, up and down
    rotation_step: int = 15  # rotations 0, step, …, max_rotation degrees, both ways
    max_rotation: int = 45
    augmentation: Augmentation = Augmentation()  # what "with augmentation" applies (the Training page's switch)

    def __post_init__(self):
        super().__post_init__()
        check_max_shift(self.max_shift)
        seeds = tuple(self.seeds)
        if not seeds or not all(isinstance(seed, int) and seed >= 0 for seed in seeds) or len(set(seeds)) < len(seeds):
            raise ValueError(f"seeds must be different whole numbers of at least 0, got {self.seeds!r}.")
        object.__setattr__(self, "seeds", seeds)
        if not 1 <= self.rotation_step <= self.max_rotation <= 180:
            raise ValueError(
                f"rotations go from 0 to max_rotation (at most 180°) in steps of rotation_step (at least 1°); "
                f"got step {self.rotation_step!r} up to {self.max_rotation!r}."
            )
        if isinstance(self.augmentation, dict):
            object.__setattr__(self, "augmentation", Augmentation(**self.augmentation))

    @property
    def shifts(self):
        return list(range(self.max_shift + 1))

    @property
    def rotations(self):
        return list(range(0, self.max_rotation + 1, self.rotation_step))


@dataclass(frozen=True)
class Run:
    """One training of the course CNN and what it scored on moved test digits."""

    seed: int
    accuracy_by_shift: list  # for config.shifts, each the mean over four directions
    accuracy_by_rotation: list  # for config.rotations, each the mean over both ways
    train_seconds: float


@dataclass(frozen=True)
class AugmentationResults(SavedResults):
    config: AugmentationExperimentConfig
    data_source: str
    runs: dict  # PLAIN / AUGMENTED → [Run, one per seed]
    run_seconds: float
    versions: dict = field(default_factory=dict)

    def curve(self, condition, measure):
        """(mean, lowest, highest) over the seeds, each a list along the axis; measure is "shift" or "rotation"."""
        scores = np.array([getattr(run, f"accuracy_by_{measure}") for run in self.runs[condition]])  # (seeds, points)
        return scores.mean(axis=0).tolist(), scores.min(axis=0).tolist(), scores.max(axis=0).tolist()

    @classmethod
    def parts(cls, raw):
        config = dict(raw["config"])
        config["seeds"] = tuple(config["seeds"])
        config["augmentation"] = Augmentation(**{key: _tuple(value) for key, value in config["augmentation"].items()})
        runs = {condition: [Run(**run) for run in runs] for condition, runs in raw["runs"].items()}
        return {"config": AugmentationExperimentConfig(**config), "runs": runs}


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def load_results(path=RESULTS_PATH):
    """The precomputed results shipped with the package (made by `python -m scripts.augmentation_experiment`)."""
    return read_results(path, AugmentationResults.from_json, "augmentation_experiment")


# The test digits


def rotate_digits(images, degrees):
    """uint8 digits (N, 28, 28) turned `degrees` anticlockwise about the centre, back in uint8 (as drawn digits are)."""
    turned = transform(normalise(images), rotation_degrees=degrees)
    return np.round(turned * 255.0).astype(np.uint8)


@dataclass(frozen=True)
class Lead:
    """How far ahead the augmented model is where it leads most, next to the run-to-run noise."""

    point: int  # the shift in pixels or the rotation in degrees
    augmented: float  # mean accuracy over the seeds
    plain: float
    augmented_range: tuple  # (lowest, highest) over the seeds
    plain_range: tuple
    noise: float  # the wider spread between seeds (highest − lowest) of the two conditions at this point

    @property
    def margin(self):
        """The worst augmented seed minus the best plain one: above 0, every augmented seed beats every plain one."""
        return self.augmented_range[0] - self.plain_range[1]

    @property
    def clear(self):
        """True when the means differ by more than the run-to-run noise and no seed of one reaches the other."""
        return self.augmented - self.plain > self.noise and self.margin > 0


def lead(results, measure):
    """The point of `measure` ("shift" or "rotation") where augmentation helps most, as a Lead."""
    axis = results.config.shifts if measure == "shift" else results.config.rotations
    augmented, augmented_low, augmented_high = results.curve(AUGMENTED, measure)
    plain, plain_low, plain_high = results.curve(PLAIN, measure)
    best = int(np.argmax(np.subtract(augmented, plain)))
    spreads = (augmented_high[best] - augmented_low[best], plain_high[best] - plain_low[best])
    return Lead(
        point=axis[best],
        augmented=augmented[best],
        plain=plain[best],
        augmented_range=(augmented_low[best], augmented_high[best]),
        plain_range=(plain_low[best], plain_high[best]),
        noise=max(spreads),
    )
