"""The site as a person uses it: a real server on 127.0.0.1 driven by headless Chromium."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from etl.serve import serve_argv

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "data" / "screenshots"
pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(demo_data):
    port = free_port()
    env = dict(os.environ, RATSDATEN_FILES=str(demo_data / "files"))
    proc = subprocess.Popen(serve_argv(demo_data / "ratsdaten.db", "127.0.0.1", port),
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_journalist_searches_reads_a_paper_and_exports(site, browser, tmp_path):
    page = browser.new_page(java_script_enabled=False)  # core content works without JS
    page.goto(site + "/")
    assert "ratsdaten" in page.title()
    shot(page, "01-home")

    page.goto(site + "/ratsdaten/suche")
    page.fill("input[name=suchwort]", "Sozialplanung")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "Sozialplanung" in page.content()
    shot(page, "02-search")

    page.click("a[href^='/-/paper?id=']")
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Deckblatt").count() == 1
    assert page.locator("table.form tr").count() >= 8
    shot(page, "03-paper")

    link = page.locator("a.source").first.get_attribute("href")
    assert link.startswith("/-/file/") and "#page=" in link
    with urllib.request.urlopen(site + link.split("#")[0]) as response:
        assert response.headers["content-type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"

    page.goto(site + "/ratsdaten/papers")
    shot(page, "04-papers")
    href = page.locator("a[href*='.csv']").first.get_attribute("href")
    response = page.request.get(site + href + ("&" if "?" in href else "?") + "_dl=1")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text().splitlines()[0].startswith("id,body_id,body_id_label,reference")
    assert len(response.text().splitlines()) == 41
    page.close()


def test_pages_render_with_javascript_too(site, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site + "/ratsdaten/papers?_facet=submitted_by")
    assert page.locator(".facet-results").count() >= 1
    assert not errors
    page.close()
