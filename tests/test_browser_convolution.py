"""The Convolution page in a real Chromium against `streamlit run`: step forward and read the sum."""

import re

import pytest
from playwright.sync_api import expect

from cnnviz.core import ops
from cnnviz.core.numbers import format_value
from cnnviz.data import presets

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def expected_sum(step):
    image = presets.make_input(presets.DEFAULT_INPUT)
    kernel = presets.make_filter(presets.DEFAULT_FILTER)
    return format_value(ops.conv2d_steps(image, kernel)[step].value)


def test_stepping_forward_shows_the_next_sum(app_url, page):
    page.goto(f"{app_url}/convolution")  # a shared link, opened first
    total = page.locator(".cnnviz-sum")
    total.wait_for(timeout=60_000)
    expect(total).to_have_text(re.compile(f"= {expected_sum(0)}$"), timeout=30_000)

    page.get_by_role("button", name="Next").click()
    page.get_by_text("Step 2 of 16").wait_for(timeout=30_000)
    expect(total).to_have_text(re.compile(f"= {expected_sum(1)}$"), timeout=30_000)  # the sum redraws after the title
    assert page.get_by_text("Concepts", exact=True).is_visible()  # app.py's navigation
