"""A network's ten probabilities read as a sentence: the likeliest digit, how sure, and the runners-up."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reading:
    """How sure the network is of one digit, for a page to say it in words."""

    digit: int  # the most probable digit
    probability: float  # its probability
    sure: bool  # probability ≥ the threshold
    candidates: tuple  # ((digit, probability), ...) the likeliest digits, at most three, above 10 %


def read_probabilities(probabilities, threshold=0.6):
    """A Reading of ten probabilities: the top digit, and whether it clears `threshold`."""
    probabilities = np.asarray(probabilities, dtype=float).ravel()
    if probabilities.shape != (10,):
        raise ValueError(f"Expected ten probabilities, one per digit; got {probabilities.size}.")
    ranking = np.argsort(probabilities)[::-1]
    top = int(ranking[0])
    candidates = tuple(
        (int(digit), float(probabilities[digit])) for digit in ranking[:3] if probabilities[digit] >= 0.1
    )
    return Reading(
        top,
        float(probabilities[top]),
        bool(probabilities[top] >= threshold),
        candidates or ((top, float(probabilities[top])),),
    )
