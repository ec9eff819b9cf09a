"""The evaluation drawings, the traced validation digits and the training additions: repeatable,
canvas-like, and kept apart."""

import ast
from pathlib import Path

import numpy as np

from cnnviz.data.drawing import canvas_to_mnist
from testkit import drawn, negatives, traced
from testkit.flagged_ones import flag_one
from testkit.pen import render_strokes

ROOT = Path(__file__).resolve().parent.parent


def test_a_stroke_is_rendered_as_the_canvas_does_white_ink_on_a_clear_ground():
    canvas = render_strokes([np.array([[40.0, 140.0], [240.0, 140.0]])], pen_width=20)

    assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
    assert canvas[140, 140, 3] == 255 and canvas[10, 10, 3] == 0
    assert 18 <= (canvas[:, 140, 3] > 127).sum() <= 22  # as wide as the pen


def test_drawn_digits_cover_every_digit_and_repeat_with_their_seed():
    first = drawn.drawn_digits(per_shape=2)
    again = drawn.drawn_digits(per_shape=2)

    assert sorted({digit for _, digit, _ in first}) == list(range(10))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(first, again, strict=True))


def test_every_style_of_the_drawn_digits_is_used():
    styles = [style for _, _, style in drawn.drawn_digits(per_shape=12)]

    for key, options in (("slant", drawn.SLANTS), ("pen", drawn.PENS), ("place", drawn.PLACES)):
        assert {style[key] for style in styles} == set(options), key


def test_every_drawing_becomes_a_digit_image():
    for rgba, _, _ in drawn.drawn_digits(per_shape=1) + drawn.drawn_non_digits(per_kind=1):
        image = canvas_to_mnist(rgba)
        assert image is not None and image.shape == (28, 28) and image.max() > 0.5


def test_a_flagged_one_has_more_ink_at_its_top_left_than_the_one_it_came_from():
    one = np.zeros((28, 28), dtype=np.uint8)
    one[4:24, 13:15] = 255  # an upright stroke

    flagged = flag_one(one, np.random.default_rng(0))

    assert flagged[:10, :12].sum() > canvas_to_mnist(one)[:10, :12].sum() + 1


def test_training_never_reads_the_evaluation_or_the_traced_drawings():
    for source in ("scripts/train_pretrained.py", "testkit/negatives.py", "testkit/flagged_ones.py"):
        tree = ast.parse((ROOT / source).read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not imported & {"testkit.drawn", "testkit.traced"}, source


def test_traced_digits_cover_every_way_repeat_with_their_seed_and_stay_on_the_canvas():
    first = traced.traced_digits(per_way=10)
    sevens = traced.traced_digits(per_way=10, digits=(7,))

    assert {(digit, way) for _, digit, way in first} == {(d, w) for d in traced.WAYS for w in traced.WAYS[d]}
    assert all(np.array_equal(a[0], b[0]) for a, b in zip([d for d in first if d[1] == 7], sevens, strict=True))
    for rgba, _, _ in first:
        alpha = rgba[..., 3]
        assert alpha.max() == 255 and not (alpha[0].any() or alpha[-1].any() or alpha[:, 0].any() or alpha[:, -1].any())


def test_a_traced_hand_passes_near_every_waypoint_and_ends_on_the_last():
    waypoints = [(0.1, 0.0), (0.9, 0.0), (0.4, 1.0)]
    path = traced.hand_path(waypoints, np.random.default_rng(0))

    nearest = [np.linalg.norm(path - point, axis=1).min() for point in waypoints]
    assert max(nearest) < traced.TURN_WITHIN + 4 * traced.JITTER
    assert np.linalg.norm(path[-1] - waypoints[-1]) < 4 * traced.JITTER


def test_the_training_marks_seeds_are_far_from_the_evaluation_seeds():
    assert abs(drawn.EVALUATION_SEED - negatives.TRAINING_SEED) > 10_000


def test_training_marks_are_never_upright_strokes_like_a_1():
    rng = np.random.default_rng(1)
    for _ in range(200):
        (start, end), *_ = negatives._angled_stroke(rng)
        dx, dy = np.abs(end - start)
        assert dy < dx  # more across than down
