"""cnnviz.core.reading: ten probabilities become a sure or unsure reading."""

import numpy as np

from cnnviz.core.reading import read_probabilities


def test_read_probabilities_is_sure_above_the_threshold():
    probabilities = np.full(10, 0.01)
    probabilities[8] = 0.91

    reading = read_probabilities(probabilities, threshold=0.6)

    assert (reading.digit, reading.sure) == (8, True)


def test_read_probabilities_names_the_candidates_when_not_sure():
    probabilities = np.zeros(10)
    probabilities[[4, 9, 7]] = [0.45, 0.40, 0.15]

    reading = read_probabilities(probabilities, threshold=0.6)

    assert not reading.sure
    assert [digit for digit, _ in reading.candidates] == [4, 9, 7]


def test_a_reading_of_evenly_spread_probabilities_is_not_a_digit():
    reading = read_probabilities(np.full(10, 0.1))

    assert reading.verdict == "not a digit" and not reading.sure


def test_a_reading_between_the_two_thresholds_is_unsure():
    probabilities = np.full(10, 0.55 / 9)
    probabilities[2] = 0.45

    assert read_probabilities(probabilities).verdict == "unsure"


def test_a_sure_reading_is_a_digit():
    probabilities = np.full(10, 0.01)
    probabilities[6] = 0.91

    assert read_probabilities(probabilities).verdict == "digit"
