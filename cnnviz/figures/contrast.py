"""Text that reads on any cell colour: WCAG 2.1 relative luminance, contrast ratio, black or white text."""

import re
from functools import lru_cache

import numpy as np

BLACK, WHITE = "#000000", "#FFFFFF"


@lru_cache(maxsize=4096)  # a figure's cells repeat a few colours many times
def rgb(colour):
    """(r, g, b) 0–255 from '#RRGGBB', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' (alpha ignored)."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    numbers = re.findall(r"[\d.]+", colour)
    if len(numbers) < 3:
        raise ValueError(f"Cannot read the colour {colour!r}; expected '#RRGGBB' or 'rgb(r, g, b)'.")
    return tuple(round(float(n)) for n in numbers[:3])


def luminance(colour):
    """WCAG relative luminance: 0 for black, 1 for white."""
    return float(_luminances([rgb(colour)])[0])


def _luminances(colours):
    """WCAG relative luminance of each (r, g, b) 0–255: (N,)."""
    channels = np.asarray(colours, dtype=float).reshape(-1, 3) / 255  # (N, 3)
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ [0.2126, 0.7152, 0.0722]


def contrast_ratio(first, second):
    """WCAG contrast ratio, 1 to 21. Body text needs 4.5 (AA)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background):
    """Black or white, whichever reads better on `background`: always at least 4.58:1."""
    return text_colours([background])[0]


def text_colours(backgrounds):
    """text_colour of each colour in `backgrounds`, computed together (a 28×28 grid's 784 cells at once)."""
    lit = _luminances([rgb(colour) for colour in backgrounds])
    on_black, on_white = (lit + 0.05) / 0.05, 1.05 / (lit + 0.05)  # contrast with black text, with white
    return np.where(on_black >= on_white, BLACK, WHITE).tolist()


def blend(colour, over, alpha):
    """`colour` painted at opacity `alpha` over `over`, as 'rgb(r, g, b)'."""
    mixed = alpha * np.array(rgb(colour)) + (1 - alpha) * np.array(rgb(over))
    return "rgb({}, {}, {})".format(*np.round(mixed).astype(int))
