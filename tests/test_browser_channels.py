"""The Channels page in a real Chromium against `streamlit run`: step a colour convolution and read its sums."""

import re

import pytest
from playwright.sync_api import expect

from cnnviz.core import ops
from cnnviz.core.numbers import format_value
from cnnviz.data import colour
from testkit import browsers

pytestmark = [pytest.mark.slow, pytest.mark.browser]
NUMBER = r"\(?(−?[\d.]+)\)?"


def number(text):
    return float(text.replace("−", "-"))


def test_stepping_a_colour_convolution_adds_three_channel_sums_and_the_bias(app_url, page):
    page.goto(f"{app_url}/channels?bias=0.5")  # a shared link with a bias
    total = page.locator(".cnnviz-sum")
    total.wait_for(timeout=60_000)
    browsers.wait_for_script(page)  # the step controls are drawn under the step, after the sum
    following = page.get_by_role("button", name="Next")
    expect(following).to_be_visible(timeout=30_000)
    # force: Playwright's actionability wait never settles on this page under the shared test machine's
    # Chromium (the grey page's browser test stalls on the same click); the button is visible and enabled.
    expect(following).to_be_enabled()
    following.click(force=True)
    page.get_by_text("Step 2 of 4").wait_for(timeout=30_000)

    image = colour.make_input(colour.DEFAULT_INPUT)
    expected = ops.conv2d(image, colour.make_filter(colour.DEFAULT_FILTER), bias=0.5)  # (2, 2)
    expect(total).to_have_text(re.compile(f"= {re.escape(format_value(expected[0, 1]))}$"), timeout=30_000)
    text = total.inner_text()
    match = re.search(rf"bias = {NUMBER} \+ {NUMBER} \+ {NUMBER} \+ {NUMBER} = (−?[\d.]+)$", text)
    assert match, text
    red, green, blue, bias, cell = (number(value) for value in match.groups())
    assert bias == 0.5
    assert red + green + blue + bias == pytest.approx(cell, abs=0.005)

    channel_sums = page.locator(".cnnviz-channel-sum").all_inner_texts()
    assert [line.split(":")[0] for line in channel_sums] == ["red", "green", "blue"]
    assert [number(line.rsplit("= ", 1)[1]) for line in channel_sums] == pytest.approx([red, green, blue])

    written = page.get_by_text(re.compile("^Feature map so far")).inner_text()  # the map's text alternative
    first_row = re.search(r"row 1: ([^;]+);", written).group(1).split(", ")
    assert number(first_row[1]) == pytest.approx(cell, abs=0.005)  # the cell this step wrote
