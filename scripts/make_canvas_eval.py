"""Measure the shipped model the way the app uses it, once, and write its model card.

Usage:
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.make_canvas_eval [--pilots PILOTS.json]

Run once, on the model the recipe chosen on validation data produced (scripts/validate_model.py);
nothing measured here is used to choose anything. Every set is generated here deterministically:
- MNIST test: the 10,000 test digits as they are: accuracy, and expected calibration error.
- Drawn digits (testkit.drawn): digits drawn as pen strokes in shapes, slants, pens and places
  that training never generates, rendered as the canvas renders them, put through canvas_to_mnist.
- Drawn non-digits (testkit.drawn): scribbles, dashes, crosses, plus signs, dots and first strokes.
- Canvas-style drawings rendered from fonts (testkit.synthetic), as before.
- Speed: one 280×280 drawing → probabilities, p50 and p95.
Validation figures (the ones the recipe was chosen on) come from scripts/validate_model.py.

Reads the training facts scripts/train_pretrained.py wrote beside the model
(`<model stem>.training.json`) and writes models/model_card.json and models/MODEL_CARD.md (for
another model than the shipped one, `<model stem>.card.json` and `.card.md` beside it).
"""

import argparse
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from cnnviz.core.input_layer import normalise
from cnnviz.core.measures import by_group, calibration, proportion
from cnnviz.core.reading import read_probabilities
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.mnist import load_mnist
from scripts.model_card import CARD_JSON, CARD_MARKDOWN, MODELS_DIR, markdown
from testkit.drawn import DIGIT_SHAPES, EVALUATION_SEED, NON_DIGIT_SHAPES, drawn_digits, drawn_non_digits
from testkit.flagged_ones import flagged_ones
from testkit.negatives import TRAINING_SEED, training_negatives
from testkit.synthetic import canvas_style_drawings, render_digit
from testkit.traced import PER_WAY, VALIDATION_SEED, traced_images

PRETRAINED_PATH = MODELS_DIR / "cnnviz_mnist.keras"  # cnnviz.ml.models.PRETRAINED_PATH; Keras loads later
WORKERS = 6  # processes drawing the sets, before TensorFlow is loaded

SEED = 7
CANVAS_PER_DIGIT = 100  # 1,000 drawings
HELD_OUT_NEGATIVES = 1_000  # as scripts/validate_model.py
VALIDATION_DIGITS = 5_000  # as scripts/train_pretrained.py (which loads TensorFlow: not before the workers fork)
DRAWN_PER_SHAPE = 60
NON_DIGITS_PER_KIND = 60


def _as_images(drawings):
    """(images (N, 28, 28) after canvas_to_mnist, labels, styles) of generated drawings."""
    images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in drawings]).astype(np.float32)
    return images, [label for _, label, _ in drawings], [style for _, _, style in drawings]


def _drawn_digits_of(digit):
    return _as_images(drawn_digits(per_shape=DRAWN_PER_SHAPE, digits=(digit,)))


def _drawn_non_digits_of(kind):
    return _as_images(drawn_non_digits(per_kind=NON_DIGITS_PER_KIND, kinds=(kind,)))


def _canvas_style():
    return _as_images(canvas_style_drawings(per_digit=CANVAS_PER_DIGIT, seed=SEED))


def _held_out_marks():
    marks = training_negatives(HELD_OUT_NEGATIVES, TRAINING_SEED + 1)
    return np.stack([canvas_to_mnist(mark) for mark in marks]), None, None


def _flagged_validation_ones(ones):
    return flagged_ones(ones, TRAINING_SEED + 1), None, None


def _joined(parts):
    images, labels, styles = zip(*parts, strict=True)
    return np.concatenate(images), sum(labels, []), sum(styles, [])


def generate_sets(x_valid, y_valid):
    """Every drawn set, made by WORKERS processes at once (NumPy and Pillow only: no TensorFlow yet)."""
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
        digits = [pool.submit(_drawn_digits_of, digit) for digit in DIGIT_SHAPES]
        marks = [pool.submit(_drawn_non_digits_of, kind) for kind in NON_DIGIT_SHAPES]
        canvas = pool.submit(_canvas_style)
        held_out = pool.submit(_held_out_marks)
        ones = pool.submit(_flagged_validation_ones, x_valid[y_valid == 1])
        traced = pool.submit(traced_images)
        return {
            "drawn_digits": _joined([future.result() for future in digits]),
            "drawn_non_digits": _joined([future.result() for future in marks]),
            "canvas_style": canvas.result(),
            "validation": {
                "validation digits": (normalise(x_valid), y_valid),
                "flagged validation 1s": (ones.result()[0], np.ones(int((y_valid == 1).sum()), dtype=int)),
                "held-out non-digit marks": (held_out.result()[0], None),
                "traced digits": traced.result(),
            },
        }


