"""The multi-replica setup of docs/deploying.md, run: Debian's nginx with the documented block in front of two
`streamlit run` replicas on loopback ports; browser sessions draw and train through it, sessions spread over
both replicas, and a session keeps its replica (and its run) across a page reload."""

import asyncio
import os
import re
import shutil
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from testkit import students
from testkit.servers import ROOT, free_port, start_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DOCS = ROOT / "docs" / "deploying.md"
SMALL = {"CNNVIZ_MAX_TRAIN_SIZE": "1000", "CNNVIZ_MAX_EPOCHS": "1"}
MOST_BROWSERS = 12  # students opened at most until both replicas serve some (all on one: 1 in 2,048)
LOADED_MB = 400  # a replica that served a Draw session has TensorFlow and the model loaded


def documented_nginx_block():
    """The ```nginx block of docs/deploying.md, as written there."""
    found = re.search(r"```nginx\n(.*?)```", DOCS.read_text(), re.S)
    assert found, "docs/deploying.md has no nginx block"
    return found.group(1)


def nginx_config(block, listen, replicas, folder):
    """A whole nginx.conf around the documented block: its ports swapped for the test's, files under `folder`."""
    block = block.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    for documented, port in zip((8501, 8502), replicas):
        block = block.replace(f"127.0.0.1:{documented}", f"127.0.0.1:{port}")
    temp = {name: folder / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    paths = "\n".join(
        f"    {name}_temp_path {path};"
        for name, path in (
            ("client_body", temp["client"]),
            ("proxy", temp["proxy"]),
            ("fastcgi", temp["fastcgi"]),
            ("uwsgi", temp["uwsgi"]),
            ("scgi", temp["scgi"]),
        )
    )
    return (
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 512; }}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{paths}\n{block}\n}}\n"
    )


@pytest.fixture(scope="module")
def replicas_behind_nginx(tmp_path_factory):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None or shutil.which("chromium") is None:
        if os.environ.get("CNNVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx and chromium are needed: apt-get install -y nginx chromium")
        pytest.skip("nginx or chromium is not installed")
    folder = tmp_path_factory.mktemp("nginx")
    folder.chmod(0o777)  # nginx's workers drop root and keep their temporary files here
    ports = [free_port(), free_port()]
    servers = [start_app(port, env=SMALL) for port in ports]
    listen = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(documented_nginx_block(), listen, ports, folder))
    proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2):
                break
        except OSError:
            assert proxy.poll() is None, proxy.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.3)
    yield f"http://127.0.0.1:{listen}", servers
    proxy.terminate()
    proxy.wait(timeout=20)
    for server in servers:
        server.stop()


def resident_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def through_the_proxy(url, pids):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await students.launch(playwright)
        try:
            opened, readings = [], []
            while len(opened) < MOST_BROWSERS and min(resident_mb(pid) for pid in pids) < LOADED_MB:
                opened.append(await students.open_student(browser, f"{url}/draw", students.DRAW_READY))
                readings.append(await students.draw_and_read(opened[-1][1], 7))
            context, page = opened[0]
            await page.goto(f"{url}/training")
            await page.get_by_role("button", name=students.TRAIN_BUTTON).wait_for()
            timing = await students.train_and_time(page)
            await page.reload()  # a new Streamlit session: through the cookie, on the same replica
            await page.get_by_text("Results of run 1").wait_for(timeout=120_000)
            cookies = {cookie["name"]: cookie["value"] for cookie in await context.cookies()}
            return readings, timing, cookies
        finally:
            await browser.close()


def test_two_replicas_behind_the_documented_nginx_share_the_class_and_keep_each_session(replicas_behind_nginx):
    url, servers = replicas_behind_nginx
    with ThreadPoolExecutor(max_workers=1) as runner:  # async Playwright in a thread of its own
        pids = [server.pid for server in servers]
        readings, timing, cookies = runner.submit(asyncio.run, through_the_proxy(url, pids)).result()
    loaded = [resident_mb(server.pid) for server in servers]
    print(f"\nthrough nginx: readings {[r for _, r in readings]}, training {timing}, replica memory {loaded} MB")
    assert [reading for _, reading in readings] == ["7"] * len(readings)
    assert timing["error"] is None and timing["result"] is not None
    assert "cnnviz_replica" in cookies
    # each replica loads TensorFlow and the model for the sessions it serves: both took some of the class
    assert min(loaded) > LOADED_MB, f"one replica served no Draw session: {loaded} MB"
