"""Write the drawn evaluation sets to a folder, to look at or to measure another model on.

Usage:
    python -m scripts.make_drawn_eval OUTPUT_FOLDER [--per-shape 60] [--per-kind 60]

Writes drawn_digits.npz and drawn_non_digits.npz (the 28×28 images after canvas_to_mnist, float32
in [0, 1], with their labels or kinds and styles) and a contact sheet of each (PNG, the canvases as
drawn). The drawings come from testkit.drawn with its evaluation seeds: the same every time, and
never used in training. scripts/make_canvas_eval.py generates the same sets to measure the model.
"""

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from cnnviz.data.drawing import canvas_to_mnist
from testkit.drawn import drawn_digits, drawn_non_digits

TILE = 70  # pixels per drawing on the contact sheet


def contact_sheet(canvases, columns=20):
    """The canvases' ink (white on black) side by side, TILE pixels each, as a grey PIL image."""
    rows = -(-len(canvases) // columns)
    sheet = Image.new("L", (columns * (TILE + 2), rows * (TILE + 2)), 90)
    for index, rgba in enumerate(canvases):
        tile = Image.fromarray(rgba[..., 3]).resize((TILE, TILE), Image.Resampling.BOX)
        sheet.paste(tile, ((index % columns) * (TILE + 2), (index // columns) * (TILE + 2)))
    return sheet


def save(drawings, folder, name, label_key):
    canvases = [rgba for rgba, _, _ in drawings]
    styles = [style for _, _, style in drawings]
    np.savez_compressed(
        folder / f"{name}.npz",
        images=np.stack([canvas_to_mnist(rgba) for rgba in canvases]),  # (N, 28, 28)
        **{label_key: np.array([label for _, label, _ in drawings])},
        **{key: np.array([style[key] for style in styles]) for key in styles[0]},
    )
    contact_sheet(canvases).save(folder / f"{name}.png")
    print(f"wrote {len(drawings)} drawings to {folder / name}.npz and .png")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--per-shape", type=int, default=60)
    parser.add_argument("--per-kind", type=int, default=60)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    save(drawn_digits(per_shape=args.per_shape), args.output, "drawn_digits", "digits")
    save(drawn_non_digits(per_kind=args.per_kind), args.output, "drawn_non_digits", "kinds")


if __name__ == "__main__":
    main()
