"""MNIST 1s given the flag that many people draw at the top (training only).

MNIST's writers rarely flagged their 1s, so a model trained on it reads a flagged 1 as a 7. Each
real MNIST 1 is drawn on the canvas at 10× and a straight flag is added from the top of its
stroke, down and to the left, as wide as the digit's own stroke; then canvas_to_mnist makes it a
digit again. The shapes of these 1s are MNIST writers'; only the flag is drawn.
"""

import numpy as np
from PIL import Image

from cnnviz.data.drawing import canvas_to_mnist
from testkit.pen import render_strokes

SCALE = 10  # 28 px → 280 px
LONGEST_FLAG = 0.5  # of the digit's height; the shortest is 0.12


def flag_one(image, rng, longest=LONGEST_FLAG):
    """A uint8 MNIST 1 (28, 28) with a flag added: (28, 28) float32 in [0, 1], as canvas_to_mnist gives."""
    big = np.asarray(Image.fromarray(image).resize((28 * SCALE, 28 * SCALE), Image.Resampling.BILINEAR))
    ink = big > 100
    rows = np.flatnonzero(ink.any(axis=1))
    top, bottom = rows[0], rows[-1]
    top_columns = np.flatnonzero(ink[top : top + SCALE].any(axis=0))  # the stroke's top pixel row, at 10×
    tip = np.array([top_columns.mean(), top + SCALE * 0.5])  # (x, y) of the stroke's top
    stroke_width = max(SCALE, ink[(top + bottom) // 2].sum())  # the stroke's width halfway down
    length = rng.uniform(0.12, longest) * (bottom - top)
    angle = np.radians(rng.uniform(25, 65))
    start = tip + length * np.array([-np.cos(angle), np.sin(angle)])
    flag = render_strokes([np.stack([start, tip])], stroke_width)[..., 3]  # (280, 280)
    return canvas_to_mnist(np.maximum(big, flag))


def flagged_ones(images, seed, longest=LONGEST_FLAG):
    """Every uint8 MNIST 1 in `images` (N, 28, 28) flagged, as (N, 28, 28) float32 in [0, 1]."""
    rng = np.random.default_rng(seed)
    return np.array([flag_one(image, rng, longest) for image in images], dtype=np.float32).reshape(-1, 28, 28)
