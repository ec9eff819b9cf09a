"""The ANN vs CNN experiment as data: its settings, its results (JSON, shipped), and the digit transforms it uses.

The training side is `cnnviz.ml.ann_vs_cnn`; a page shows the shipped results without TensorFlow.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

from cnnviz.data.experiments import (
    SavedResults,
    TrainingBudget,
    check_max_shift,
    check_whole_number,
    read_results,
)

RESULTS_PATH = Path(__file__).with_name("ann_vs_cnn_results.json")
MLP, CNN, DEEP_CNN = "mlp", "cnn", "deep_cnn"
MODEL_LABELS = {
    MLP: "Dense network (MLP): 784 → 100 → 10",
    CNN: "Course CNN: conv 32 → pool → 100 → 10",
    DEEP_CNN: "Deeper CNN: (conv 32 → pool) → (conv 64 → pool) → 100 → 10",
}
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))  # (rows, columns): right, left, down, up


@dataclass(frozen=True)
class ExperimentConfig(TrainingBudget):
    """The ANN vs CNN run: its budget, shifts, models and seed; the defaults are the run shipped with the app."""

    train_size: int = 20_000
    test_size: int = 10_000
    epochs: int = 3
    max_shift: int = 6  # shifts 0, 1, ..., max_shift pixels
    hidden_units: int = 100  # of the MLP's hidden layer, as the CNN's Dense(100)
    seed: int = 0
    models: tuple = (MLP, CNN, DEEP_CNN)

    def __post_init__(self):
        unknown = [kind for kind in self.models if kind not in MODEL_LABELS]
        if unknown or not self.models:
            raise ValueError(f"models must be some of {', '.join(MODEL_LABELS)}; got {self.models!r}.")
        super().__post_init__()
        check_whole_number("seed", self.seed, 0)
        check_max_shift(self.max_shift)


@dataclass(frozen=True)
class ModelResult:
    """What one model scored."""

    label: str
    params: int
    accuracy_by_shift: list  # test accuracy for shifts 0, 1, ..., max_shift pixels
    permuted_accuracy: float  # test accuracy when trained and tested on pixel-shuffled digits
    train_seconds: float  # both trainings of this model

    @property
    def accuracy(self):
        """Test accuracy on ordinary (unshifted, unshuffled) digits."""
        return self.accuracy_by_shift[0]


@dataclass(frozen=True)
class ExperimentResults(SavedResults):
    config: ExperimentConfig
    data_source: str
    models: dict  # MLP / CNN / DEEP_CNN → ModelResult
    run_seconds: float
    versions: dict = field(default_factory=dict)

    @property
    def shifts(self):
        return list(range(self.config.max_shift + 1))

    @classmethod
    def parts(cls, raw):
        config = dict(raw["config"])
        config["models"] = tuple(config.get("models", raw["models"]))
        models = {key: ModelResult(**value) for key, value in raw["models"].items()}
        return {"config": ExperimentConfig(**config), "models": models}


def load_results(path=RESULTS_PATH):
    """The precomputed results shipped with the package (made by `python -m scripts.ann_vs_cnn`)."""
    return read_results(path, ExperimentResults.from_json, "ann_vs_cnn")


# The data


def shift_digits(images, rows, cols):
    """Move every image of (N, 28, 28) by whole pixels (positive: down / right); what leaves the frame is lost."""
    images = np.asarray(images)
    return ndimage.shift(images, (0, rows, cols), order=0, mode="constant", cval=0)


def pixel_permutation(seed=0, pixels=28 * 28):
    """One fixed shuffle of the pixel positions: `flat_image[permutation]` is the shuffled image."""
    return np.random.default_rng(seed).permutation(pixels)


def permute_pixels(images, permutation):
    """(N, 28, 28) images with their pixels moved by `permutation`, the same move for every image."""
    images = np.asarray(images)
    return images.reshape(len(images), -1)[:, permutation].reshape(images.shape)
