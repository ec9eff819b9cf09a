"""Digits traced by a simulated hand through a few waypoints: the drawn digits a recipe is chosen on.

A third generator, made apart from training's (MNIST augmented, testkit.flagged_ones, testkit.negatives)
and from the evaluation's (testkit.drawn, hand-designed arcs and curves): here each way of writing a
digit is only a handful of waypoints in a unit square (x right, y down, both 0–1), each moved a little
at random; a hand, modelled as a critically damped spring that heads for one waypoint after another
and turns to the next before it gets there, draws through them, so corners round off and speed
varies as a wrist's does; the pen position is sampled at a mouse's event rate. The whole digit is
then rotated, slanted, sized and placed anywhere it fits, with a pen from the Draw page's range, and
rendered as the canvas renders a drawing (testkit.pen).

Its seeds (VALIDATION_SEED and up) are used nowhere else. Training never reads these drawings; the
recipe is chosen on them (scripts.validate_model), and the model card reports them beside the other
validation figures, apart from its evaluation.
"""

from functools import partial

import numpy as np

from cnnviz.data.drawing import canvas_to_mnist
from testkit.pen import CANVAS_SIDE, render_strokes

VALIDATION_SEED = 310_000
PER_WAY = 40  # drawings of each way of writing, by default
JITTER = 0.035  # how far each waypoint moves, in digit heights
STIFFNESS = 900.0  # of the hand's spring, per second squared: a corner takes about a tenth of a second
STEP = 1 / 120  # seconds between two sampled points of the pen
TURN_WITHIN = 0.06  # the hand heads for the next waypoint once this close to the current one
MOST_STEPS = 400  # to one waypoint: the spring gets there in far fewer; a bound, not a pace


def _one_with_flag(rng, foot):
    """A 1 whose flag leaves the top of the stem 0.12–0.4 of the height long, 25–65° below level (flatter
    and longer, it is a 7's bar: no reader could tell them apart)."""
    length, angle = rng.uniform(0.12, 0.4), np.radians(rng.uniform(25, 65))
    top = (0.55, 0.0)
    strokes = [[(top[0] - length * np.cos(angle), length * np.sin(angle)), top, (0.55, 1)]]
    return strokes + ([[(0.3, 1), (0.8, 1)]] if foot else [])


# Ways of writing each digit, as strokes of waypoints in the order a hand draws them (or a function of the
# random stream that makes them).
WAYS = {
    0: {
        "round": [[(0.5, 0), (0.18, 0.2), (0.1, 0.55), (0.3, 0.95), (0.65, 0.95), (0.88, 0.55), (0.8, 0.15), (0.5, 0)]],
        "narrow, open at the top": [
            [(0.55, 0.02), (0.3, 0.2), (0.28, 0.75), (0.5, 1), (0.72, 0.75), (0.7, 0.2), (0.45, 0.05)]
        ],
    },
    1: {
        "one stroke": [[(0.5, 0), (0.5, 1)]],
        "flag": partial(_one_with_flag, foot=False),  # a flag of its own length and angle each time
        "flag and foot": partial(_one_with_flag, foot=True),
    },
    2: {
        "swan": [[(0.15, 0.25), (0.35, 0.02), (0.7, 0.05), (0.78, 0.35), (0.15, 1), (0.9, 0.98)]],
        "z-like": [[(0.15, 0.05), (0.85, 0.05), (0.15, 1), (0.88, 1)]],
    },
    3: {
        "two bumps": [
            [
                (0.15, 0.1),
                (0.5, 0),
                (0.82, 0.18),
                (0.65, 0.42),
                (0.4, 0.5),
                (0.78, 0.6),
                (0.85, 0.85),
                (0.55, 1),
                (0.15, 0.9),
            ]
        ],
        "flat top": [[(0.15, 0.02), (0.8, 0.02), (0.45, 0.42), (0.8, 0.6), (0.85, 0.85), (0.55, 1), (0.15, 0.9)]],
    },
    4: {
        "open": [[(0.45, 0), (0.1, 0.62), (0.9, 0.62)], [(0.68, 0.3), (0.68, 1)]],
        "closed, one stroke": [[(0.68, 1), (0.68, 0), (0.1, 0.65), (0.9, 0.65)]],
    },
    5: {
        "bar first": [
            [(0.8, 0), (0.25, 0)],
            [(0.25, 0), (0.2, 0.45), (0.6, 0.38), (0.85, 0.62), (0.75, 0.92), (0.4, 1), (0.12, 0.85)],
        ],
        "one stroke": [
            [(0.8, 0), (0.25, 0), (0.2, 0.45), (0.6, 0.38), (0.85, 0.62), (0.75, 0.92), (0.4, 1), (0.12, 0.85)]
        ],
    },
    6: {
        "loop low": [
            [
                (0.75, 0.02),
                (0.38, 0.22),
                (0.15, 0.62),
                (0.3, 0.96),
                (0.65, 0.98),
                (0.85, 0.72),
                (0.6, 0.5),
                (0.25, 0.62),
            ]
        ],
        "straight back": [[(0.6, 0), (0.2, 0.65), (0.35, 0.98), (0.7, 0.95), (0.8, 0.7), (0.5, 0.52), (0.22, 0.68)]],
    },
    7: {
        "plain": [[(0.1, 0.02), (0.88, 0.02), (0.4, 1)]],
        "crossed": [[(0.1, 0.02), (0.88, 0.02), (0.4, 1)], [(0.38, 0.5), (0.82, 0.5)]],
        "bent stem": [[(0.1, 0.02), (0.88, 0.02), (0.62, 0.45), (0.52, 1)]],
    },
    8: {
        "one stroke": [
            [
                (0.78, 0.15),
                (0.5, 0),
                (0.2, 0.15),
                (0.3, 0.4),
                (0.7, 0.6),
                (0.82, 0.85),
                (0.5, 1),
                (0.18, 0.85),
                (0.3, 0.6),
                (0.7, 0.4),
                (0.8, 0.15),
            ]
        ],
        "two circles": [
            [(0.5, 0.48), (0.2, 0.25), (0.5, 0), (0.8, 0.25), (0.5, 0.48)],
            [(0.5, 0.48), (0.15, 0.75), (0.5, 1), (0.85, 0.75), (0.5, 0.48)],
        ],
    },
    9: {
        "straight tail": [
            [(0.8, 0.2), (0.5, 0), (0.2, 0.18), (0.25, 0.45), (0.55, 0.5), (0.8, 0.3), (0.8, 0.05), (0.78, 1)]
        ],
        "curved tail": [
            [
                (0.8, 0.2),
                (0.5, 0),
                (0.2, 0.18),
                (0.25, 0.45),
                (0.55, 0.5),
                (0.8, 0.3),
                (0.8, 0.05),
                (0.75, 0.75),
                (0.45, 1),
            ]
        ],
    },
}


