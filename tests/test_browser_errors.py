"""An error nobody caught shows a visitor one sentence, never a traceback or a server path; the server logs it all.

A real `streamlit run` with the app's own .streamlit/config.toml serves a page that fails the way a bug
would (a file missing at an absolute path); a real browser opens it.
"""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, free_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CRASH = '''
import streamlit as st

st.title("A page with a bug")
open("/srv/cnnviz-secret/models/missing.keras").read()
'''


@pytest.fixture
def crashing_server(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}", process
    process.terminate()


def test_a_forced_error_shows_a_sentence_and_no_traceback(crashing_server, page):
    url, server = crashing_server
    page.goto(url)
    page.get_by_text("A page with a bug").wait_for(timeout=60_000)
    box = page.locator("[data-testid='stException']")
    box.wait_for(timeout=60_000)
    seen = page.locator("body").inner_text()
    assert "This app has encountered an error" in box.inner_text()
    for leak in ("Traceback", "/srv/cnnviz-secret", "FileNotFoundError", "crash.py", str(ROOT)):
        assert leak not in seen, f"the visitor sees {leak!r}"
    server.terminate()
    log = server.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" in log and "/srv/cnnviz-secret/models/missing.keras" in log
