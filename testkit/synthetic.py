"""Digits drawn as thick pen strokes on a canvas-sized RGBA image, for tests and evaluation."""

from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"), Path("/Library/Fonts"))
# Sans-serif faces whose digits look most like handwriting; the thin ones take the pen width best.
PEN_FONTS = (
    "DejaVuSans-ExtraLight.ttf",
    "DejaVuSans.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSansCondensed.ttf",
    "LiberationSans-Regular.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSansNarrow-Regular.ttf",
)
DEFAULT_FONT = "DejaVuSans-ExtraLight.ttf"


@cache
def find_font(name):
    """Path of the font file `name` (e.g. 'DejaVuSans.ttf') under the usual font folders, or None."""
    if Path(name).is_file():
        return Path(name)
    for folder in FONT_DIRS:
        if folder.is_dir():
            match = next(folder.rglob(name), None)
            if match is not None:
                return match
    return None


def available_pen_fonts():
    """The PEN_FONTS installed on this machine, as file names."""
    return [name for name in PEN_FONTS if find_font(name) is not None]


@cache
def _load_font(name, pixels):
    if name is None:
        path = find_font(DEFAULT_FONT)
        return ImageFont.truetype(path, pixels) if path else ImageFont.load_default(pixels)
    path = find_font(name)
    if path is None:
        raise ValueError(
            f"Font {name!r} is not installed here; pick one of {available_pen_fonts()} or pass a .ttf path."
        )
    return ImageFont.truetype(path, pixels)


def render_digit(digit, size=280, stroke=18, angle=0.0, scale=0.7, offset=(0, 0), font=None):
    """Digit `digit` as white pen strokes on a transparent size×size RGBA canvas, uint8 (size, size, 4).

    stroke: pen width in canvas pixels; angle: degrees, counter-clockwise; scale: digit height as a
    fraction of the canvas; offset: (x, y) pixels from the centre (right and down are positive);
    font: a font file name (see PEN_FONTS) or path, default DejaVu Sans ExtraLight (Pillow's own
    font when that is missing). Like the canvas, pixels are (255, 255, 255, a) on ink and 0 elsewhere.
    """
    if isinstance(digit, bool) or not isinstance(digit, int | np.integer) or not 0 <= digit <= 9:
        raise ValueError(f"digit must be a whole number from 0 to 9, got {digit!r}.")
    if not 0 < scale <= 1.5 or stroke < 1 or size < 28:
        raise ValueError(
            f"Got scale={scale!r}, stroke={stroke!r}, size={size!r}; need 0 < scale ≤ 1.5, stroke ≥ 1, size ≥ 28."
        )
    height = scale * size
    text = str(int(digit))
    # Render big, measure the ink, then scale to the asked height: font metrics differ between faces.
    pixels = 200
    face = _load_font(font, pixels)
    pen = max(1, round(stroke * pixels * 0.36 / height))  # outline added on each side, in font pixels
    board = Image.new("L", (pixels * 2, pixels * 2), 0)
    ImageDraw.Draw(board).text((pixels // 2, pixels // 4), text, fill=255, font=face, stroke_width=pen, stroke_fill=255)
    glyph = board.crop(board.getbbox())
    ratio = height / glyph.height
    glyph = glyph.resize((max(1, round(glyph.width * ratio)), max(1, round(height))), Image.Resampling.LANCZOS)
    glyph = glyph.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    canvas = Image.new("L", (size, size), 0)
    left = round((size - glyph.width) / 2 + offset[0])
    top = round((size - glyph.height) / 2 + offset[1])
    canvas.paste(glyph, (left, top))
    alpha = np.asarray(canvas, dtype=np.uint8)  # (size, size)
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., :3] = np.where(alpha > 0, 255, 0)[..., None]
    rgba[..., 3] = alpha
    return rgba


def canvas_style_drawings(per_digit=20, seed=0, fonts=None):
    """A seeded, balanced set of canvas-like drawings: list of (rgba (280, 280, 4), digit, settings).

    Each drawing picks a font from `fonts` (default: every installed PEN_FONTS face, in turn), an
    angle in ±15°, a digit height of 35–85 % of the canvas, a pen 6–16 % of that height wide (a
    mouse or finger stroke), and an off-centre position that keeps the digit on the canvas.
    """
    fonts = available_pen_fonts() if fonts is None else list(fonts)
    if not fonts:
        fonts = [None]  # Pillow's own font
    rng = np.random.default_rng(seed)
    drawings = []
    for digit in range(10):
        for index in range(per_digit):
            scale = float(rng.uniform(0.35, 0.85))
            settings = {
                "font": fonts[(digit + index) % len(fonts)],
                "angle": round(float(rng.uniform(-15, 15)), 1),
                "scale": round(scale, 3),
                "stroke": max(2, round(float(rng.uniform(0.06, 0.16)) * scale * 280)),
            }
            room = (1 - scale) * 280 / 2 * 0.8  # how far the digit can move and stay on the canvas
            settings["offset"] = tuple(int(v) for v in rng.uniform(-room, room, 2))
            drawings.append((render_digit(digit, **settings), digit, settings))
    return drawings
