"""Resident memory of a real `streamlit run app.py` with the model loaded, and what each extra session adds.

Usage: python -m benchmarks.server_memory [--sessions 10] [--port 8651]

Starts the server, opens the Draw page in headless Chromium (which loads TensorFlow and the shipped
model), reads VmRSS from /proc/<pid>/status, then opens more sessions on the Draw page, each in its
own browser context, each drawing one digit, and reads VmRSS again. Chromium's own memory is not counted.
"""

import argparse
import time
from pathlib import Path

from testkit.browsers import STROKES, draw_strokes, launch_chromium, open_tab
from testkit.servers import start_app

VIEWPORT = {"width": 1200, "height": 900}


def resident_mb(pid):
    """VmRSS of process `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def measure_server_memory(sessions=10, port=None):
    """{'idle': MB before any session, 'one session': MB with the model loaded and one digit read,
    'sessions': N extra sessions opened, 'all sessions': MB with them, 'per session': added MB each}."""
    from playwright.sync_api import sync_playwright

    server = start_app(port, offline=False)
    try:
        idle = resident_mb(server.pid)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            contexts = []
            for count in range(sessions + 1):
                context, page = open_tab(browser, f"{server.url}/draw", "Draw a digit from 0 to 9", viewport=VIEWPORT)
                draw_strokes(page, STROKES[1])
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
        server.stop()
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
