"""cnnviz.figures.training: the live curves."""

import pytest


def test_smoothing_starts_at_the_first_value_and_gives_a_short_batch_less_weight():
    from cnnviz.figures.training import smooth

    assert smooth([2.0, 2.0, 2.0], span=5).tolist() == pytest.approx([2.0, 2.0, 2.0])
    full, short = smooth([1.0, 1.0, 3.0], span=5), smooth([1.0, 1.0, 3.0], span=5, sizes=[64, 64, 8])
    assert 1.0 < short[-1] < full[-1]
