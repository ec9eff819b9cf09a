"""The invariance lab's moves: a digit shifted (never re-centred), turned and scaled, and sweeps of each move."""

from dataclasses import dataclass, replace

import numpy as np

from cnnviz.data.augment import transform

# Each move: its slider's range and step, and what the curves sweep through.
MOVES = {
    "across": {"label": "Move right (pixels; left is negative)", "low": -8, "high": 8, "step": 1, "unit": "px"},
    "down": {"label": "Move down (pixels; up is negative)", "low": -8, "high": 8, "step": 1, "unit": "px"},
    "rotation": {"label": "Turn (degrees, anticlockwise)", "low": -90, "high": 90, "step": 5, "unit": "°"},
    "scale": {"label": "Scale (1 = as drawn)", "low": 0.4, "high": 1.6, "step": 0.1, "unit": "×"},
}


@dataclass(frozen=True)
class Pose:
    """Where the lab's sliders stand: pixels right and down, degrees anticlockwise, and a scale factor."""

    across: float = 0.0
    down: float = 0.0
    rotation: float = 0.0
    scale: float = 1.0

    def __post_init__(self):
        for move, spec in MOVES.items():
            value = getattr(self, move)
            if not spec["low"] <= value <= spec["high"]:
                raise ValueError(f"{move} must be from {spec['low']} to {spec['high']}, got {value!r}.")


def pose_images(image, poses):
    """The digit (28, 28) in [0, 1] in each pose, (len(poses), 28, 28): turned and scaled about the centre, then
    moved (and not re-centred, as the Draw page's preprocessing would)."""
    return transform(
        np.repeat(np.asarray(image, dtype=np.float32)[None], len(poses), axis=0),
        rotation_degrees=[pose.rotation for pose in poses],
        shift=([pose.across for pose in poses], [pose.down for pose in poses]),
        zoom=[pose.scale for pose in poses],
    )


def sweep(pose, move):
    """The poses along one move, every step of its range, with the other moves where `pose` has them."""
    spec = MOVES[move]
    values = np.round(np.arange(spec["low"], spec["high"] + spec["step"] / 2, spec["step"]), 6).tolist()
    return values, [replace(pose, **{move: value}) for value in values]


def breaking_point(values, confidences, threshold=0.5, start=None):
    """The nearest value to `start` (default: the unmoved value) on either side where the confidence first
    falls below `threshold`: (value below start or None, value above start or None)."""
    values, confidences = np.asarray(values, dtype=float), np.asarray(confidences, dtype=float)
    start = (0.0 if values.min() < 0 < values.max() else 1.0) if start is None else start
    middle = int(np.argmin(np.abs(values - start)))
    below = next((float(values[i]) for i in range(middle, -1, -1) if confidences[i] < threshold), None)
    above = next((float(values[i]) for i in range(middle, len(values)) if confidences[i] < threshold), None)
    return below, above
