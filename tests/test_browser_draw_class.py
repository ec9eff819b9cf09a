"""A class at once: 20 sessions on the Draw page of one real `streamlit run` server, drawing digits.

Each session is its own browser context (its own Streamlit session) in one headless Chromium, driven
with Playwright's async API. All 20 open the page and stay connected; then they draw, 5 at a time, a 1
and a 7 with the mouse, clearing the canvas in between. The time from releasing the mouse to the reading
on the page is the latency printed. On 2 cores the 20 browser pages, not the server, take most of the
CPU (a reading costs the server milliseconds), so more sessions drawing at once only queue in the
browser; CNNVIZ_LOAD_SESSIONS and CNNVIZ_LOAD_AT_ONCE change the class for a look on another machine.
The server-wide training cap across sessions of one server is checked by tests/test_browser_training.py.
"""

import asyncio
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout

from testkit.browsers import STROKES, chromium_path, draw_strokes_async, launch_options
from testkit.servers import start_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.class_load,
    pytest.mark.skipif(
        os.environ.get("CNNVIZ_CLASS_LOAD") != "1",
        reason="twenty browsers on the server's own two cores: set CNNVIZ_CLASS_LOAD=1 to run it (docs/deploying.md)",
    ),
]

SESSIONS = int(os.environ.get("CNNVIZ_LOAD_SESSIONS", "20"))
AT_ONCE = int(os.environ.get("CNNVIZ_LOAD_AT_ONCE", "5"))  # sessions drawing at the same moment
DIGITS = (1, 7)
READING = "() => document.querySelector('.cnnviz-reading')?.textContent || false"  # the digit, once shown


class StartGate:
    """Opens once every student has either loaded the page or failed to, so all draw together."""

    def __init__(self, students):
        self.expected, self.arrived, self.open = students, 0, asyncio.Event()

    def arrive(self):
        self.arrived += 1
        if self.arrived >= self.expected:
            self.opened_at = time.perf_counter()
            self.open.set()


async def student(browser, url, number, start_gate, pens):
    """One session: open the Draw page, then draw each digit and time until the page reads it.

    Returns {"latencies": [s, ...], "readings": [digit shown, ...], "errors": [text, ...]}."""
    result = {"latencies": [], "readings": [], "errors": []}
    arrived = False
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(90_000)
    page.on("pageerror", lambda error: result["errors"].append(f"session {number}: page error {error}"))
    try:
        await page.goto(f"{url}/draw", timeout=150_000)
        await page.get_by_text("Draw a digit from 0 to 9").wait_for(timeout=150_000)
        arrived = True
        start_gate.arrive()
        await start_gate.open.wait()  # every student starts drawing together
        async with pens:  # all sessions stay connected; AT_ONCE of them draw at the same moment
            await drawings(page, result)
        shown = await page.locator("[data-testid='stException']").count()
        if shown:
            result["errors"].append(f"session {number}: {shown} exception box(es) on the page")
    except Exception as error:  # a timeout or a lost page counts as an error of this session
        result["errors"].append(f"session {number}: {type(error).__name__}: {str(error)[:300]}")
        if not arrived:
            start_gate.arrive()
    finally:
        await context.close()
    return result


async def drawings(page, result):
    """Draw each digit, note the time from releasing the mouse to the reading, clear the canvas."""
    for turn, digit in enumerate(DIGITS):
        await draw_strokes_async(page, STROKES[digit])
        released = time.perf_counter()
        try:
            shown = await page.wait_for_function(READING, polling=50, timeout=90_000)
        except PlaywrightTimeout:
            raise AssertionError(f"drawing {turn + 1} (a {digit}) was not read within 90 s") from None
        result["latencies"].append(time.perf_counter() - released)
        result["readings"].append(await shown.json_value())
        await page.locator("canvas.upper-canvas").hover()  # the toolbar shows on hover
        await page.get_by_role("button", name="Reset canvas & history").click()
        await page.get_by_text("Draw a digit from 0 to 9").wait_for()


async def classroom(url, sessions):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        try:
            await warm_up(browser, url)
            start_gate, pens = StartGate(sessions), asyncio.Semaphore(AT_ONCE)
            arrived = time.perf_counter()
            results = await asyncio.gather(*(student(browser, url, n, start_gate, pens) for n in range(sessions)))
            loading = start_gate.opened_at - arrived
            return results, loading, time.perf_counter() - start_gate.opened_at
        finally:
            await browser.close()


async def warm_up(browser, url):
    """The first visit loads TensorFlow and the model (once per server process), before the class arrives."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{url}/draw", timeout=150_000)
    await page.get_by_text("Draw a digit from 0 to 9").wait_for(timeout=150_000)
    await context.close()


def test_a_class_of_twenty_drawing_at_once_is_read_right():
    if chromium_path() is None and os.environ.get("CNNVIZ_REQUIRE_BROWSER") != "1":
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    server = start_app()
    started = time.perf_counter()
    try:
        # A thread of its own: other browser tests in this run keep Playwright's sync event loop on this one.
        with ThreadPoolExecutor(max_workers=1) as runner:
            results, loading, drawing = runner.submit(asyncio.run, classroom(server.url, SESSIONS)).result()
    finally:
        alive = server.process.poll() is None
        server_log = server.log_tail(characters=1_000_000)
        server.stop()
    errors = [error for result in results for error in result["errors"]]
    readings = [reading for result in results for reading in result["readings"]]
    latencies = sorted(latency for result in results for latency in result["latencies"])
    assert errors == [], errors[:5]
    expected = [str(digit) for _ in results for digit in DIGITS]
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[18]
    print(
        f"\n{SESSIONS} sessions ({AT_ONCE} drawing at once) × {len(DIGITS)} drawings: {len(latencies)} readings, "
        f"mouse up → reading p50 {p50:.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s; "
        f"pages opened in {loading:.0f} s, drawings took {drawing:.0f} s, {time.perf_counter() - started:.0f} s in all"
    )
    assert alive, "the server died under load"
    assert "Traceback" not in server_log and "Uncaught app exception" not in server_log, server_log[-3000:]
    assert readings == expected
