"""Digits and non-digits drawn as pen strokes, the way people write them: the model's evaluation drawings.

Every digit has several hand-designed shapes (flagged and footed 1s, crossed 7s, open and closed 4s,
9s with straight and curved tails, ...), each drawn as strokes in a unit box (x from about -0.3 to
0.3, y from 0 at the top to 1 at the bottom), then slanted either way, given a pen, a size and a
place on the 280×280 canvas, shaken a little, and rendered as the canvas renders a drawing.
The non-digits are what a visitor draws before a digit is finished, or instead of one.

These drawings are for measuring only: nothing in training reads this module, and its seeds
(EVALUATION_SEED and up) are used nowhere else.
"""

import numpy as np

from testkit.pen import CANVAS_SIDE, arc, curve, path, render_strokes, transform, wobble

EVALUATION_SEED = 170_000


def _line(*points):
    return np.asarray(points, dtype=float)


# Each shape: strokes in the unit box, in the order a hand draws them.
DIGIT_SHAPES = {
    0: {
        "oval": lambda rng: [arc((0, 0.5), (0.26, 0.5), -90, 270)],
        "oval, overlapping at the top": lambda rng: [arc((0, 0.5), (0.24, 0.5), -120, 280)],
    },
    1: {
        "single stroke": lambda rng: [_line((0, 0), (0, 1))],
        "flagged": lambda rng: [path(_flag(rng, 0.15, 0.3), _line((0, 0), (0, 1)))],
        "long flag": lambda rng: [path(_flag(rng, 0.3, 0.45), _line((0, 0), (0, 1)))],
        "flagged, with a foot": lambda rng: [
            path(_flag(rng, 0.15, 0.35), _line((0, 0), (0, 1))),
            _line((-0.2, 1), (0.2, 1)),
        ],
        "short serif": lambda rng: [path(_line((-0.1, 0.1), (0, 0)), _line((0, 0), (0, 1)))],
    },
    2: {
        "curved neck": lambda rng: [
            path(
                curve((-0.24, 0.22), (-0.2, -0.06), (0.32, -0.08), (0.24, 0.32)),
                _line((0.24, 0.32), (-0.28, 1)),
                _line((-0.28, 1), (0.3, 1)),
            )
        ],
        "looped base": lambda rng: [
            path(
                curve((-0.24, 0.22), (-0.2, -0.06), (0.32, -0.08), (0.24, 0.32)),
                curve((0.24, 0.32), (0.0, 0.7), (-0.3, 0.95), (-0.22, 1.0)),
                curve((-0.22, 1.0), (-0.1, 0.8), (-0.05, 1.02), (0.3, 0.98)),
            )
        ],
    },
    3: {
        "round": lambda rng: [path(arc((0, 0.25), (0.23, 0.25), -160, 90), arc((0, 0.75), (0.27, 0.25), -90, 160))],
        "flat top": lambda rng: [
            path(_line((-0.25, 0), (0.25, 0), (-0.02, 0.42)), arc((0, 0.71), (0.27, 0.29), -90, 160))
        ],
    },
    4: {
        "open": lambda rng: [_line((-0.2, 0), (-0.24, 0.6), (0.3, 0.6)), _line((0.14, 0.05), (0.14, 1))],
        "closed": lambda rng: [_line((0.14, 0), (-0.28, 0.65), (0.3, 0.65)), _line((0.14, 0), (0.14, 1))],
    },
    5: {
        "bar last": lambda rng: [
            path(_line((-0.2, 0), (-0.22, 0.45)), curve((-0.22, 0.45), (0.38, 0.2), (0.45, 1.08), (-0.27, 0.92))),
            _line((-0.2, 0), (0.26, 0)),
        ],
        "one stroke": lambda rng: [
            path(
                _line((0.26, 0), (-0.2, 0), (-0.22, 0.45)),
                curve((-0.22, 0.45), (0.38, 0.2), (0.45, 1.08), (-0.27, 0.92)),
            )
        ],
    },
    6: {
        "round loop": lambda rng: [
            path(curve((0.2, 0.0), (-0.15, 0.1), (-0.3, 0.5), (-0.25, 0.72)), arc((0, 0.72), (0.25, 0.27), 180, -180))
        ],
        "straight back": lambda rng: [
            path(_line((0.12, 0.0), (-0.24, 0.7)), arc((0.0, 0.74), (0.24, 0.25), 190, -170))
        ],
    },
    7: {
        "plain": lambda rng: [_line((-0.27, 0), (0.27, 0), (-0.05, 1))],
        "crossed": lambda rng: [_line((-0.27, 0), (0.27, 0), (-0.05, 1)), _line((-0.14, 0.5), (0.24, 0.48))],
        "curved stem": lambda rng: [path(_line((-0.27, 0), (0.27, 0)), curve((0.27, 0), (0.05, 0.4), (-0.05, 1)))],
        "hooked top": lambda rng: [_line((-0.27, 0.14), (-0.26, 0), (0.27, 0), (-0.02, 1))],
    },
    8: {
        "two loops": lambda rng: [arc((0, 0.25), (0.2, 0.25), 90, 450), arc((0, 0.74), (0.26, 0.26), -90, 270)],
        "one stroke": lambda rng: [_figure_eight()],
    },
    9: {
        "straight tail": lambda rng: [path(arc((0, 0.27), (0.25, 0.27), 0, -360), _line((0.25, 0.27), (0.22, 1)))],
        "curved tail": lambda rng: [
            path(arc((0, 0.27), (0.25, 0.27), 0, -360), curve((0.25, 0.27), (0.28, 0.85), (0.1, 1.05), (-0.2, 0.9)))
        ],
    },
}


