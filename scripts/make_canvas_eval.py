"""Measure the shipped model the way the app uses it, and write its model card.

Usage:
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.make_canvas_eval \\
        [--baseline /tmp/cnnviz_no_augmentation.keras]

Three measurements, each generated here deterministically (nothing large is stored):
- MNIST test: the 10,000 test digits as they are.
- Shifted MNIST test: every test digit moved 2, 3 and 4 pixels in one of 8 directions (seeded),
  as a digit drawn off-centre would be if it were not re-centred.
- Canvas-style: digits drawn as thick pen strokes from several fonts on a 280×280 canvas, at random
  sizes, angles, pen widths and positions (testkit.synthetic), put through canvas_to_mnist.

Reads the training facts that scripts/train_pretrained.py wrote beside each model
(`<model stem>.training.json`; for the shipped model, the existing card when that file is absent)
and writes models/model_card.json and models/MODEL_CARD.md.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

from cnnviz.core.input_layer import normalise
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.mnist import load_mnist
from cnnviz.ml.models import PRETRAINED_PATH, load_pretrained
from cnnviz.ml.predict import predict_digits
from testkit.synthetic import canvas_style_drawings

SEED = 7
CANVAS_PER_DIGIT = 100  # 1,000 drawings
SHIFT_PIXELS = (2, 3, 4)
DIRECTIONS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
CARD_JSON = PRETRAINED_PATH.with_name("model_card.json")
CARD_MARKDOWN = PRETRAINED_PATH.with_name("MODEL_CARD.md")


def predict_in_batches(model, images, batch_size=500):
    return np.concatenate(
        [predict_digits(model, images[i : i + batch_size]) for i in range(0, len(images), batch_size)]
    )


def accuracy(model, images, labels):
    return float(np.mean(predict_in_batches(model, images).argmax(axis=1) == labels))


def shifted_digits(images, pixels, seed=SEED):
    """Each image moved `pixels` in a seeded random one of 8 directions (diagonals by `pixels` on each axis)."""
    rng = np.random.default_rng(seed + pixels)
    moves = np.array(DIRECTIONS)[rng.integers(0, len(DIRECTIONS), len(images))] * pixels  # (N, 2)
    return np.stack([ndimage.shift(image, move, order=0, cval=0.0) for image, move in zip(images, moves, strict=True)])


def canvas_style_set(seed=SEED, per_digit=CANVAS_PER_DIGIT):
    """(images (N, 28, 28), labels (N,), fonts (N,)) of canvas-like drawings after canvas_to_mnist."""
    drawings = canvas_style_drawings(per_digit=per_digit, seed=seed)
    images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in drawings])
    labels = np.array([digit for _, digit, _ in drawings])
    fonts = np.array([settings["font"] for _, _, settings in drawings])
    return images, labels, fonts


def measure(model, test_images, y_test, canvas):
    canvas_images, canvas_labels, canvas_fonts = canvas
    canvas_predictions = predict_in_batches(model, canvas_images).argmax(axis=1)
    canvas_correct = canvas_predictions == canvas_labels
    return {
        "mnist_test": round(accuracy(model, test_images, y_test), 4),
        "shifted_mnist_test": {
            f"{pixels}px": round(accuracy(model, shifted_digits(test_images, pixels), y_test), 4)
            for pixels in SHIFT_PIXELS
        },
        "canvas_style": round(float(np.mean(canvas_correct)), 4),
        "canvas_style_by_font": {
            font: round(float(np.mean(canvas_correct[canvas_fonts == font])), 4) for font in sorted(set(canvas_fonts))
        },
        "canvas_style_by_digit": {
            str(digit): round(float(np.mean(canvas_predictions[canvas_labels == digit] == digit)), 4)
            for digit in range(10)
        },
    }


def training_facts(model_path):
    path = Path(model_path).with_suffix(".training.json")
    if path.is_file():
        facts = json.loads(path.read_text())
        facts["data"] = facts["data"].split(" (")[0]  # no machine-specific path in the card
        return facts
    if Path(model_path) == PRETRAINED_PATH and CARD_JSON.is_file():
        return json.loads(CARD_JSON.read_text())["training"]
    sys.exit(f"No training facts at {path}; train with scripts/train_pretrained.py first.")


def markdown(card):
    training, results = card["training"], card["evaluation"]
    baseline = card.get("baseline")
    rows = [("MNIST test (10,000 digits)", lambda r: r["mnist_test"])]
    rows += [(f"MNIST test shifted {p} px", lambda r, p=p: r["shifted_mnist_test"][f"{p}px"]) for p in SHIFT_PIXELS]
    rows.append((f"Canvas-style drawings ({card['canvas_style_set']['drawings']:,})", lambda r: r["canvas_style"]))
    header = "| Measured on | Shipped model (augmented) |" + (" Same model, no augmentation |" if baseline else "")
    table = [header, "| --- | --- |" + (" --- |" if baseline else "")]
    for name, get in rows:
        cells = f"{get(results):.2%}" + (f" | {get(baseline['evaluation']):.2%}" if baseline else "")
        table.append(f"| {name} | {cells} |")
    layers = "\n".join(
        f"| {layer['name']} | {layer['type']} | {' × '.join(map(str, layer['output_shape']))} |"
        for layer in training["layers"]
    )
    augmentation = "\n".join(f"- `{key}`: {value}" for key, value in training["augmentation"].items())
    finetune = ", ".join(f"`{key}` {value}" for key, value in training["finetune_augmentation"].items())
    by_font = ", ".join(
        f"{font.removesuffix('.ttf')} {value:.1%}" for font, value in results["canvas_style_by_font"].items()
    )
    verdict = ""
    if baseline:
        plain, ours = baseline["evaluation"], results
        plain_training = baseline["training"]
        phases = str(plain_training["epochs"])
        if plain_training.get("finetune_epochs"):
            phases += f" + {plain_training['finetune_epochs']}"
        verdict = (
            f"\nThe comparison model has the same architecture, seed and learning rates, trained for "
            f"{phases} epochs without any augmentation.\n"
            f"\nWithout augmentation the same network scores {plain['mnist_test']:.2%} on MNIST's own test digits "
            f"(augmented: {ours['mnist_test']:.2%}), {plain['shifted_mnist_test']['3px']:.2%} on digits shifted "
            f"3 px (augmented: {ours['shifted_mnist_test']['3px']:.2%}) and {plain['canvas_style']:.2%} on "
            f"canvas-style drawings (augmented: {ours['canvas_style']:.2%}).\n"
        )
        drawings = card["canvas_style_set"]["drawings"]
        errors_plain = round((1 - plain["canvas_style"]) * drawings)
        errors_ours = round((1 - ours["canvas_style"]) * drawings)
        verdict += (
            "\nMNIST digits are all centred and of one size, and a model that only saw those is not robust to "
            f"a digit that sits elsewhere: shifted 4 px, {plain['shifted_mnist_test']['4px']:.1%} without "
            f"augmentation against {ours['shifted_mnist_test']['4px']:.1%} with it. `canvas_to_mnist` re-centres "
            "and rescales every drawing before the model sees it, so both models read most canvas-style drawings; "
            f"augmentation takes the errors there from {errors_plain} to {errors_ours} in {drawings:,}. The shipped "
            "model is trained with augmentation for both reasons: a drawing is not always cropped and centred as "
            "MNIST's were, and pen width, slant and proportions vary more than in MNIST.\n"
        )
    return f"""# Model card: {training["model_file"]}

