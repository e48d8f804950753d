"""A real `ratsdaten serve` on a free port and Debian's Chromium, for the tests that need
them (one place for the start-up wait and the browser's flags)."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from etl.serve import serve_argv

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# without the background-networking flags Chromium keeps calling out of a closed network
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(base: str, proc, tries: int, log: Path | None = None) -> None:
    """Poll the server's versions page until it answers; a server that died fails the test
    with the end of its log."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return
        except OSError:
            assert proc.poll() is None, log.read_text()[-2000:] if log else "server died"
            time.sleep(0.1)


@contextmanager
def served(database: Path, env: dict | None = None):
    """The site's base URL while `ratsdaten serve` answers it."""
    port = free_port()
    proc = subprocess.Popen(serve_argv(database, "127.0.0.1", port), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(base, proc, tries=100)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def chromium():
    """Headless Debian Chromium via Playwright; the test is skipped where it is absent."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