def probabilities_in_batches(model, images, batch_size=500):
    from cnnviz.ml.predict import predict_digits

    return np.concatenate(
        [predict_digits(model, images[i : i + batch_size]) for i in range(0, len(images), batch_size)]
    )


def verdicts(probabilities):
    return np.array([read_probabilities(row).verdict for row in probabilities])


def measure_drawn(model, sets):
    """Accuracy on the drawn digits overall, per digit and per style; confidence on the non-digits."""
    images, labels, styles = sets["drawn_digits"]
    labels = np.array(labels)
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
    mark_images, kinds, _ = sets["drawn_non_digits"]
    mark_probabilities = probabilities_in_batches(model, mark_images)
    confidence = mark_probabilities.max(axis=1)
    kinds = np.array(kinds)
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
    """One 280×280 drawing → canvas_to_mnist → probabilities: p50 and p95 of the wall-clock time, and
    p50 of the CPU time this process spent (which a busy shared machine inflates less)."""
    from benchmarks.predict_latency import timings_ms
    from cnnviz.ml.predict import predict_digits

    canvas = render_digit(3, offset=(25, -30), angle=8, stroke=20)  # (280, 280, 4)
    times = timings_ms(lambda: predict_digits(model, canvas_to_mnist(canvas)), repeats)
    cpu = []
    for _ in range(repeats):
        started = time.process_time()
        predict_digits(model, canvas_to_mnist(canvas))
        cpu.append((time.process_time() - started) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    return {
        "p50_ms": round(float(p50), 2),
        "p95_ms": round(float(p95), 2),
        "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 2),
        "repeats": repeats,
    }


def measure(model, x_test, y_test, sets):
    test_images = normalise(x_test)
    probabilities = probabilities_in_batches(model, test_images)
    canvas_images, canvas_labels, _ = sets["canvas_style"]
    canvas_labels = np.array(canvas_labels)
    drawn, non_digits = measure_drawn(model, sets)
    return {
        "mnist_test": {
            "accuracy": proportion(probabilities.argmax(axis=1) == y_test),
            "calibration_error": calibration(probabilities, y_test),
            "read_as_digit": proportion(verdicts(probabilities) == "digit"),
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
    parser.add_argument("--pilots", type=Path, help="JSON describing how the recipe was chosen (a 'description')")
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="a model it was chosen against, measured on the same validation (repeat for more than one)",
    )
    args = parser.parse_args()

    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz.")
    (x_train, y_train), (x_test, y_test) = data
    sets = generate_sets(x_train[-VALIDATION_DIGITS:], y_train[-VALIDATION_DIGITS:])
    print("sets drawn", flush=True)
    from cnnviz.ml.models import load_pretrained
    from scripts.validate_model import measure as measure_validation

    model = load_pretrained(args.model)
    card = {
        "training": training_facts(args.model),
        "validation": measure_validation(model, sets["validation"]),
        "evaluation": measure(model, x_test, y_test, sets),
        "sets": {
            "canvas_style": {"drawings": CANVAS_PER_DIGIT * 10, "seed": SEED},
            "drawn_digits": {"per_shape": DRAWN_PER_SHAPE, "seed": EVALUATION_SEED},
            "drawn_non_digits": {"per_kind": NON_DIGITS_PER_KIND, "seed": EVALUATION_SEED + 1},
            "traced_digits": {"per_way": PER_WAY, "seed": VALIDATION_SEED},
        },
    }
    if args.pilots:
        card["pilots"] = {**json.loads(args.pilots.read_text()), "runs": {}}
    for other in args.compare:
        measured = measure_validation(load_pretrained(other), sets["validation"])
        card.setdefault("pilots", {"description": "", "runs": {}})["runs"][other.stem] = measured
    print(json.dumps(card["evaluation"], indent=1))
    card_json, card_markdown = CARD_JSON, CARD_MARKDOWN
    if args.model != PRETRAINED_PATH:  # another model's card goes beside it
        card_json, card_markdown = args.model.with_suffix(".card.json"), args.model.with_suffix(".card.md")
    card_json.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    card_markdown.write_text(markdown(card))
    print(f"wrote {card_json} and {card_markdown}")


if __name__ == "__main__":
    main()
