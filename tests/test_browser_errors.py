"""An error nobody caught shows a visitor one sentence, never a traceback or a server path; the server logs it all.

A real `streamlit run` with the app's own .streamlit/config.toml serves a page that fails the way a bug
would (a file missing at an absolute path); a real browser opens it.
"""

import pytest

from testkit.servers import ROOT, start_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CRASH = """
import streamlit as st

st.title("A page with a bug")
open("/srv/cnnviz-secret/models/missing.keras").read()
"""


@pytest.fixture
def crashing_server(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    with start_app(script=script) as server:
        yield server


def test_a_forced_error_shows_a_sentence_and_no_traceback(crashing_server, page):
    server = crashing_server
    page.goto(server.url)
    page.get_by_text("A page with a bug").wait_for(timeout=60_000)
    box = page.locator("[data-testid='stException']")
    box.wait_for(timeout=60_000)
    seen = page.locator("body").inner_text()
    assert "This app has encountered an error" in box.inner_text()
    for leak in ("Traceback", "/srv/cnnviz-secret", "FileNotFoundError", "crash.py", str(ROOT)):
        assert leak not in seen, f"the visitor sees {leak!r}"
    log = server.log_tail(characters=100_000)
    assert "Traceback" in log and "/srv/cnnviz-secret/models/missing.keras" in log
