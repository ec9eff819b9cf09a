"""Soak: a class of browser sessions drawing, uploading and training on one real server for a quarter of an
hour, the server's resident memory sampled every 30 s; after the warm-up it must not keep growing.

Usage: python -m benchmarks.soak [--minutes 15] [--sessions 10] [--warm-up 5] [--port 8652]

Each session is a browser context of its own in one headless Chromium and goes round and round: on the
Draw page it draws a 1 and a 7 and uploads a picture of a digit; then, through the sidebar (the same
Streamlit session), on the Training page it presses Train and waits for the results (trainings capped
small: CNNVIZ_MAX_TRAIN_SIZE=1000, one epoch; they queue for the server's slots); back to Draw. Every
third round a session reloads its page, starting a new Streamlit session as a student who reloads would.
VmRSS of the server process comes from /proc every 30 s. The slope is a least-squares line through the
samples after the warm-up, in MB per minute; this benchmark is outside the test run (it takes its time).
"""

import argparse
import asyncio
import os
import threading
import time
from collections import Counter

from benchmarks.server_memory import resident_mb
from testkit import students
from testkit.servers import start_app

SMALL = {"CNNVIZ_MAX_TRAIN_SIZE": "1000", "CNNVIZ_MAX_EPOCHS": "1"}
SAMPLE_SECONDS = 30
ACTIONS = ("drawings", "uploads", "trainings")


def slope_mb_per_minute(samples):
    """Least-squares slope of (seconds, MB) samples, in MB per minute; None for fewer than two."""
    if len(samples) < 2:
        return None
    times = [t / 60 for t, _ in samples]
    sizes = [mb for _, mb in samples]
    mean_t, mean_mb = sum(times) / len(times), sum(sizes) / len(sizes)
    spread = sum((t - mean_t) ** 2 for t in times)
    return sum((t - mean_t) * (mb - mean_mb) for t, mb in zip(times, sizes, strict=True)) / spread


class MemorySampler(threading.Thread):
    """VmRSS of `pid` every SAMPLE_SECONDS: samples of (seconds since start, MB)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.started = pid, [], time.monotonic()
        self.halt = threading.Event()

    def run(self):
        while True:
            self.samples.append((time.monotonic() - self.started, resident_mb(self.pid)))
            print(f"  {self.samples[-1][0] / 60:5.1f} min  {self.samples[-1][1]:7.1f} MB", flush=True)
            if self.halt.wait(SAMPLE_SECONDS):
                return


TITLES = {"training": "Training", "draw": "Draw and predict"}


async def go_to(page, url, path, ready):
    """Follow the sidebar link to `path` (same Streamlit session); a fresh load where there is no sidebar."""
    link = page.locator("[data-testid='stSidebar']").get_by_role("link", name=TITLES[path], exact=True)
    if await link.count():
        await link.first.click()
    else:
        await page.goto(f"{url}/{path}")
    await page.get_by_text(ready).first.wait_for()


async def session(browser, url, number, until, tally):
    await asyncio.sleep(number * 3)  # a class does not arrive in the same second
    done = tally["sessions"][number]
    context, page = await students.open_student(browser, f"{url}/draw", students.DRAW_READY)
    rounds = 0
    try:
        while time.monotonic() < until:
            try:
                for digit in (1, 7):
                    await students.draw_and_read(page, digit)
                    done["drawings"] += 1
                await students.upload_and_read(page, digit=1)
                done["uploads"] += 1
                await go_to(page, url, "training", students.TRAIN_BUTTON)
                timing = await students.train_and_time(page, timeout_s=max(until - time.monotonic(), 60) + 300)
                if timing["error"]:
                    tally["errors"].append(f"session {number}: {timing['error'][:200]}")
                else:
                    done["trainings"] += 1
                rounds += 1
                if rounds % 3 == 0:
                    await page.goto(f"{url}/draw")  # a reload: a new Streamlit session
                    await page.get_by_text(students.DRAW_READY).wait_for()
                else:
                    await go_to(page, url, "draw", students.DRAW_READY)
            except Exception as error:  # noted, then the student starts over on a fresh page
                tally["errors"].append(f"session {number}: {type(error).__name__}: {str(error)[:200]}")
                await page.goto(f"{url}/draw")
                await page.get_by_text(students.DRAW_READY).wait_for()
    finally:
        await context.close()


async def soak(url, sessions, seconds):
    from playwright.async_api import async_playwright

    tally = {"sessions": [dict.fromkeys(ACTIONS, 0) for _ in range(sessions)], "errors": []}
    async with async_playwright() as playwright:
        browser = await students.launch(playwright)
        try:
            until = time.monotonic() + seconds
            await asyncio.gather(*(session(browser, url, n, until, tally) for n in range(sessions)))
        finally:
            await browser.close()
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--warm-up", type=float, default=5, help="minutes left out of the slope")
    parser.add_argument("--port", type=int, default=None)
    arguments = parser.parse_args()
    server = start_app(arguments.port, env=SMALL)
    sampler = MemorySampler(server.pid)
    print(
        f"soak: {arguments.sessions} sessions for {arguments.minutes:g} min on port {server.port}; VmRSS "
        f"every {SAMPLE_SECONDS} s",
        flush=True,
    )
    sampler.start()
    try:
        tally = asyncio.run(soak(server.url, arguments.sessions, arguments.minutes * 60))
    finally:
        sampler.halt.set()
        sampler.join()
        alive = server.process.poll() is None
        server.stop()
    after = [(t, mb) for t, mb in sampler.samples if t >= arguments.warm_up * 60]
    slope = slope_mb_per_minute(after)
    totals = {action: sum(done[action] for done in tally["sessions"]) for action in ACTIONS}
    print("session  " + "  ".join(f"{action:>9}" for action in ACTIONS))
    for number, done in enumerate(tally["sessions"]):
        print(f"{number:>7}  " + "  ".join(f"{done[action]:>9}" for action in ACTIONS))
    print(
        f"done: {totals['drawings']} drawings read, {totals['uploads']} uploads read, {totals['trainings']} "
        f"trainings to their results, {len(tally['errors'])} errors; server alive to the end: {alive}"
    )
    kinds = Counter(error.split(": ", 1)[1].splitlines()[0][:160] for error in tally["errors"])
    for kind, count in kinds.most_common():
        print(f"  {count:>3} × {kind}")
    peak = max(mb for _, mb in sampler.samples)
    print(f"VmRSS: start {sampler.samples[0][1]:.0f} MB, peak {peak:.0f} MB, end {sampler.samples[-1][1]:.0f} MB")
    if slope is not None:
        print(f"slope after {arguments.warm_up:g} min warm-up ({len(after)} samples): {slope:+.2f} MB per minute")
    os._exit(0 if alive and not tally["errors"] else 1)


if __name__ == "__main__":
    main()