def hand_path(waypoints, rng):
    """The pen's positions (N, 2) as a springy hand draws through `waypoints`, each moved by JITTER."""
    targets = np.asarray(waypoints, dtype=float) + rng.normal(0, JITTER, (len(waypoints), 2))
    damping = 2 * np.sqrt(STIFFNESS)
    position, velocity = targets[0].copy(), np.zeros(2)
    points = [position.copy()]
    for index in range(1, len(targets)):
        last = index == len(targets) - 1
        for _ in range(MOST_STEPS):
            velocity += STEP * (STIFFNESS * (targets[index] - position) - damping * velocity)
            position = position + STEP * velocity
            points.append(position.copy())
            if np.linalg.norm(targets[index] - position) < (0.01 if last else TURN_WITHIN):
                break
    return np.asarray(points)


def _place(strokes, rng):
    """Rotate, slant and size unit-square strokes; put them anywhere they fit on the canvas. (strokes, pen)"""
    height = rng.uniform(70, 240)  # pixels of a 280-pixel canvas
    angle, shear = np.radians(rng.uniform(-12, 12)), rng.uniform(-0.35, 0.35)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.array([[1.0, -shear], [0.0, 1.0]]) * height * rng.uniform(0.9, 1.1, 2)
    placed = [(stroke - 0.5) @ matrix.T for stroke in strokes]
    low, high = np.min([s.min(axis=0) for s in placed], axis=0), np.max([s.max(axis=0) for s in placed], axis=0)
    pen = min(rng.uniform(10, 40), height * 0.16)
    margin = pen / 2 + 4
    fits = min(1.0, float(np.min((CANVAS_SIDE - 2 * margin) / (high - low))))
    placed, low, high = [stroke * fits for stroke in placed], low * fits, high * fits  # tall and slanted: shrunk
    lowest_centre = margin - low
    centre = rng.uniform(lowest_centre, np.maximum(lowest_centre, CANVAS_SIDE - margin - high))  # equal when shrunk
    return [stroke + centre for stroke in placed], pen


def traced_digits(per_way=PER_WAY, seed=VALIDATION_SEED, digits=tuple(WAYS)):
    """Digits traced in every way: list of (rgba (280, 280, 4), digit, way).

    Each way of each digit has its own random stream: a way's drawings stay the same whatever else is drawn.
    """
    drawings = []
    for digit in digits:
        for number, (name, way) in enumerate(WAYS[digit].items()):
            rng = np.random.default_rng((seed, digit, number))
            for _ in range(per_way):
                strokes = [hand_path(waypoints, rng) for waypoints in (way(rng) if callable(way) else way)]
                placed, pen = _place(strokes, rng)
                drawings.append((render_strokes(placed, pen), digit, name))
    return drawings


def traced_images(per_way=PER_WAY, seed=VALIDATION_SEED):
    """The traced digits as the model reads them: (images (N, 28, 28) in [0, 1], digits (N,), ways (N,))
    with each way named 'digit: way'."""
    drawings = traced_digits(per_way, seed)
    images = np.stack([canvas_to_mnist(rgba) for rgba, _, _ in drawings])
    digits = np.array([digit for _, digit, _ in drawings])
    return images, digits, np.array([f"{digit}: {way}" for _, digit, way in drawings])
