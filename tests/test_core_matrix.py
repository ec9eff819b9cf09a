"""Reading a typed matrix: every kind of bad cell gets a sentence naming the cell."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnviz.core.matrix import parse_matrix


def test_numbers_and_number_texts_are_read():
    np.testing.assert_array_equal(parse_matrix([["1", "0.5"], [" −2 ", "3,5"]]), [[1, 0.5], [-2, 3.5]])


@pytest.mark.parametrize(
    "cell, says",
    [
        ("a", "not a number"),
        ("", "is empty"),
        (None, "is empty"),
        ("nan", "NaN"),
        ("inf", "infinite"),
        ("1e9", "too large"),
    ],
)
def test_bad_cell_is_named_by_row_and_column(cell, says):
    with pytest.raises(ValueError, match=f"Row 2, column 1 of the filter.*{says}"):
        parse_matrix([["1", "2"], [cell, "3"]], name="filter")


def test_ragged_rows_are_refused():
    with pytest.raises(ValueError, match="Row 2 .* has 1 cells"):
        parse_matrix([["1", "2"], ["3"]])


@given(st.lists(st.lists(st.text(max_size=6), min_size=2, max_size=2), min_size=1, max_size=3))
def test_any_text_gives_a_matrix_or_a_value_error(rows):
    try:
        values = parse_matrix(rows)
    except ValueError as error:
        assert str(error)
    else:
        assert np.all(np.isfinite(values))
