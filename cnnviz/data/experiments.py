"""What the shipped training experiments share: their budget (data and training per model) and their results file."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_SHIFT_LIMIT = 14  # pixels: half of a 28-pixel digit


@dataclass(frozen=True)
class TrainingBudget:
    """How much data and training each model gets; an experiment's config gives the defaults of its shipped run."""

    train_size: int  # first digits of the training set
    test_size: int  # first digits of the test set
    epochs: int
    batch_size: int = 128

    def __post_init__(self):
        for name, low in (("train_size", 100), ("test_size", 10), ("epochs", 1), ("batch_size", 1)):
            check_whole_number(name, getattr(self, name), low)


def check_whole_number(name, value, low):
    """A ValueError naming `name` unless `value` is a whole number of at least `low`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}.")


def check_max_shift(max_shift):
    """A ValueError unless `max_shift` is a whole number of pixels from 0 to 14."""
    if isinstance(max_shift, bool) or not isinstance(max_shift, int) or not 0 <= max_shift <= MAX_SHIFT_LIMIT:
        raise ValueError(f"max_shift must be a whole number of pixels from 0 to {MAX_SHIFT_LIMIT}, got {max_shift!r}.")


class SavedResults:
    """The JSON file of a results dataclass: `to_json`, and `from_json` through the class's own `parts(raw)`.

    Every results file holds its config and scores (what `parts` reads) beside where the data came from
    (`data_source`), how long the run took (`run_seconds`) and the library versions (`versions`).
    """

    def to_json(self):
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text):
        raw = json.loads(text)
        facts = {
            "data_source": raw["data_source"],
            "run_seconds": raw["run_seconds"],
            "versions": raw.get("versions", {}),
        }
        return cls(**cls.parts(raw), **facts)

    @classmethod
    def parts(cls, raw):
        """The config and the scores of the parsed file `raw`, as keyword arguments of the class."""
        raise NotImplementedError


def read_results(path, from_json, script):
    """`from_json` of the file at `path`; if it is missing, a ValueError naming it and the script that makes it."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"No results at {path.name}; make them with `python -m scripts.{script}`.")
    return from_json(path.read_text())
