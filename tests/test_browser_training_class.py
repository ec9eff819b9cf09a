"""A class pressing Train together on one real `streamlit run`, while one more student draws; and a hostile
visitor clicking every training button in 20 tabs at once.

Class: CNNVIZ_CLASS_SESSIONS (10) students open the Training page, each in a browser context of their own,
and press Train within a few seconds of each other; the server has its default slots (one less than its
cores). A student trains the defaults, capped small (CNNVIZ_MAX_TRAIN_SIZE=1000, one epoch) so the test
stays short; the line and its estimates are what is measured. For each student the table gives the wait
for a slot, the time to the first point of the live curve and to the results, each from the press.
Meanwhile one more student draws digits on the Draw page, before and during the class, timed from
mouse-up until the reading reaches their page (the server's answer, which the test bounds) and until
their browser has painted it (printed): in a classroom every student's browser runs on their own device,
here all eleven run on the server's cores.
"""

import asyncio
import contextlib
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from testkit import students
from testkit.browsers import chromium_path
from testkit.servers import start_app

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.class_load]

SESSIONS = int(os.environ.get("CNNVIZ_CLASS_SESSIONS", "10"))
SMALL = {"CNNVIZ_MAX_TRAIN_SIZE": "1000", "CNNVIZ_MAX_EPOCHS": "1"}
PRESS_SPREAD = 3.0  # seconds over which the class presses Train
CLASS_TIMEOUT = 480  # seconds a student waits for their result (the whole class takes about 2 minutes)
WATCH_SECONDS = 300  # how long the hostile test waits for every tab to show what became of its click
HEALTH_TIMEOUT = 30  # seconds a health check may take on a loaded machine before it counts as unanswered
STARVED_SECONDS = 3.0  # mouse-up → reading on the drawer's page, p95, above which the class starved the pages


@pytest.fixture(scope="module")
def server():
    """One server for the class and the hostile visitor: default slots (cores − 1), small trainings."""
    if chromium_path() is None and os.environ.get("CNNVIZ_REQUIRE_BROWSER") != "1":
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    with start_app(env=SMALL) as server:
        yield server


def note(text):
    """A line of progress on stdout (shown with -s): a class on a slow machine takes minutes."""
    print(f"[{time.strftime('%X')}] {text}", flush=True)


