"""Figures with intervals: Wilson's interval for accuracies, expected calibration error and its bootstrap."""

import numpy as np
import pytest

from cnnviz.core.measures import calibration, expected_calibration_error, proportion, wilson_interval


def test_wilson_interval_matches_the_published_value_for_8_of_10():
    low, high = wilson_interval(8, 10)  # Wilson (1927); Newcombe (1998), table I: 0.4902–0.9433

    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_wilson_interval_of_a_perfect_score_reaches_one_and_starts_below_it():
    low, high = wilson_interval(200, 200)

    assert high == 1.0 and 0.98 < low < 0.99


def test_proportion_rejects_an_empty_set():
    with pytest.raises(ValueError, match="at least one trial"):
        proportion([])


def test_calibration_error_is_zero_when_confidence_equals_accuracy():
    probabilities = np.full((10, 10), 0.2 / 9)
    probabilities[:, 0] = 0.8  # 80% sure of digit 0 every time ...
    labels = np.array([0] * 8 + [1] * 2)  # ... and right 8 times in 10

    assert expected_calibration_error(probabilities, labels) == pytest.approx(0.0, abs=1e-12)


def test_calibration_error_is_the_gap_for_a_confidently_wrong_model():
    probabilities = np.zeros((4, 10))
    probabilities[:, 3] = 1.0
    labels = np.array([3, 3, 5, 5])  # 100% sure, half right

    assert expected_calibration_error(probabilities, labels) == pytest.approx(0.5)


def test_calibration_interval_contains_the_value():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10) * 0.3, 500)
    labels = rng.integers(0, 10, 500)

    figure = calibration(probabilities, labels, resamples=100)

    assert figure["low"] <= figure["value"] <= figure["high"] and figure["n"] == 500
