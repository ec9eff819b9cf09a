"""The Draw page in a real Chromium against `streamlit run app.py`: mouse strokes on the canvas are read right."""

import pytest

from testkit.browsers import CANVAS, STROKES, draw_strokes

pytestmark = [pytest.mark.slow, pytest.mark.browser]


# Ways of writing that MNIST's writers rarely used: a 1 with a long flag, a 7 crossed in the middle.
FLAGGED_1_AND_CROSSED_7 = [
    (1, [[(95, 100), (150, 40), (150, 240)]]),
    (7, [[(75, 50), (205, 50), (120, 240)], [(120, 145), (200, 145)]]),
]


def test_digits_drawn_with_the_mouse_are_read_right(page, app_url):
    draw_and_read(page, app_url, list(STROKES.items()))


def test_a_flagged_1_and_a_crossed_7_drawn_with_the_mouse_are_read_right(page, app_url):
    draw_and_read(page, app_url, FLAGGED_1_AND_CROSSED_7)


def draw_and_read(page, app_url, digits_and_strokes):
    """Draw each digit on the Draw page, wait until the reading shows it, then clear the canvas."""
    from playwright.sync_api import expect

    page.goto(f"{app_url}/draw")
    page.locator(CANVAS).wait_for(timeout=90_000)
    prompt = page.get_by_text("Draw a digit from 0 to 9")
    expect(prompt).to_be_visible(timeout=60_000)
    reading = page.locator(".cnnviz-reading")

    for digit, strokes in digits_and_strokes:
        draw_strokes(page, strokes)
        expect(reading).to_have_text(str(digit), timeout=60_000)
        page.locator(CANVAS).hover()  # the toolbar shows on hover
        page.get_by_role("button", name="Reset canvas & history").click()
        expect(prompt).to_be_visible(timeout=30_000)  # the page is back to a blank canvas
