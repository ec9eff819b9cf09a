"""testkit.offline and testkit.servers keep the tests offline: a download fails at once, this machine answers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from testkit.servers import OFFLINE_ENV, start_app


def test_a_download_fails_at_once_and_names_the_host():
    started = time.monotonic()
    with pytest.raises(OSError, match="tests run offline: the address of example.org"):
        urllib.request.urlopen("http://example.org/", timeout=30)
    assert time.monotonic() - started < 1


def test_a_connection_to_another_machines_address_is_refused():
    with pytest.raises(OSError, match="tests run offline: a connection to 192.0.2.1:443"):
        socket.create_connection(("192.0.2.1", 443), timeout=30)


def test_this_machine_stays_reachable():
    with (
        socket.create_server(("127.0.0.1", 0)) as server,
        socket.create_connection(server.getsockname(), timeout=5) as client,
    ):
        peer, _ = server.accept()
        client.sendall(b"ok")
        assert peer.recv(2) == b"ok"
        peer.close()


def test_a_process_started_for_the_tests_cannot_download_either():
    download = "import urllib.request; urllib.request.urlopen('http://example.org/', timeout=30)"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", download], env={**os.environ, **OFFLINE_ENV}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "Connection refused" in result.stderr
    assert time.monotonic() - started < 20


@pytest.mark.slow
def test_a_server_that_does_not_answer_in_time_says_how_long_it_was_waited_for():
    with pytest.raises(RuntimeError, match=r"did not answer its health check after waiting \d+ s \(load average"):
        start_app(wait=0.2)
