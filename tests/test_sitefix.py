"""Findings of a new user's test of the site: search input, snippets, links, calendars."""

import pytest

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