def run_async(coroutine):
    """Run in a thread of its own: other browser tests keep Playwright's sync event loop on this one."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, coroutine).result()


class HealthWatch:
    """Asks /_stcore/health every half second in a thread; notes failures and the slowest answer."""

    def __init__(self, url):
        self.url, self.failures, self.slowest, self.asked = f"{url}/_stcore/health", [], 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    def _watch(self):
        while not self._stop.wait(0.5):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=HEALTH_TIMEOUT) as reply:
                    ok = reply.status == 200
            except OSError as error:
                ok, reply = False, error
            self.asked += 1
            self.slowest = max(self.slowest, time.perf_counter() - started)
            if not ok:
                self.failures.append(str(reply))


# The class


async def trainer(browser, url, number, ready, go):
    result = {"student": number, "error": None}
    try:
        context, page = await students.open_student(browser, f"{url}/training", students.TRAIN_BUTTON)
    except Exception as error:  # counts as this student's error
        result["error"] = f"could not open the page: {type(error).__name__}: {str(error)[:200]}"
        ready.release()
        return result
    ready.release()
    note(f"student {number} is on the Training page")
    await go.wait()
    await asyncio.sleep(PRESS_SPREAD * number / max(SESSIONS - 1, 1))
    try:
        result.update(await students.train_and_time(page, timeout_s=CLASS_TIMEOUT))
        note(
            f"student {number}: wait {result['wait']}, first point {result['first_point']}, "
            f"result {result['result']}, error {result['error']}"
        )
        if await page.locator("[data-testid='stException']").count():
            result["error"] = "an exception box on the page"
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {str(error)[:300]}"
    finally:
        await context.close()
    return result


async def draw_once(page, turn, when, latencies, errors, arrivals):
    """Draw a 1 or a 7 (by turn), note its latencies under `when` ("before" or "during") and a misreading."""
    digit = (1, 7)[turn % 2]
    timing = await students.draw_and_time(page, digit, arrivals)
    if timing["arrived"] is None:
        errors.append(f"the reading of a {digit} {when} the class was shown but its frame was not seen")
        return
    latencies[when].append(timing["arrived"])
    latencies[f"{when} shown"].append(timing["shown"])
    note(
        f"drawer {when} the class: {timing['reading']} arrived in {timing['arrived']:.2f} s, "
        f"shown in {timing['shown']:.2f} s"
    )
    if timing["reading"] != str(digit):
        errors.append(f"drawer read {timing['reading']} for a {digit} {when} the class")


async def drawer(browser, url, class_done, latencies, errors):
    """Draws a 1 and a 7 in turn: four drawings before the class presses Train, then until it is done."""
    arrivals = students.ReadingArrivals()
    context, page = await students.open_student(browser, f"{url}/draw", students.DRAW_READY, arrivals=arrivals)
    try:
        await students.draw_and_read(page, 7)  # the server's first reading loads the model: not counted
        for turn in range(4):
            await draw_once(page, turn, "before", latencies, errors, arrivals)
        latencies["ready"].set()
        turn = 0
        while not class_done.is_set():
            await draw_once(page, turn, "during", latencies, errors, arrivals)
            turn += 1
    except Exception as error:
        note(f"drawer failed: {type(error).__name__}: {str(error)[:200]}")
        errors.append(f"drawer: {type(error).__name__}: {str(error)[:300]}")
        latencies["ready"].set()
    finally:
        await context.close()


async def a_class(url):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        drawers_browser = await students.launch(playwright)  # the drawer's own, as on their own device
        browser = await students.launch(playwright)
        try:
            latencies = {"before": [], "during": [], "before shown": [], "during shown": [], "ready": asyncio.Event()}
            errors = []
            class_done, go, ready = asyncio.Event(), asyncio.Event(), asyncio.Semaphore(0)
            drawing = asyncio.create_task(drawer(drawers_browser, url, class_done, latencies, errors))
            trainers = [asyncio.create_task(trainer(browser, url, n, ready, go)) for n in range(SESSIONS)]
            for _ in range(SESSIONS):
                await ready.acquire()
            await latencies["ready"].wait()  # the drawer's 'before' figures are in
            note("the class presses Train")
            go.set()
            results = await asyncio.gather(*trainers)
            class_done.set()
            await drawing
            return results, latencies, errors
        finally:
            await browser.close()
            await drawers_browser.close()


def seconds(value):
    return "—" if value is None else f"{value:.1f}"


def class_table(results):
    lines = ["student  wait (s)  first curve point (s)  result (s)  first thing the page said while waiting"]
    for result in sorted(results, key=lambda r: r.get("wait") or 0):
        said = result.get("waiting_lines") or [(0, "(started at once)")]
        lines.append(
            f"{result['student']:>7}  {seconds(result.get('wait')):>8}  {seconds(result.get('first_point')):>21}"
            f"  {seconds(result.get('result')):>10}  {said[0][1][:110]}"
        )
    return "\n".join(lines)


def test_a_class_pressing_train_together_all_finish_and_drawing_stays_quick(server):
    url, process = server.url, server.process
    with HealthWatch(url) as health:
        results, latencies, errors = run_async(a_class(url))
    during = latencies["during"]  # mouse up → the reading reaches the drawer's page
    print(f"\n{SESSIONS} students pressed Train within {PRESS_SPREAD:.0f} s ({SMALL}); times from the press:")
    print(class_table(results))
    for name in ("before", "during"):
        for what, values in (("reaches the page", latencies[name]), ("painted", latencies[f"{name} shown"])):
            if values:
                print(
                    f"drawing {name} the class: {len(values)} readings, mouse up → reading {what}: p50 "
                    f"{students.quantile(values, 0.5):.2f} s, p95 {students.quantile(values, 0.95):.2f} s, "
                    f"max {max(values):.2f} s"
                )
    print(f"health check: {health.asked} asked, {len(health.failures)} failed, slowest {health.slowest:.2f} s")
    assert [r["error"] for r in results if r["error"]] == []
    assert all(r["result"] is not None for r in results)
    assert errors == []
    assert health.failures == [] and process.poll() is None
    assert len(during) >= 3, "the drawer should have drawn throughout the class"
    # A guard against trainings starving the pages (a Keras reset or a held lock costs whole seconds), not a
    # speed figure: the figures are printed above. With eleven browsers on the server's two cores the p95
    # was 0.76 s in one run and 1.03 s in another, so a bound at 1 s failed now and then.
    assert students.quantile(during, 0.95) < STARVED_SECONDS
    waited = [r for r in results if r["waiting_lines"]]
    assert waited, "with more students than slots, some must have waited in line"
    for result in waited:  # each waiting student saw their place and an estimate
        assert any(
            "in line for one of the" in line and ("to wait" in line or "starting any moment" in line)
            for _, line in result["waiting_lines"]
        )


# The hostile visitor


async def hostile_tab(context, url, path, ready, button):
    page = await context.new_page()
    page.set_default_timeout(180_000)
    await page.goto(f"{url}/{path}")
    await page.get_by_text(ready).first.wait_for()
    if path == "ann_vs_cnn":
        await page.get_by_text("Rerun the experiments yourself (small)").click()
    await page.get_by_role("button", name=button).wait_for()
    return page


async def visitor_tabs(context, url):
    """A visitor's two tabs, one after the other (the first sets the browser's cookie, as a visitor's would)."""
    training = await hostile_tab(context, url, "training", students.TRAIN_BUTTON, students.TRAIN_BUTTON)
    comparison = await hostile_tab(context, url, "ann_vs_cnn", "Why convolutions?", "Rerun small")
    return (training, students.TRAIN_BUTTON), (comparison, "Rerun small")


