"""Students in a browser, for the class tests and the soak benchmark: they draw, upload and train, and are timed.

Async Playwright throughout, so that one process drives a whole class; every student is a browser context
of their own (their own cookies: their own Streamlit session and their own visitor for the job line).
"""

import io
import re
import time

from PIL import Image, ImageDraw

from testkit.browsers import CANVAS, CANVAS_SIDE, STROKES, draw_strokes_async, launch_options

READING = "() => document.querySelector('.cnnviz-reading')?.textContent || false"  # the digit, once read
DRAW_READY = "Draw a digit from 0 to 9"
TRAIN_BUTTON = "Train a new model"
# The Training page as the student sees it, read from the page's text every POLL seconds
PHASE = """() => {
  const text = document.body.innerText;
  if (document.querySelector('[data-testid="stException"]')) return 'exception';
  if (text.includes('Training failed')) return 'failed';
  if (/You already have a training|This server is busy/.test(text)) return 'refused';
  if (/Stopped( by|:)/.test(text)) return 'stopped';
  if (/Results of run \\d+/.test(text)) return 'result';
  if (document.querySelector('.st-key-train_chart_live')) return 'curve';
  if (text.includes(' in line for one of the ')) return 'waiting';
  if (/Epoch \\d+ of \\d+ · batch|Preparing the data|Testing the model/.test(text)) return 'training';
  return 'other';
}"""
WAITING_LINE = (
    "() => [...document.querySelectorAll('[data-testid=\"stAlert\"]')].flatMap(a => a.innerText.split('\\n'))"
    ".find(t => t.includes(' in line for one of the ')) || ''"
)  # the sentence, without the icon's name
ALERT_LINE = (
    '() => [...document.querySelectorAll(\'[data-testid="stAlert"], [data-testid="stException"]\')]'
    ".map(a => a.innerText.trim()).find(t => /Stopped|failed|already have|busy|Error/.test(t)) || ''"
)  # the sentence that says why a training did not reach its result
POLL = 0.5  # seconds; each look lays out the page, and a class of tabs looking often loads the machine they measure


async def launch(playwright):
    """A headless Chromium from an async Playwright (`async_playwright()`)."""
    return await playwright.chromium.launch(**launch_options())


async def open_student(browser, url, ready, viewport=None, timeout_ms=180_000, arrivals=None):
    """A new student (a browser context of their own) on `url`, once `ready` shows; returns (context, page).
    `arrivals`: a ReadingArrivals to watch the page's readings arrive."""
    context = await browser.new_context(viewport=viewport or {"width": 1200, "height": 900})
    page = await context.new_page()
    if arrivals is not None:
        arrivals.watch(page)
    page.set_default_timeout(timeout_ms)
    await page.goto(url, timeout=timeout_ms)
    await page.get_by_text(ready).first.wait_for(timeout=timeout_ms)
    return context, page


async def draw_and_read(page, digit, timeout_ms=90_000):
    """Draw `digit`, wait for the page's reading, clear the canvas; (seconds from mouse-up to reading, reading)."""
    timing = await draw_and_time(page, digit, timeout_ms=timeout_ms)
    return timing["shown"], timing["reading"]


class ReadingArrivals:
    """Notes when each websocket frame carrying a reading reaches a page: `watch(page)` before it opens the app.

    A reading arrives with the rest of its run's output: how long the page then takes to paint it depends on
    that browser's own processor (a student's laptop or phone), which in a test is the server's.
    """

    def __init__(self):
        self.times = []

    def watch(self, page):
        def socket(websocket):
            websocket.on("framereceived", self._frame)

        page.on("websocket", socket)
        return self

    def _frame(self, payload):
        if b"cnnviz-reading" in (payload if isinstance(payload, bytes) else payload.encode()):
            self.times.append(time.perf_counter())

    def first_after(self, moment):
        return next((when for when in self.times if when >= moment), None)


