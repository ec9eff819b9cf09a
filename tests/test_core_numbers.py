"""cnnviz.core.numbers: how numbers are written on screen, and the range a colour scale spans."""

import numpy as np
import pytest

from cnnviz.core.numbers import format_value, value_range


@pytest.mark.parametrize(
    "value, text", [(200, "200"), (0.126, "0.13"), (-0.0, "0"), (3.0, "3"), (-1.5, "−1.5"), (np.nan, "")]
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_value_range_is_symmetric_when_signed():
    assert value_range(np.array([-1.0, 3.0])) == (-3.0, 3.0)
    assert value_range(np.array([np.nan, 2.0])) == (0.0, 2.0)
