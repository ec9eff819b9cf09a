"""Random pen marks that are not digits, to teach the model to be unsure of them (training only).

A different generator from the evaluation's non-digits (testkit.drawn): shapes are built from random
primitives — straight strokes kept well away from upright (an upright stroke is a 1), corners and
chevrons (never a 7's top-right corner), open arcs, zig-zags and hatching, blots, and two of these
together — placed and sized at random on the canvas, with seeds from TRAINING_SEED up. It never
draws a whole digit on purpose; nothing here is tuned on the evaluation drawings.
"""

import numpy as np

from testkit.pen import CANVAS_SIDE, arc, render_strokes, wobble

TRAINING_SEED = 50_000


def _angled_stroke(rng):
    """A straight stroke at least 55° away from upright (a 1 leans up to about 35°)."""
    angle = np.radians(rng.uniform(-35, 35) + rng.choice([0, 180]))
    length = rng.uniform(0.4, 1.0)
    direction = np.array([np.cos(angle), np.sin(angle)]) * length / 2
    return [np.stack([-direction, direction])]


def _corner(rng):
    """Two straight arms meeting at a corner (an L, a V, a <), never the top-right corner a 7 turns at."""
    while True:
        points = rng.uniform(-0.5, 0.5, (3, 2))
        arms = np.linalg.norm(points[1] - points[0]), np.linalg.norm(points[2] - points[1])
        if min(arms) < 0.3:
            continue
        vertex_top_right = points[1, 1] <= points[:, 1].min() + 0.1 and points[1, 0] >= points[:, 0].max() - 0.15
        if not vertex_top_right:
            return [points]


def _open_arc(rng):
    """A part of an ellipse, 120–250°: a C, a U, an arch."""
    start = rng.uniform(0, 360)
    sweep = rng.uniform(120, 250) * rng.choice([-1, 1])
    return [arc((0, 0), rng.uniform(0.2, 0.5, 2), start, start + sweep)]


def _zig_zag(rng):
    """A stroke that turns back on itself 4–9 times, in a random direction."""
    turns = rng.integers(5, 11)
    along = np.linspace(-0.5, 0.5, turns)
    across = np.where(np.arange(turns) % 2 == 0, -1, 1) * rng.uniform(0.15, 0.5) + rng.normal(0, 0.06, turns)
    angle = rng.uniform(0, np.pi)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return [np.stack([along, across], axis=1) @ rotation.T]


def _hatching(rng):
    """Two to four parallel strokes side by side."""
    count = rng.integers(2, 5)
    angle = rng.uniform(0, np.pi)
    direction = np.array([np.cos(angle), np.sin(angle)]) * rng.uniform(0.25, 0.5)
    normal = np.array([-direction[1], direction[0]]) / np.linalg.norm(direction)
    return [np.stack([-direction, direction]) + normal * offset for offset in np.linspace(-0.35, 0.35, count)]


def _blot(rng):
    """A dot, or a small filled-in smudge."""
    if rng.random() < 0.5:
        return [np.zeros((1, 2))]
    return [arc((0, 0), rng.uniform(0.03, 0.12, 2), 0, 720, points=30)]


def _plus(rng):
    """An upright stroke crossed by a level one near its middle: a plus sign, a t, a cross leaning a little."""
    height, width = rng.uniform(0.5, 1.0), rng.uniform(0.4, 0.9)
    crossing = rng.uniform(0.35, 0.65) * height
    lean = np.radians(rng.uniform(-12, 12))
    upright = np.array([[0.0, -height / 2], [0.0, height / 2]])
    level = np.array([[-width / 2, crossing - height / 2], [width / 2, crossing - height / 2]])
    rotation = np.array([[np.cos(lean), -np.sin(lean)], [np.sin(lean), np.cos(lean)]])
    return [upright @ rotation.T, level @ rotation.T]


def _unfinished(rng):
    """The first stroke of a digit drawn in two (y down): a 4's slanted arm and crossbar before its stem,
    or a 5's stem and belly before its bar. Only whole digits are digits; a part alone is unsure."""
    if rng.random() < 0.5:  # a 4 so far: down and to the left, then across to the right
        top = np.array([rng.uniform(0.0, 0.2), -0.5])
        corner = np.array([rng.uniform(-0.45, -0.25), rng.uniform(0.0, 0.25)])
        end = np.array([rng.uniform(0.25, 0.45), corner[1] + rng.uniform(-0.05, 0.05)])
        return [np.stack([top, corner, end])]
    # the belly stays open at the bottom left (closed back onto the stem it would be a 6)
    belly = arc(
        (0.0, 0.15), (rng.uniform(0.25, 0.33), rng.uniform(0.28, 0.34)), rng.uniform(-170, -150), rng.uniform(110, 130)
    )
    stem_top = np.array([[rng.uniform(-0.3, -0.2), -0.5]])
    return [np.concatenate([stem_top, belly])]


PRIMITIVES = (_angled_stroke, _corner, _open_arc, _zig_zag, _hatching, _blot, _plus, _unfinished)


def random_mark(rng):
    """Strokes of one random non-digit mark, in a box about 1 wide centred on 0."""
    strokes = PRIMITIVES[rng.integers(len(PRIMITIVES))](rng)
    if rng.random() < 0.3:  # sometimes two marks, apart or overlapping
        other = PRIMITIVES[rng.integers(len(PRIMITIVES))](rng)
        strokes = strokes + [stroke * 0.7 + rng.uniform(-0.35, 0.35, 2) for stroke in other]
    return strokes


def training_negatives(count, seed=TRAINING_SEED):
    """`count` RGBA canvases (280, 280, 4) of random non-digit marks of random size, place and pen."""
    rng = np.random.default_rng(seed)
    canvases = []
    for _ in range(count):
        size = rng.uniform(60, 220)
        centre = rng.uniform(size / 2 + 15, CANVAS_SIDE - size / 2 - 15, 2)
        strokes = [stroke * size + centre for stroke in random_mark(rng)]
        strokes = wobble(strokes, rng, amount=size * 0.006)
        canvases.append(render_strokes(strokes, min(rng.uniform(9, 40), size * 0.2)))
    return canvases
