"""Shared test setup: import `cnnviz` from this checkout; a real app server and a real browser."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def full_mnist():
    """The full MNIST archive where this machine has one: $CNNVIZ_MNIST, or ../shared/data/mnist.npz
    beside the checkout. None elsewhere: `load_mnist` then takes Keras' download or the bundled sample."""
    candidates = [os.environ.get("CNNVIZ_MNIST"), ROOT.parent / "shared" / "data" / "mnist.npz"]
    return next((str(path) for path in candidates if path and Path(path).is_file()), None)


def use_full_mnist(monkeypatch):
    """Point CNNVIZ_MNIST at the full set when there is one, and clear the training caps."""
    path = full_mnist()
    if path:
        monkeypatch.setenv("CNNVIZ_MNIST", path)
    else:
        monkeypatch.delenv("CNNVIZ_MNIST", raising=False)
    for name in ("CNNVIZ_MAX_EPOCHS", "CNNVIZ_MAX_TRAIN_SIZE", "CNNVIZ_MAX_TRAININGS"):
        monkeypatch.delenv(name, raising=False)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(port, env=None):
    """`streamlit run app.py` on `port`; returns the process once the server answers its health check."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start within 60 s")


@pytest.fixture(scope="session")
def app_url():
    """The base URL of a real app server, started once for the browser tests."""
    port = free_port()
    process = start_app(port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium through Playwright.

    Skipped where Chromium is missing, unless CNNVIZ_REQUIRE_BROWSER=1 (CI sets it).
    """
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CNNVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed: apt-get install -y chromium")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab, 1400×1000."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()
