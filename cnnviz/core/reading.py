"""A network's ten probabilities read as a sentence: the likeliest digit, how sure, and the runners-up."""

from dataclasses import dataclass

import numpy as np

UNSURE_BELOW = 0.6  # below this top probability the network is guessing between digits
# The shipped model is trained to spread its probability evenly over the ten digits for marks that
# are not digits; below this top probability the drawing is read as no digit at all. Chosen on
# validation digits and held-out marks (models/MODEL_CARD.md).
NOT_A_DIGIT_BELOW = 0.3

VERDICTS = ("digit", "unsure", "not a digit")


@dataclass(frozen=True)
class Reading:
    """How sure the network is of one digit, for a page or a notebook to say it in words."""

    digit: int  # the most probable digit
    probability: float  # its probability
    sure: bool  # probability ≥ the threshold
    candidates: tuple  # ((digit, probability), ...) the likeliest digits, at most three, above 10 %
    verdict: str = "digit"  # one of VERDICTS: a digit, unsure between digits, or not a digit at all


def read_probabilities(probabilities, threshold=UNSURE_BELOW, not_a_digit_below=NOT_A_DIGIT_BELOW):
    """A Reading of ten probabilities: the top digit, and whether it clears `threshold`.

    The verdict is "digit" from `threshold` up, "not a digit" below `not_a_digit_below`, else "unsure".
    """
    probabilities = np.asarray(probabilities, dtype=float).ravel()
    if probabilities.shape != (10,):
        raise ValueError(f"Expected ten probabilities, one per digit; got {probabilities.size}.")
    ranking = np.argsort(probabilities)[::-1]
    top = int(ranking[0])
    probability = float(probabilities[top])
    candidates = tuple(
        (int(digit), float(probabilities[digit])) for digit in ranking[:3] if probabilities[digit] >= 0.1
    )
    if probability >= threshold:
        verdict = "digit"
    elif probability < not_a_digit_below:
        verdict = "not a digit"
    else:
        verdict = "unsure"
    return Reading(
        top,
        probability,
        bool(probability >= threshold),
        candidates or ((top, probability),),
        verdict,
    )