async def draw_and_time(page, digit, arrivals=None, timeout_ms=90_000):
    """Draw `digit` and wait for the page's reading, then clear the canvas.

    Returns {"reading": the digit shown, "shown": seconds from mouse-up until the page shows it, "arrived":
    seconds until its frame reached the page (with `arrivals`, a ReadingArrivals watching the page), else None}.
    """
    await draw_strokes_async(page, STROKES[digit])
    released = time.perf_counter()
    shown = await page.wait_for_function(READING, polling=50, timeout=timeout_ms)
    timing = {"shown": time.perf_counter() - released, "reading": await shown.json_value(), "arrived": None}
    arrived = arrivals.first_after(released) if arrivals is not None else None
    if arrived is not None:
        timing["arrived"] = arrived - released
    await page.locator(CANVAS).hover()  # the toolbar shows on hover
    await page.get_by_role("button", name="Reset canvas & history").click()
    await page.get_by_text(DRAW_READY).wait_for()
    return timing


async def _choose_source(page, name):
    """Press the Draw page's source segment `name`. A click event rather than the mouse: once a stroke is
    drawn, headless Chromium reports the canvas component's box as covering the picker above it."""
    await page.locator("button").filter(has_text=re.compile(f"^{name}$")).evaluate("segment => segment.click()")


def digit_png(digit=1, side=400):
    """A photo-like PNG of a dark digit on light paper, for the upload."""
    image = Image.new("RGB", (side, side), (235, 232, 225))
    pen = ImageDraw.Draw(image)
    scale = side / CANVAS_SIDE
    for stroke in STROKES[digit]:
        pen.line([(x * scale, y * scale) for x, y in stroke], fill=(20, 20, 30), width=int(22 * scale))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def upload_and_read(page, digit=1, timeout_ms=90_000):
    """On the Draw page: switch to 'Upload a picture', upload a digit, wait for the reading; seconds taken."""
    await _choose_source(page, "Upload a picture")
    chooser = page.locator("input[type='file']")
    await chooser.wait_for(state="attached")
    started = time.perf_counter()
    await chooser.set_input_files(
        files=[{"name": f"digit{digit}.png", "mimeType": "image/png", "buffer": digit_png(digit)}]
    )
    await page.wait_for_function(READING, polling=100, timeout=timeout_ms)
    seconds = time.perf_counter() - started
    await _choose_source(page, "Draw")
    await page.get_by_text(DRAW_READY).wait_for()
    return seconds


async def train_and_time(page, pressed_at=None, timeout_s=900):
    """Press Train on the Training page and follow the run to its result.

    Returns {"wait", "first_point", "result"} in seconds from the press (None where never reached),
    "waiting_lines" (what the page said while the student waited, as it changed), "phases" (each phase the
    page went through, with when it began) and "error" (None, or what went wrong). `pressed_at`: a
    perf_counter time to count from instead of the click.
    """
    timing = {"wait": None, "first_point": None, "result": None, "waiting_lines": [], "phases": [], "error": None}
    await page.get_by_role("button", name=TRAIN_BUTTON).click()
    pressed = pressed_at or time.perf_counter()
    deadline = pressed + timeout_s
    while time.perf_counter() < deadline:
        phase = await page.evaluate(PHASE)
        now = time.perf_counter() - pressed
        if not timing["phases"] or timing["phases"][-1][1] != phase:
            timing["phases"].append((round(now, 1), phase))
        if phase in ("exception", "failed", "stopped", "refused"):
            said = await page.evaluate(ALERT_LINE)
            timing["error"] = f"{phase}: {said or (await page.locator('body').inner_text())[-400:]}"
            return timing
        if phase == "waiting":
            line = await page.evaluate(WAITING_LINE)
            if line and (not timing["waiting_lines"] or timing["waiting_lines"][-1][1] != line):
                timing["waiting_lines"].append((round(now, 1), line))
        elif phase in ("training", "curve", "result") and timing["wait"] is None:
            timing["wait"] = now
        if phase in ("curve", "result") and timing["first_point"] is None:
            timing["first_point"] = now
        if phase == "result":
            timing["result"] = now
            return timing
        await page.wait_for_timeout(POLL * 1000)
    timing["error"] = (
        f"no result within {timeout_s} s; phases seen {timing['phases'][-8:]}, now {await page.evaluate(PHASE)!r}; "
        f"the page shows: {(await page.locator('body').inner_text())[-600:]}"
    )
    return timing


def quantile(values, share):
    """The `share` quantile (0–1) of `values`, by the nearest rank; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]
