"""A real `streamlit run app.py` for tests and benchmarks: a free port, start, wait for its health check, stop."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A cold start imports Streamlit and plotly; on two cores shared with a test run and a browser that took
# over 20 s. Four minutes is generous; CNNVIZ_SERVER_WAIT changes it.
HEALTH_WAIT = float(os.environ.get("CNNVIZ_SERVER_WAIT", "240"))
# Every download the server tries goes to a closed local port and fails at once, as offline.
OFFLINE_ENV = {
    name: value
    for proxy in ("http_proxy", "https_proxy")
    for name, value in ((proxy, "http://127.0.0.1:9"), (proxy.upper(), "http://127.0.0.1:9"))
} | {"no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """A running `streamlit run app.py`; `url` is its base address. Stop it with stop() or a with-block."""

    def __init__(self, process, port, log):
        self.process, self.port, self._log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, characters=3000):
        """The end of what the server wrote (its output and its log)."""
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace")[-characters:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_app(port=None, env=None, *, script="app.py", offline=True, wait=None):
    """Start `streamlit run app.py` (or `script`) from the checkout; return the AppServer once /_stcore/health
    answers. Its output and log go to a file: `log_tail()`.

    `env` is added to this process's environment; `offline` (the default for tests) sends any download
    the server tries to a closed port. Gives up after `wait` seconds (HEALTH_WAIT) with how long it
    waited, the machine's load and the end of the server's log.
    """
    port = port or free_port()
    wait = HEALTH_WAIT if wait is None else wait
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]  # an edit to the checkout mid-test must not reload modules
    environment = {**os.environ, **(OFFLINE_ENV if offline else {}), **(env or {})}
    # stderr goes to a file the AppServer closes on stop(): a pipe nobody reads could fill and block the server
    log = tempfile.NamedTemporaryFile("w+", prefix="cnnviz-server-", suffix=".log")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    server = AppServer(process, port, log)
    started = time.monotonic()
    while time.monotonic() - started < wait:
        if process.poll() is not None:
            tail = server.log_tail()
            server.stop()
            raise RuntimeError(f"streamlit exited with code {process.returncode} while starting:\n{tail}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    waited = time.monotonic() - started
    tail = server.log_tail()
    server.stop()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    raise RuntimeError(
        f"streamlit on port {port} did not answer its health check after waiting {waited:.0f} s "
        f"(load average {load}; set CNNVIZ_SERVER_WAIT to wait longer). Its log ends:\n{tail}"
    )
