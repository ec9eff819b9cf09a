"""Read a matrix a student typed, and say exactly which cell is wrong when one is."""

import math

import numpy as np

LIMIT = 1000  # larger numbers only hide the lesson and overflow the colour scale


def parse_matrix(rows, name="matrix", limit=LIMIT):
    """Turn rows of cell texts (or numbers) into a float array.

    Raises ValueError naming the row and column of the first bad cell: empty,
    not a number, NaN, infinite, or beyond ±limit.
    """
    rows = [list(row) for row in rows]
    if not rows or not rows[0]:
        raise ValueError(f"The {name} is empty; it needs at least one row and one column.")
    values = np.empty((len(rows), len(rows[0])))
    for r, row in enumerate(rows):
        if len(row) != values.shape[1]:
            raise ValueError(f"Row {r + 1} of the {name} has {len(row)} cells; every row needs {values.shape[1]}.")
        for c, cell in enumerate(row):
            values[r, c] = _parse_cell(cell, f"Row {r + 1}, column {c + 1} of the {name}", limit)
    return values


def _parse_cell(cell, where, limit):
    text = "" if cell is None else str(cell).strip().replace("−", "-").replace(",", ".")
    if text == "" or text.lower() in ("none", "<na>"):
        raise ValueError(f"{where} is empty: type a number such as 0 or 0.5.")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where} is “{text}”, which is not a number: type a number such as 0 or 0.5.") from None
    if math.isnan(value):
        raise ValueError(f"{where} is NaN (not a number): type a real number such as 0 or 0.5.")
    if math.isinf(value):
        raise ValueError(f"{where} is infinite: type a finite number between −{limit} and {limit}.")
    if abs(value) > limit:
        raise ValueError(f"{where} is {text}, too large to be useful here: keep values between −{limit} and {limit}.")
    return value