A small convolutional network that recognises handwritten digits 0–9 in 28×28 grey images
(white digit on black, as MNIST and `cnnviz.data.drawing.canvas_to_mnist` give). It is the model the
Draw page uses when it opens. Numbers below were measured by `python -m scripts.make_canvas_eval`.

## Results
{chr(10).join(table)}
{verdict}
Canvas-style accuracy by font: {by_font}.

## Architecture
{training["parameters"]:,} parameters; file {training["file_bytes"] / 1e6:.2f} MB (weights only, no optimizer state).
Configuration: `CnnConfig({", ".join(f"{k}={v!r}" for k, v in training["config"].items())})`.

| Layer | Type | Output shape |
| --- | --- | --- |
{layers}

## Data
{training["train_digits"]:,} MNIST training digits; measured on the {training["test_digits"]:,} test digits.
MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0.

## Training
{training["epochs"]} epochs, then {training["finetune_epochs"]} more with milder augmentation; batch
{training["batch_size"]}, Adam, {training["learning_rate_schedule"]}; seed {training["seed"]};
{training["training_seconds"] / 60:.0f} minutes on {training["machine"]}, shared with other work
(Keras {training["keras_version"]}, TensorFlow {training["tensorflow_version"]}).

Augmentation, drawn afresh for every digit of every epoch (one affine resampling per digit), first phase:
{augmentation}

second phase: {finetune}.

Reproduce:

    CNNVIZ_MNIST=path/to/mnist.npz python -m scripts.train_pretrained
    CNNVIZ_MNIST=path/to/mnist.npz python -m scripts.train_pretrained --no-augmentation \\
        --output /tmp/cnnviz_no_augmentation.keras
    CNNVIZ_MNIST=path/to/mnist.npz python -m scripts.make_canvas_eval --baseline /tmp/cnnviz_no_augmentation.keras

## Limits
MNIST has no separate validation set here: the recipe (epochs, second phase) was settled while
watching the test accuracy, so that figure is slightly optimistic. Canvas-style drawings are
rendered from fonts, not collected from people: they test position, size, angle and pen width,
not every way people shape a digit. The model always answers one of 0–9, even for a drawing that
is not a digit.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=PRETRAINED_PATH)
    parser.add_argument("--baseline", type=Path, help="the same network trained without augmentation")
    args = parser.parse_args()

    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz.")
    _, (x_test, y_test) = data
    test_images = normalise(x_test)
    canvas = canvas_style_set()
    card = {
        "training": training_facts(args.model),
        "evaluation": measure(load_pretrained(args.model), test_images, y_test, canvas),
        "canvas_style_set": {"drawings": len(canvas[1]), "seed": SEED, "fonts": sorted(set(canvas[2]))},
    }
    if args.baseline:
        card["baseline"] = {
            "training": training_facts(args.baseline),
            "evaluation": measure(load_pretrained(args.baseline), test_images, y_test, canvas),
        }
    print(json.dumps({"model": card["evaluation"], "baseline": card.get("baseline", {}).get("evaluation")}, indent=2))
    if args.model == PRETRAINED_PATH:
        CARD_JSON.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
        CARD_MARKDOWN.write_text(markdown(card))
        print(f"wrote {CARD_JSON} and {CARD_MARKDOWN}")


if __name__ == "__main__":
    main()
