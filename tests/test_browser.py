"""The site as a person uses it: a real server on 127.0.0.1 driven by headless Chromium."""

import os
import re
import urllib.request
from pathlib import Path

import pytest
from browsing import chromium, served

SCREENSHOTS = Path(__file__).resolve().parent.parent / "data" / "screenshots"
pytestmark = pytest.mark.browser


class Site(str):
    """The server's address; .db is the database it serves."""


@pytest.fixture(scope="module")
def site(demo_data):
    env = dict(os.environ, RATSDATEN_FILES=str(demo_data / "files"))
    with served(demo_data / "ratsdaten.db", env=env) as url:
        base = Site(url)
        base.db = demo_data / "ratsdaten.db"
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_journalist_searches_reads_a_paper_and_exports(site, browser, tmp_path):
    page = browser.new_page(java_script_enabled=False)  # core content works without JS
    page.goto(site + "/")
    assert "ratsdaten" in page.title()
    shot(page, "00-home-legacy")

    page.goto(site + "/ratsdaten/suche")
    page.fill("input[name=suchwort]", "Sozialplanung")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "Sozialplanung" in page.content()
    shot(page, "02-search")

    page.click("a[href^='/vorlage/']")
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


ENGLISH = re.compile(r"\b(rows?|Search|Apply|This data as|Next page|Powered by|Queries took|"
                     r"descending|sorted by|Custom SQL|Advanced export|Suggested facets|"
                     r"home|Data license|Data source|Menu)\b")


def front_door_pages(site) -> list[tuple[str, str]]:
    import sqlite3

    db = sqlite3.connect(f"file:{site.db}?mode=ro", uri=True)
    reference = db.execute("select reference from papers p join budget_lines b "
                           "on b.paper_id = p.id order by p.date desc limit 1").fetchone()[0]
    org = db.execute("select o.id from organizations o join meetings m on m.organization_id "
                     "= o.id group by o.id order by count(*) desc limit 1").fetchone()[0]
    meeting = db.execute("select a.meeting_id from agenda_items a join consultations c on "
                         "c.agenda_item_id = a.id limit 1").fetchone()[0]
    person = db.execute("select id from persons order by id limit 1").fetchone()[0]
    return [("01-front", "/"), ("02-committee", "/gremium/" + org.split("/")[-1]),
            ("03-meeting", "/sitzung/" + meeting.split("/")[-1]),
            ("04-person", "/person/" + person.split("/")[-1]),
            ("05-paper", "/vorlage/" + reference), ("06-search", "/suche?q=Fahrrad"),
            ("07-table", "/ratsdaten/papers")]


@pytest.mark.parametrize("width", [1280, 390])
def test_front_door_in_german_and_nothing_cut_off(site, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    for name, path in front_door_pages(site):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == "de"
        text = page.inner_text("body")
        assert not ENGLISH.search(text), (path, ENGLISH.search(text))
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (path, overflow)  # wide tables scroll inside their box
        shot(page, f"{name}-{width}")
        if width == 1280 and name in ("01-front", "05-paper"):  # the README's pictures
            page.screenshot(path=str(SCREENSHOTS / f"readme-{name[3:]}.png"))
    page.goto(site + "/suche?q=Fahrrad")
    assert page.locator(".result mark", has_text="Fahrrad").count() >= 5
    page.click(".result h3 a >> nth=0")
    assert page.url.startswith(site + "/vorlage/")
    assert page.locator("table.consultations a[href^='/sitzung/']").count() >= 1
    page.goto(site + "/seiten")  # the sitemap for people; sitemap.xml for machines below
    assert page.locator("a[href='/sitemap.xml']").count() == 1
    assert not ENGLISH.search(page.inner_text("body"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"08-sitemap-{width}")
    sitemap = page.request.get(site + "/sitemap.xml").text()
    assert sitemap.count("<loc>") > 100 and "/vorlage/" in sitemap and "/gremium/" in sitemap
    page.close()
