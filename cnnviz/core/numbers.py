"""How numbers read on screen: one cell label format, one colour range for a set of arrays."""

import numpy as np

DECIMALS = 2  # what a view shows at most: a cell, each term of a sum and the sum itself, so sums add up as shown


def format_value(value, decimals=DECIMALS):
    """A short, readable cell label: '' for NaN, no trailing zeros, − for minus."""
    if not np.isfinite(value):
        return ""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


def value_range(*arrays):
    """(zmin, zmax) covering every finite value; symmetric about zero when any is negative."""
    finite = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if low < 0:
        edge = max(-low, high, 1e-9)
        return -edge, edge
    return 0.0, max(high, 1e-9)


def scientific_text(value):
    """A large or tiny number for a beginner: '1.237 × 10^14 (shown as 1.237e+14)'; '2,516' when short."""
    text = f"{value:.4g}"
    if "e" not in text:
        return f"{float(text):,.10g}"
    mantissa, exponent = text.split("e")
    return f"{mantissa} × 10^{int(exponent)} (shown as {text})"
