"""The Draw page in a real Chromium against `streamlit run app.py`: mouse strokes on the canvas are read right."""

import pytest

from testkit.browsers import CANVAS, STROKES, draw_strokes

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_digits_drawn_with_the_mouse_are_read_right(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/draw")
    page.locator(CANVAS).wait_for(timeout=90_000)
    prompt = page.get_by_text("Draw a digit from 0 to 9")
    expect(prompt).to_be_visible(timeout=60_000)
    reading = page.locator(".cnnviz-reading")

    for digit, strokes in STROKES.items():
        draw_strokes(page, strokes)
        expect(reading).to_have_text(str(digit), timeout=60_000)
        page.locator(CANVAS).hover()  # the toolbar shows on hover
        page.get_by_role("button", name="Reset canvas & history").click()
        expect(prompt).to_be_visible(timeout=30_000)  # the page is back to a blank canvas
