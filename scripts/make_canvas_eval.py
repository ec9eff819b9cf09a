"""Measure the shipped model the way the app uses it, once, and write its model card.

Usage:
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.make_canvas_eval [--pilots PILOTS.json]

Run once, on the model the recipe chosen on validation data produced (scripts/validate_model.py);
nothing measured here is used to choose anything. Every set is generated here deterministically:
- MNIST test: the 10,000 test digits as they are: accuracy, and expected calibration error.
- Drawn digits (testkit.drawn): digits drawn as pen strokes in shapes, slants, pens and places
  that training never generates, rendered as the canvas renders them, put through canvas_to_mnist.
- Drawn non-digits (testkit.drawn): scribbles, dashes, crosses, plus signs, dots and first strokes.
- Shifted MNIST test and canvas-style (font) drawings, as before.
- Speed: one 280×280 drawing → probabilities, p50 and p95.
Validation figures (the ones the recipe was chosen on) come from scripts/validate_model.py.

Reads the training facts scripts/train_pretrained.py wrote beside the model
(`<model stem>.training.json`) and writes models/model_card.json and models/MODEL_CARD.md (for
another model than the shipped one, `<model stem>.card.json` and `.card.md` beside it).
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

from benchmarks.predict_latency import timings_ms
from cnnviz.core.measures import calibration, proportion
from cnnviz.core.reading import read_probabilities
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.mnist import load_mnist
from cnnviz.ml.models import PRETRAINED_PATH, load_pretrained
from cnnviz.ml.predict import predict_digits
from scripts.model_card import CARD_JSON, CARD_MARKDOWN, markdown
from scripts.validate_model import measure as measure_validation
from scripts.validate_model import validation_sets
from testkit.drawn import EVALUATION_SEED, drawn_digits, drawn_non_digits
from testkit.synthetic import canvas_style_drawings, render_digit

SEED = 7
CANVAS_PER_DIGIT = 100  # 1,000 drawings
DRAWN_PER_SHAPE = 60
NON_DIGITS_PER_KIND = 60
SHIFT_PIXELS = (2, 3, 4)
DIRECTIONS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]


def probabilities_in_batches(model, images, batch_size=500):
    return np.concatenate([predict_digits(model, images[i : i + batch_size]) for i in range(0, len(images), batch_size)])


def shifted_digits(images, pixels, seed=SEED):
    """Each image moved `pixels` in a seeded random one of 8 directions (diagonals by `pixels` on each axis)."""
    rng = np.random.default_rng(seed + pixels)
    moves = np.array(DIRECTIONS)[rng.integers(0, len(DIRECTIONS), len(images))] * pixels  # (N, 2)
    return np.stack([ndimage.shift(image, move, order=0, cval=0.0) for image, move in zip(images, moves, strict=True)])


def by_group(correct, groups):
    """{group: proportion} of `correct` within each value of `groups`, in sorted order."""
    groups = np.asarray(groups)
    return {str(group): proportion(correct[groups == group]) for group in sorted(set(groups.tolist()))}


def verdicts(probabilities):
    return np.array([read_probabilities(row).verdict for row in probabilities])


def measure_drawn(model):
    """Accuracy on the drawn digits overall, per digit and per style; confidence on the non-digits."""
    digits = drawn_digits(per_shape=DRAWN_PER_SHAPE)
    images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in digits])
    labels = np.array([digit for _, digit, _ in digits])
    styles = [style for _, _, style in digits]
    probabilities = probabilities_in_batches(model, images)
    correct = probabilities.argmax(axis=1) == labels
    shapes = [f"{digit}: {style['shape']}" for digit, style in zip(labels, styles, strict=True)]
    readings = verdicts(probabilities)
    drawn = {
        "accuracy": proportion(correct),
        "by_digit": by_group(correct, labels),
        "by_shape": by_group(correct, shapes),
        **{f"by_{key}": by_group(correct, [style[key] for style in styles]) for key in ("slant", "pen", "place")},
        "read_as_digit": proportion(readings == "digit"),
        "read_as_not_a_digit": proportion(readings == "not a digit"),
    }
    marks = drawn_non_digits(per_kind=NON_DIGITS_PER_KIND)
    mark_probabilities = probabilities_in_batches(model, np.stack([canvas_to_mnist(rgba) for rgba, _, _ in marks]))
    confidence = mark_probabilities.max(axis=1)
    kinds = np.array([kind for _, kind, _ in marks])
    mark_readings = verdicts(mark_probabilities)
    non_digits = {
        "confident_90": proportion(confidence >= 0.9),
        "confident_60": proportion(confidence >= 0.6),
        "read_as_not_a_digit": proportion(mark_readings == "not a digit"),
        "confident_90_by_kind": by_group(confidence >= 0.9, kinds),
        "read_as_not_a_digit_by_kind": by_group(mark_readings == "not a digit", kinds),
        "kinds": list(dict.fromkeys(kinds.tolist())),
    }
    return drawn, non_digits


def measure_speed(model, repeats=200):
    """p50 and p95 milliseconds of one 280×280 drawing → canvas_to_mnist → probabilities."""
    canvas = render_digit(3, offset=(25, -30), angle=8, stroke=20)  # (280, 280, 4)
    times = timings_ms(lambda: predict_digits(model, canvas_to_mnist(canvas)), repeats)
    p50, p95 = np.percentile(times, [50, 95])
    return {"p50_ms": round(float(p50), 2), "p95_ms": round(float(p95), 2), "repeats": repeats}


def measure(model, x_test, y_test):
    test_images = x_test.astype("float32") / 255.0
    probabilities = probabilities_in_batches(model, test_images)
    canvas = canvas_style_drawings(per_digit=CANVAS_PER_DIGIT, seed=SEED)
    canvas_images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in canvas])
    canvas_labels = np.array([digit for _, digit, _ in canvas])
    drawn, non_digits = measure_drawn(model)
    return {
        "mnist_test": {
            "accuracy": proportion(probabilities.argmax(axis=1) == y_test),
            "calibration_error": calibration(probabilities, y_test),
            "read_as_digit": proportion(verdicts(probabilities) == "digit"),
        },
        "shifted_mnist_test": {
            f"{pixels}px": proportion(
                probabilities_in_batches(model, shifted_digits(test_images, pixels)).argmax(axis=1) == y_test
            )
            for pixels in SHIFT_PIXELS
        },
        "canvas_style": proportion(probabilities_in_batches(model, canvas_images).argmax(axis=1) == canvas_labels),
        "drawn_digits": drawn,
        "drawn_non_digits": non_digits,
        "speed": measure_speed(model),
    }


def training_facts(model_path):
    path = Path(model_path).with_suffix(".training.json")
    if not path.is_file() and Path(model_path) == PRETRAINED_PATH and CARD_JSON.is_file():
        return json.loads(CARD_JSON.read_text())["training"]
    if not path.is_file():
        sys.exit(f"No training facts at {path}; train with scripts/train_pretrained.py first.")
    facts = json.loads(path.read_text())
    facts["data"] = facts["data"].split(" (")[0]  # no machine-specific path in the card
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=PRETRAINED_PATH)
    parser.add_argument("--pilots", type=Path, help="JSON of the pilot runs the recipe was chosen from")
    args = parser.parse_args()

    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz.")
    _, (x_test, y_test) = data
    model = load_pretrained(args.model)
    card = {
        "training": training_facts(args.model),
        "validation": measure_validation(model, validation_sets()),
        "evaluation": measure(model, x_test, y_test),
        "sets": {
            "canvas_style": {"drawings": CANVAS_PER_DIGIT * 10, "seed": SEED},
            "drawn_digits": {"per_shape": DRAWN_PER_SHAPE, "seed": EVALUATION_SEED},
            "drawn_non_digits": {"per_kind": NON_DIGITS_PER_KIND, "seed": EVALUATION_SEED + 1},
        },
    }
    if args.pilots:
        card["pilots"] = json.loads(args.pilots.read_text())
    print(json.dumps(card["evaluation"], indent=1))
    card_json, card_markdown = CARD_JSON, CARD_MARKDOWN
    if args.model != PRETRAINED_PATH:  # another model's card goes beside it
        card_json, card_markdown = args.model.with_suffix(".card.json"), args.model.with_suffix(".card.md")
    card_json.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    card_markdown.write_text(markdown(card))
    print(f"wrote {card_json} and {card_markdown}")


if __name__ == "__main__":
    main()
