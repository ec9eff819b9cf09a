"""Pen strokes (lists of points) drawn on a 280×280 transparent canvas, as the Draw page's canvas draws them."""

import numpy as np
from PIL import Image, ImageDraw

CANVAS_SIDE = 280
SUPERSAMPLE = 2  # draw at twice the size, then shrink: anti-aliased edges, as the browser draws them


def arc(centre, radii, start_degrees, end_degrees, points=24):
    """Points along an ellipse from `start_degrees` to `end_degrees` (y down, so 90° is the bottom)."""
    angles = np.radians(np.linspace(start_degrees, end_degrees, points))
    return np.stack([centre[0] + radii[0] * np.cos(angles), centre[1] + radii[1] * np.sin(angles)], axis=1)


def _de_casteljau(controls, t):
    layer = np.repeat(np.asarray(controls, dtype=float)[None], len(t), axis=0)  # (T, K, 2)
    while layer.shape[1] > 1:
        layer = layer[:, :-1] * (1 - t[:, None, None]) + layer[:, 1:] * t[:, None, None]
    return layer[:, 0]  # (T, 2)


def curve(*controls, points=20):
    """Points along the Bézier curve with these control points (2 for a line, 3 quadratic, 4 cubic)."""
    return _de_casteljau(controls, np.linspace(0.0, 1.0, points))


def path(*pieces):
    """One stroke made of several pieces (arrays of points) drawn one after another without lifting the pen."""
    return np.concatenate([np.asarray(piece, dtype=float).reshape(-1, 2) for piece in pieces])


def transform(strokes, matrix, offset):
    """Each stroke's points mapped by p → matrix · p + offset."""
    matrix, offset = np.asarray(matrix, dtype=float), np.asarray(offset, dtype=float)
    return [np.asarray(stroke) @ matrix.T + offset for stroke in strokes]


def wobble(strokes, rng, amount):
    """Hand tremor: every point moved by smooth noise of about `amount` (same units as the points)."""
    shaken = []
    for stroke in strokes:
        noise = rng.normal(0.0, amount, stroke.shape)
        if len(stroke) > 4:  # smooth the noise along the stroke: a hand drifts, it does not jitter
            kernel = np.ones(5) / 5
            noise = np.stack([np.convolve(noise[:, axis], kernel, mode="same") for axis in range(2)], axis=1) * 2
        shaken.append(stroke + noise)
    return shaken


def render_strokes(strokes, pen_width, side=CANVAS_SIDE):
    """Strokes in canvas pixels (lists of (x, y)) as a uint8 RGBA canvas (side, side, 4): white ink, clear ground.

    Round caps and joins, like the canvas' pen; a single point is a dot of the pen's width.
    """
    scale = SUPERSAMPLE
    board = Image.new("L", (side * scale, side * scale), 0)
    draw = ImageDraw.Draw(board)
    width = max(1, round(pen_width * scale))
    radius = width / 2
    for stroke in strokes:
        points = [(float(x) * scale, float(y) * scale) for x, y in np.asarray(stroke).reshape(-1, 2)]
        if len(points) > 1:
            draw.line(points, fill=255, width=width, joint="curve")
        for x, y in points[:1] + points[-1:]:  # round caps
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    alpha = np.asarray(board.resize((side, side), Image.Resampling.BOX), dtype=np.uint8)  # (side, side)
    rgba = np.zeros((side, side, 4), dtype=np.uint8)
    rgba[..., :3] = np.where(alpha > 0, 255, 0)[..., None]
    rgba[..., 3] = alpha
    return rgba
