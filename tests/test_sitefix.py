"""Findings of a new user's test of the site: search input, snippets, links, calendars."""

import re
from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.shape import enable_search, ensure_db_shape
from etl.serve import datasette_instance


@pytest.fixture(scope="module")
def ds(demo_db):
    return datasette_instance(demo_db)


@pytest.mark.asyncio
async def test_table_search_reads_fts_syntax_as_plain_words(ds):
    for typed in ('"', 'Verwaltung"', "AND", "(Verwaltung", "Verwaltung NOT"):
        response = await ds.client.get("/ratsdaten/pages.json", params={"_search": typed})
        assert response.status_code == 200, (typed, response.text[:200])
    found = await ds.client.get("/ratsdaten/pages.json", params={"_search": '"Verwaltung'})
    assert found.json()["rows"]


@pytest.mark.asyncio
async def test_canned_search_snippet_marks_words_and_escapes_page_text(ds):
    from etl.site.search import starred_snippet

    assert starred_snippet('a <b>**Ver&waltung**</b> **x') == \
        'a &lt;b&gt;<mark>Ver&amp;waltung</mark>&lt;/b&gt; **x'
    html = (await ds.client.get("/ratsdaten/suche", params={"suchwort": "Verwaltung"})).text
    assert "<mark>Verwaltung</mark>" in html and "**Verwaltung**" not in html


@pytest.fixture
def odd_names(tmp_path):
    """A folder-import paper whose id is a file name with URL syntax in it."""
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert({"id": ODD, "body_id": "b", "name": "Turnhalle Nord",
                         "date": "2022-11-23", "modified": "2022-11-23T09:00:00+01:00"})
    db["pages"].insert({"id": ODD + "#p1", "file_id": ODD, "paper_id": ODD, "number": 1,
                        "text": "Die Turnhalle der Schule wird saniert."})
    db["files"].insert({"id": ODD, "paper_id": ODD, "name": ODD,
                        "created": "2022-11-23T09:00:00+01:00",
                        "modified": "2022-11-24T10:15:00+01:00"}, alter=True)
    db["meetings"].insert_all([
        {"id": "m1", "name": "Rat", "start": "2022-11-23T09:00:00+01:00",
         "end": "2022-11-23T12:30:00+01:00", "location": "Saal, 1. OG"},
        {"id": "m2", "name": "Bauausschuss", "start": "2022-11-24T17:00:00+01:00"}])
    enable_search(db)
    return datasette_instance(path)


ODD = "a&b #1?x=y.pdf"


@pytest.mark.asyncio
async def test_links_of_canned_queries_and_feed_keep_odd_ids_whole(odd_names):
    rows = (await odd_names.client.get("/ratsdaten/suche.json", params={
        "suchwort": "Turnhalle", "_shape": "array"})).json()
    atom = (await odd_names.client.get("/ratsdaten/neue_vorlagen.atom", params={
        "suchwort": "", "einreicher": "", "gremium": ""})).text
    link = rows[0]["seite"]
    assert link == "/-/paper?id=" + quote(ODD, safe="") and f'{link}"/>' in atom
    moved = await odd_names.client.get(link)
    assert moved.status_code == 301
    assert "Turnhalle Nord" in (await odd_names.client.get(moved.headers["location"])).text
    html = (await odd_names.client.get("/ratsdaten/suche", params={"suchwort": "Turnhalle"})).text
    assert f'href="{moved.headers["location"]}"' in html


def events(text: str) -> dict[str, list[str]]:
    return {e.split("UID:")[1].split("\r\n")[0]: e.split("\r\n")
            for e in text.split("BEGIN:VEVENT")[1:]}


@pytest.mark.asyncio
@pytest.mark.parametrize("url", ["/ratsdaten/sitzungen_kalender.ics", "/-/feed/sitzungen.ics"])
async def test_calendars_have_dtstamp_and_only_known_ends(odd_names, url):
    found = events((await odd_names.client.get(url)).text)
    assert set(found) == {"m1", "m2"}
    for lines in found.values():
        assert sum(line.startswith("DTSTAMP:") for line in lines) == 1
    assert "DTSTART:20221123T080000Z" in found["m1"] and "DTEND:20221123T113000Z" in found["m1"]
    assert "DTSTART:20221124T160000Z" in found["m2"]
    assert not any(line.startswith(("DTEND", "DURATION")) for line in found["m2"])


@pytest.mark.asyncio
async def test_canned_search_reads_prefix_phrase_and_or(odd_names):
    async def count(typed):
        return len((await odd_names.client.get("/ratsdaten/suche.json", params={
            "suchwort": typed, "_shape": "array"})).json())
    for typed, expected in (("Schul*", 1), ("Schu*", 1), ("Sc*", 0), ("Turnhalle OR Tafel", 1),
                            ("Turnhalle Tafel", 0), ('"Turnhalle der"', 1),
                            ('"der Turnhalle"', 0), ('"', 0), ("OR", 0), ("Schule NOT(", 0)):
        assert await count(typed) == expected, typed


@pytest.mark.asyncio
async def test_canned_search_says_when_more_results_exist(ds):
    html = (await ds.client.get("/ratsdaten/suche", params={"suchwort": "der"})).text
    assert html.count("<mark>") >= 50 and 'href="/suche?q=der"' in html
    few = (await ds.client.get("/ratsdaten/suche", params={"suchwort": "Verwaltung"})).text
    assert "<mark>" in few and 'href="/suche?q=' not in few


@pytest.mark.asyncio
async def test_paper_page_and_tables_show_german_dates(odd_names):
    moved = await odd_names.client.get("/-/paper?id=" + quote(ODD, safe=""))
    for url in (moved.headers["location"], "/ratsdaten/files", "/ratsdaten/meetings"):
        html = (await odd_names.client.get(url)).text
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style).*?</\1>", "", html, flags=re.S))
        assert not re.search(r"\d{4}-\d\d-\d\dT", text), url
        assert "23.11.2022" in text, url