async def twenty_tabs(url, capacity):
    """10 visitors × 2 tabs (Training, and the ANN vs CNN rerun) all click their training button at once."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await students.launch(playwright)
        try:
            contexts = [await browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(10)]
            visitors = await asyncio.gather(*(visitor_tabs(context, url) for context in contexts))  # all at once
            tabs = [tab for pair in visitors for tab in pair]
            note("twenty tabs are open")
            await asyncio.gather(*(page.get_by_role("button", name=button).click() for page, button in tabs))
            busy_seen, said, decided = [], {}, set()
            deadline = time.monotonic() + WATCH_SECONDS
            while time.monotonic() < deadline and len(decided) < len(tabs):  # until every tab has an answer
                for index, (page, _) in enumerate(tabs):
                    text = await page.locator("body").inner_text()
                    for line in text.splitlines():
                        if " in line for one of the " in line:
                            busy_seen.append(int(line.split("(")[1].split(" busy")[0]))
                            decided.add(index)
                        if "You already have a training" in line or "This server is busy" in line:
                            said[index] = line
                            decided.add(index)
                    if await page.evaluate(students.PHASE) in ("training", "curve", "result"):
                        decided.add(index)
                    if await page.locator("[data-testid='stProgress']").count():  # its job runs (either page)
                        decided.add(index)
                await asyncio.sleep(0.5)
            note(f"{len(decided)} of {len(tabs)} tabs answered: {len(said)} refused, {len(busy_seen)} waiting lines")
            states = [await page.evaluate(students.PHASE) for page, _ in tabs]
            for page, _ in tabs:  # every tab stops what it started, unless that ended meanwhile
                stop = page.get_by_role("button", name="Stop")
                with contextlib.suppress(PlaywrightTimeout):  # a small training may end between look and click
                    if await stop.count():
                        await stop.first.click(timeout=10_000)
            await asyncio.sleep(2)
            return busy_seen, said, states
        finally:
            await browser.close()


def test_twenty_tabs_clicking_every_training_button_never_exceed_the_slots(server):
    url, process = server.url, server.process
    capacity = max(os.cpu_count() - 1, 1)  # the server's default slots (cnnviz.ml.slots.max_trainings)
    with HealthWatch(url) as health:
        busy_seen, said, states = run_async(twenty_tabs(url, capacity))
    print(
        f"\nbusy slots reported while tabs waited: max {max(busy_seen, default=0)} of {capacity}; "
        f"{len(said)} tabs refused with a sentence; health: {health.asked} asked, "
        f"{len(health.failures)} failed, slowest {health.slowest:.2f} s"
    )
    assert busy_seen and max(busy_seen) <= capacity
    assert len(said) == 10  # one of each visitor's two tabs was told one training at a time
    assert all("one at a time per student" in line for line in said.values())
    assert "exception" not in states
    assert health.failures == [] and process.poll() is None
