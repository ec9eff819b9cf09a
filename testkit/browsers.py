"""Headless Chromium for tests and benchmarks: how to launch it, open a page of the app, draw on the canvas."""

import math
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
# Playwright's 30 s default is too short for a page that redraws its figures on two cores shared with a
# test run: every action and wait of a tab opened here may take two minutes.
ACTION_TIMEOUT_MS = 120_000
CANVAS_SIDE = 280  # the Draw page's canvas, in canvas points
CANVAS = "canvas.upper-canvas"  # the layer of the drawable canvas that takes the mouse


def chromium_path():
    """Debian's chromium on PATH, or None."""
    return shutil.which("chromium")


def launch_options():
    """Keyword arguments for `playwright.chromium.launch`, sync or async."""
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS}


def launch_chromium(playwright):
    """A headless Chromium from a sync Playwright (`sync_playwright()`)."""
    return playwright.chromium.launch(**launch_options())


def open_tab(browser, url, ready, *, viewport=VIEWPORT, timeout_ms=120_000):
    """A new session (its own browser context) on `url`, once the text `ready` shows; returns (context, page)."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    page.goto(url, timeout=timeout_ms)
    page.get_by_text(ready).first.wait_for(timeout=timeout_ms)
    return context, page


def wait_for_script(page, timeout_ms=120_000):
    """Wait until the page is connected to its server and the page script has finished running."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout_ms)
    page.wait_for_selector("[data-test-script-state=notRunning]", timeout=timeout_ms)


def ellipse(centre, radii, points=48):
    """A closed stroke around an ellipse, starting at the top, as a 0 is drawn."""
    (x, y), (across, down) = centre, radii
    angles = (2 * math.pi * step / points for step in range(points + 1))
    return [(x + across * math.sin(angle), y - down * math.cos(angle)) for angle in angles]


STROKES = {  # digits as strokes of (x, y) canvas points, drawn the way a student would with a mouse
    1: [[(140, 40), (140, 240)]],
    0: [ellipse((140, 140), (62, 95))],
    7: [[(70, 55), (210, 55), (120, 240)]],
}


def page_points(strokes, box, side=CANVAS_SIDE):
    """Canvas points → page coordinates of the canvas element whose bounding box is `box`."""
    scale = box["width"] / side
    return [[(box["x"] + x * scale, box["y"] + y * scale) for x, y in stroke] for stroke in strokes]


def draw_strokes(page, strokes):
    """Draw `strokes` on the Draw page's canvas with the mouse (sync Playwright page)."""
    for stroke in page_points(strokes, page.locator(CANVAS).bounding_box()):
        page.mouse.move(*stroke[0])
        page.mouse.down()
        for point in stroke[1:]:
            page.mouse.move(*point, steps=12)
        page.mouse.up()


async def draw_strokes_async(page, strokes):
    """draw_strokes for an async Playwright page."""
    for stroke in page_points(strokes, await page.locator(CANVAS).bounding_box()):
        await page.mouse.move(*stroke[0])
        await page.mouse.down()
        for point in stroke[1:]:
            await page.mouse.move(*point, steps=12)
        await page.mouse.up()