def _flag(rng, shortest, longest):
    """The flag of a 1: a stroke up to the top of the stem, `shortest`–`longest` of the height, 25–60° from level."""
    length, angle = rng.uniform(shortest, longest), np.radians(rng.uniform(25, 60))
    return _line((-length * np.cos(angle), length * np.sin(angle)), (0, 0))


def _figure_eight():
    t = np.linspace(0, 2 * np.pi, 60)
    return np.stack([-0.24 * np.sin(2 * t) * np.where(t < np.pi, 0.85, 1.0), 0.5 - 0.5 * np.cos(t)], axis=1)


NON_DIGIT_SHAPES = {
    "scribble": lambda rng: [_scribble(rng)],
    "dash": lambda rng: [_line((-0.3, 0.5), (0.3, 0.5 + rng.uniform(-0.06, 0.06)))],
    "cross": lambda rng: [_line((-0.3, 0.2), (0.3, 0.8)), _line((0.3, 0.2), (-0.3, 0.8))],
    "plus sign": lambda rng: [_line((0, 0.2), (0, 0.8)), _line((-0.3, 0.5), (0.3, 0.5))],
    "dot": lambda rng: [_line((0, 0.5))],
    "first stroke of an open 4": lambda rng: DIGIT_SHAPES[4]["open"](rng)[:1],
    "first stroke of a closed 4": lambda rng: DIGIT_SHAPES[4]["closed"](rng)[:1],
    "5 before its bar": lambda rng: DIGIT_SHAPES[5]["bar last"](rng)[:1],
}


def _scribble(rng):
    """A loose zig-zag back and forth across the box."""
    turns = rng.integers(5, 9)
    xs = np.where(np.arange(turns) % 2 == 0, -0.3, 0.3) + rng.normal(0, 0.05, turns)
    ys = np.linspace(0.2, 0.8, turns) + rng.normal(0, 0.08, turns)
    return np.stack([xs, ys], axis=1)


SLANTS = {"upright": (-0.05, 0.05), "slanted right": (0.2, 0.35), "slanted left": (-0.3, -0.15)}
PENS = {"thin pen": (10, 13), "medium pen": (16, 24), "thick pen": (30, 40)}  # the Draw page's range is 10–40
PLACES = {"centred": (150, 230), "small, in a corner": (50, 80)}  # digit height on the canvas, pixels
# A pen is at most 17 % of the digit's height wide: on a small digit the thick pen is narrower.


def _draw(strokes, rng, slant, pen, place):
    """Slant, size and place unit-box strokes on the canvas; shake them; render. (RGBA, settings)."""
    shear = rng.uniform(*SLANTS[slant])
    height = rng.uniform(*PLACES[place])
    aspect = rng.uniform(0.85, 1.15)
    angle = np.radians(rng.uniform(-6, 6))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    slanting = np.array([[1.0, -shear], [0.0, 1.0]])  # x moves right towards the top when shear > 0
    matrix = rotation @ slanting @ np.diag([height * aspect, height])
    margin = height / 2 + 25
    if place == "centred":
        centre = CANVAS_SIDE / 2 + rng.uniform(-25, 25, 2)
    else:
        corner = rng.integers(0, 2, 2)  # which corner: left/right, top/bottom
        centre = np.where(corner == 0, margin, CANVAS_SIDE - margin) + rng.uniform(-8, 8, 2)
    placed = transform([stroke - [0, 0.5] for stroke in strokes], matrix, centre)
    placed = wobble(placed, rng, amount=height * 0.008)
    width = min(rng.uniform(*PENS[pen]), height * 0.17)  # a pen wider than that makes a small digit a blot
    return render_strokes(placed, width), {"slant": slant, "pen": pen, "place": place}


def _combinations(rng, count):
    """`count` (slant, pen, place) triples covering every combination as evenly as possible, shuffled."""
    every = [(s, p, q) for s in SLANTS for p in PENS for q in PLACES]
    order = np.concatenate([rng.permutation(len(every)) for _ in range(count // len(every) + 1)])[:count]
    return [every[i] for i in order]


def drawn_digits(per_shape=40, seed=EVALUATION_SEED, digits=tuple(DIGIT_SHAPES)):
    """Digits drawn in every shape, slant, pen and place: list of (rgba (280, 280, 4), digit, style dict).

    Each digit has its own random stream, so `digits` may be drawn apart (in parallel) and match.
    """
    drawings = []
    for digit in digits:
        rng = np.random.default_rng((seed, digit))
        for shape, make in DIGIT_SHAPES[digit].items():
            for slant, pen, place in _combinations(rng, per_shape):
                rgba, style = _draw(make(rng), rng, slant, pen, place)
                drawings.append((rgba, digit, {"shape": shape, **style}))
    return drawings


def drawn_non_digits(per_kind=50, seed=EVALUATION_SEED + 1, kinds=tuple(NON_DIGIT_SHAPES)):
    """Drawings that are not (yet) digits: list of (rgba (280, 280, 4), kind, style dict).

    Each kind has its own random stream, so `kinds` may be drawn apart (in parallel) and match.
    """
    drawings = []
    for kind in kinds:
        rng = np.random.default_rng((seed, list(NON_DIGIT_SHAPES).index(kind)))
        make = NON_DIGIT_SHAPES[kind]
        for slant, pen, place in _combinations(rng, per_kind):
            rgba, style = _draw(make(rng), rng, slant, pen, place)
            drawings.append((rgba, kind, style))
    return drawings
