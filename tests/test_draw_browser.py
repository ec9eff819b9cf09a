"""The Draw page in a real Chromium against `streamlit run app.py`: mouse strokes on the canvas are read right."""

import math

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SIDE = 280  # canvas pixels


def ellipse(centre, radii, points=48):
    """A closed stroke around an ellipse, starting at the top, as a 0 is drawn."""
    (x, y), (across, down) = centre, radii
    angles = (2 * math.pi * step / points for step in range(points + 1))
    return [(x + across * math.sin(angle), y - down * math.cos(angle)) for angle in angles]


STROKES = {  # each digit as strokes of (x, y) canvas points, drawn the way a student would with a mouse
    1: [[(140, 40), (140, 240)]],
    0: [ellipse((140, 140), (62, 95))],
    7: [[(70, 55), (210, 55), (120, 240)]],
}


def draw(page, strokes):
    box = page.locator("canvas.upper-canvas").bounding_box()
    scale = box["width"] / SIDE
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=12)
        page.mouse.up()


def test_digits_drawn_with_the_mouse_are_read_right(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/draw")
    page.locator("canvas.upper-canvas").wait_for(timeout=90_000)
    prompt = page.get_by_text("Draw a digit from 0 to 9")
    expect(prompt).to_be_visible(timeout=60_000)
    reading = page.locator(".cnnviz-reading")

    for digit, strokes in STROKES.items():
        draw(page, strokes)
        expect(reading).to_have_text(str(digit), timeout=60_000)
        page.locator("canvas.upper-canvas").hover()  # the toolbar shows on hover
        page.get_by_role("button", name="Reset canvas & history").click()
        expect(prompt).to_be_visible(timeout=30_000)  # the page is back to a blank canvas
