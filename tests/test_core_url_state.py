"""Shareable links: views round-trip through query parameters; anything else falls back with a notice."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnviz.core.url_state import decode_matrix, encode_matrix, read_view, write_view
from cnnviz.ui import links


def test_matrix_round_trips_through_its_text():
    values = np.array([[0, 0.25, -1.5], [2, 0.125, 3], [1, 1, 1]])
    np.testing.assert_allclose(decode_matrix(encode_matrix(values)), values, atol=1e-3)


def test_defaults_make_an_empty_link():
    assert write_view(links.CONVOLUTION, {f.name: f.default for f in links.CONVOLUTION}) == {}


def test_a_view_round_trips():
    view = {
        "input": np.eye(5),
        "filter": np.ones((2, 2)),
        "stride": 2,
        "padding": 1,
        "activation": "tanh",
        "digit": 17,
        "quiz": 1,
    }
    values, notices = read_view(links.CONVOLUTION, write_view(links.CONVOLUTION, view))
    assert notices == []
    assert {k: v for k, v in values.items() if k not in ("input", "filter")} == {
        "stride": 2,
        "padding": 1,
        "activation": "tanh",
        "digit": 17,
        "quiz": 1,
    }
    np.testing.assert_array_equal(values["input"], np.eye(5))


@pytest.mark.parametrize(
    "params, says",
    [
        ({"stride": "9"}, "stride='9' is not one of 1, 2, 3"),
        ({"digit": "-1"}, "not a whole number from 0 to 1999"),
        ({"digit": "99999"}, "not a whole number"),
        ({"input": "1,2;3"}, "Row 2"),
        ({"input": "a,b;c,d"}, "not a number"),
        ({"input": ";".join([",".join(["1"] * 13)] * 13)}, "larger than 12×12"),
        ({"input": ";".join([",".join(["1"] * 9)] * 9)}, "this page takes sizes 3, 4, 5, 6, 7, 8"),
        ({"filter": "1,2;3,4;5,6"}, "not square"),
        ({"filter": "1e308,0;0,0"}, "too large"),
        ({"input": "1" * 5000}, "too long"),
        ({"activation": "<script>"}, "is not one of"),
    ],
)
def test_bad_parameters_fall_back_with_a_notice(params, says):
    values, notices = read_view(links.CONVOLUTION, params)
    assert values == {}
    assert len(notices) == 1 and says in notices[0] and "using the default" in notices[0]


def test_unknown_parameters_are_ignored():
    assert read_view(links.CONVOLUTION, {"utm_source": "mail"}) == ({}, [])


@given(
    st.dictionaries(
        st.sampled_from(["input", "filter", "stride", "padding", "activation", "digit", "quiz", "step"]),
        st.text(max_size=80),
    )
)
def test_any_parameters_give_values_or_notices_never_an_exception(params):
    values, notices = read_view((*links.CONVOLUTION, links.STEP), params)
    assert len(values) + len(notices) == len(params)


def test_the_bias_round_trips_and_a_bad_one_falls_back_with_a_notice():
    values, notices = read_view(links.CONVOLUTION, write_view(links.CONVOLUTION, {"bias": -0.25}))
    assert values["bias"] == -0.25 and notices == []
    for text in ("lots", "11", "nan", "-inf", "1" * 50):
        values, notices = read_view(links.CONVOLUTION, {"bias": text})
        assert "bias" not in values
        assert len(notices) == 1
        assert "not a number from −10 to 10" in notices[0] or "too long for a number" in notices[0]


def test_a_link_carries_the_last_step_of_the_largest_convolution():
    from cnnviz.core import ops

    image, kernel = np.ones((8, 8)), np.ones((1, 1))
    steps = ops.conv2d_steps(image, kernel, stride=1, padding=2)  # the most steps the page can make
    assert len(steps) == 144 == links.STEP.upper
    values, notices = read_view((*links.CONVOLUTION, links.STEP), {"step": "144", "padding": "2"})
    assert values["step"] == 144 and notices == []


def test_a_pooling_link_carries_the_largest_map_the_convolution_page_makes():
    from cnnviz.core import ops

    feature_map = ops.conv2d_steps(np.arange(64.0).reshape(8, 8), np.ones((1, 1)), stride=1, padding=2).output
    assert feature_map.shape == (12, 12)
    params = write_view(links.POOLING, {"input": feature_map})
    values, notices = read_view(links.POOLING, params)
    assert notices == [] and np.allclose(values["input"], feature_map)


@pytest.mark.parametrize("text", ["²", "٣", "½", "1.5", " 3", "-3", "0x10", "145"])
def test_a_step_that_is_no_whole_number_in_range_gets_the_sentence_naming_it(text):
    values, notices = read_view((links.STEP,), {"step": text})
    assert values == {}
    assert notices == [
        f"Link setting ignored: step={text!r} is not a whole number from 0 to 144; using the default instead."
    ]
