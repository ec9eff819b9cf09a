"""Figures with their uncertainty: an accuracy with its Wilson interval, calibration error with a bootstrap one."""

import numpy as np

Z_95 = 1.959964  # two-sided 95 % quantile of the normal distribution
CALIBRATION_BINS = 15


def wilson_interval(successes, trials, z=Z_95):
    """(low, high) 95 % Wilson score interval of a proportion `successes / trials`."""
    if trials <= 0:
        raise ValueError(f"A proportion needs at least one trial, got {trials}.")
    p = successes / trials
    denominator = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denominator
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    return float(max(0.0, centre - half)), float(min(1.0, round(centre + half, 12)))


def proportion(flags):
    """{"value", "low", "high", "n"}: the share of True in `flags`, with its 95 % Wilson interval."""
    flags = np.asarray(flags, dtype=bool)
    low, high = wilson_interval(int(flags.sum()), flags.size)
    return {"value": float(flags.mean()), "low": low, "high": high, "n": int(flags.size)}


def by_group(flags, groups):
    """{group: proportion} of the True in `flags` within each value of `groups`, in sorted order."""
    flags, groups = np.asarray(flags, dtype=bool), np.asarray(groups)
    return {str(group): proportion(flags[groups == group]) for group in sorted(set(groups.tolist()))}


def expected_calibration_error(probabilities, labels, bins=CALIBRATION_BINS):
    """How far confidence is from accuracy: the gap |accuracy − mean confidence| in each of `bins`
    equal-width confidence bins, weighted by the share of predictions in the bin."""
    probabilities = np.asarray(probabilities, dtype=np.float64)  # (N, 10)
    labels = np.asarray(labels)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)  # bin k holds (k/bins, (k+1)/bins]
    counts = np.bincount(which, minlength=bins)
    gaps = np.abs(np.bincount(which, correct, bins) - np.bincount(which, confidence, bins))
    return float(gaps.sum() / len(labels)) if counts.sum() else 0.0


def calibration(probabilities, labels, resamples=1000, seed=0):
    """{"value", "low", "high", "n"}: expected calibration error with a 95 % percentile bootstrap interval."""
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    rng = np.random.default_rng(seed)
    samples = [
        expected_calibration_error(probabilities[draw], labels[draw])
        for draw in (rng.integers(0, len(labels), len(labels)) for _ in range(resamples))
    ]
    low, high = np.percentile(samples, [2.5, 97.5])
    return {
        "value": expected_calibration_error(probabilities, labels),
        "low": float(low),
        "high": float(high),
        "n": int(len(labels)),
    }
