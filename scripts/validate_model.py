"""Measure a trained model on data kept out of training, never on the test set: the figures a recipe is chosen on.

Usage:
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.validate_model MODEL.keras [MODEL.keras ...]

For each model: accuracy and calibration error on the validation digits (the last 5,000 MNIST
training digits, which scripts/train_pretrained.py holds out), accuracy on flagged copies of their
1s, accuracy per digit and per way of writing on digits traced by testkit.traced (a generator of its own,
which training never reads), and on held-out random non-digit marks (TRAINING_SEED + 1, a seed
training never uses) the share read with at least 60 % and 90 % confidence; for each candidate
"not a digit" threshold, the share of validation digits and of held-out marks below it. Prints one
JSON object per model.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from cnnviz.core.input_layer import normalise
from cnnviz.core.measures import by_group, calibration, proportion
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.mnist import load_mnist
from cnnviz.ml.models import load_pretrained
from cnnviz.ml.predict import predict_digits
from scripts.train_pretrained import VALIDATION_DIGITS
from testkit.flagged_ones import flagged_ones
from testkit.negatives import TRAINING_SEED, training_negatives
from testkit.traced import traced_images

HELD_OUT_NEGATIVES = 1_000


def validation_sets():
    """{name: (images (N, 28, 28) in [0, 1], labels or None[, groups])} of everything training never saw."""
    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz.")
    (x_train, y_train), _ = data
    x_valid, y_valid = x_train[-VALIDATION_DIGITS:], y_train[-VALIDATION_DIGITS:]
    marks = training_negatives(HELD_OUT_NEGATIVES, TRAINING_SEED + 1)
    ones = flagged_ones(x_valid[y_valid == 1], TRAINING_SEED + 1)
    return {
        "validation digits": (normalise(x_valid), y_valid),
        "flagged validation 1s": (ones, np.ones(len(ones), dtype=int)),
        "held-out non-digit marks": (np.stack([canvas_to_mnist(mark) for mark in marks]), None),
        "traced digits": traced_images(),
    }


def probabilities_in_batches(model, images, batch_size=500):
    return np.concatenate(
        [predict_digits(model, images[i : i + batch_size]) for i in range(0, len(images), batch_size)]
    )


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)  # candidates for "not a digit below"


def measure(model, sets):
    figures = {}
    confidences = {}
    for name, (images, labels, *groups) in sets.items():
        probabilities = probabilities_in_batches(model, images)  # (N, 10)
        confidence = confidences[name] = probabilities.max(axis=1)
        if labels is None:
            figures[name] = {
                "confident_90": proportion(confidence >= 0.9),
                "confident_60": proportion(confidence >= 0.6),
                "median_confidence": float(np.median(confidence)),
            }
        else:
            correct = probabilities.argmax(axis=1) == labels
            figures[name] = {"accuracy": proportion(correct)}
            if groups:  # the worst digit and the worst way of writing are what a choice looks at
                figures[name]["by_digit"] = by_group(correct, labels)
                figures[name]["by_way"] = by_group(correct, groups[0])
            if name == "validation digits":
                figures[name]["calibration_error"] = calibration(probabilities, labels, resamples=200)
                figures[name]["confident_60"] = proportion(confidence >= 0.6)
    figures["not a digit below"] = {
        f"{threshold:g}": {
            name: float(np.mean(confidences[name] < threshold))
            for name in ("validation digits", "held-out non-digit marks")
        }
        for threshold in THRESHOLDS
    }
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", type=Path, nargs="+")
    args = parser.parse_args()
    sets = validation_sets()
    for path in args.models:
        print(json.dumps({"model": str(path), **measure(load_pretrained(path), sets)}, indent=1))


if __name__ == "__main__":
    main()
