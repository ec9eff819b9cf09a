"""Resident memory of a real `streamlit run app.py` with the model loaded, and what each extra session adds.

Usage: python -m benchmarks.server_memory [--sessions 10] [--port 8651]

Starts the server, opens the Draw page in headless Chromium (which loads TensorFlow and the shipped
model), reads VmRSS from /proc/<pid>/status, then opens more sessions on the Draw page, each in its
own browser context, each drawing one digit, and reads VmRSS again. Chromium's own memory is not counted.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ONE = [[(140, 40), (140, 240)]]  # a 1 as one vertical stroke, in 280×280 canvas points


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port, env=None):
    """`streamlit run app.py` on `port`; returns the process once its health check answers."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start within 60 s")


def resident_mb(pid):
    """VmRSS of process `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)


def draw_strokes(page, strokes, side=280):
    box = page.locator("canvas.upper-canvas").bounding_box()
    scale = box["width"] / side
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=12)
        page.mouse.up()


def open_draw_page(browser, url, timeout_ms=120_000):
    """A new session (browser context) on the Draw page, once its canvas and prompt show."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/draw")
    page.locator("canvas.upper-canvas").wait_for(timeout=timeout_ms)
    page.get_by_text("Draw a digit from 0 to 9").wait_for(timeout=timeout_ms)
    return context, page


def measure_server_memory(sessions=10, port=None):
    """{'idle': MB before any session, 'one session': MB with the model loaded and one digit read,
    'sessions': N extra sessions opened, 'all sessions': MB with them, 'per session': added MB each}."""
    from playwright.sync_api import sync_playwright

    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        idle = resident_mb(server.pid)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            contexts = []
            for count in range(sessions + 1):
                context, page = open_draw_page(browser, url)
                draw_strokes(page, ONE)
                page.locator(".cnnviz-reading").wait_for(timeout=60_000)
                contexts.append(context)
                if count == 0:
                    time.sleep(1)
                    one = resident_mb(server.pid)
            time.sleep(1)
            everyone = resident_mb(server.pid)
            for context in contexts:
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {
        "idle": idle,
        "one session": one,
        "sessions": sessions,
        "all sessions": everyone,
        "per session": (everyone - one) / sessions if sessions else 0.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--port", type=int, default=None)
    arguments = parser.parse_args()
    memory = measure_server_memory(arguments.sessions, arguments.port)
    print(f"server idle (no session):          {memory['idle']:6.0f} MB")
    print(f"one Draw session, model loaded:    {memory['one session']:6.0f} MB")
    print(f"{memory['sessions'] + 1} Draw sessions:                  {memory['all sessions']:6.0f} MB")
    print(f"added per extra session:           {memory['per session']:6.1f} MB")


if __name__ == "__main__":
    main()
