"""The arithmetic written out: its sum is rounded as its terms are, so it adds up as shown."""

import numpy as np

from cnnviz.core import explain, ops


def test_a_convolution_sum_has_the_decimals_of_its_terms():
    image = np.array([[10.123, 20.456], [30.789, 60.188]])
    step = ops.conv2d_steps(image, np.ones((2, 2)))[0]
    text = explain.conv_arithmetic(step, np.ones((2, 2)))
    assert text == "10.12×1 + 20.46×1 + 30.79×1 + 60.19×1 + 0 (bias) = 121.56"


def test_pooling_writes_its_result_as_the_pooled_cell_shows_it():
    values = np.array([[0.587, 0.2], [0.1, 0.3]])
    step = ops.pool2d_steps(values, 2, 2, "max")[0]
    assert explain.pool_arithmetic(step, "max") == "max(0.59, 0.2, 0.1, 0.3) = 0.59"


def test_a_step_heading_counts_steps_rows_and_columns_from_one():
    steps = ops.conv2d_steps(np.ones((6, 6)), np.ones((3, 3)), stride=1)
    heading = explain.step_heading(5, steps)
    assert heading == "**Step 6 of 16**: the window at row 2, column 2 writes cell (2, 2)."
    assert explain.step_heading(0, steps, window="3×3×3 window").endswith(
        "the 3×3×3 window at row 1, column 1 writes cell (1, 1)."
    )
    assert explain.cell_text((0, 3)) == "(1, 4)"
