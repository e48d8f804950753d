"""The published site: pages, queries, feeds, exports and the hardening, on the real config."""

from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.shape import TABLES, enable_search, ensure_db_shape
from etl.serve import datasette_instance, load_metadata, serve_argv


@pytest.fixture(scope="module")
def ds(demo_db):
    return datasette_instance(demo_db)


@pytest.fixture(scope="module")
def paper_id(demo_db):
    db = sqlite_utils.Database(demo_db)
    return db.execute("select p.id from papers p join budget_lines b on b.paper_id = p.id "
                      "join paper_versions v on v.paper_id = p.id where v.version_order > 0 "
                      "order by p.id limit 1").fetchone()[0]


def test_metadata_describes_every_table_and_column():
    tables = load_metadata()["databases"]["ratsdaten"]["tables"]
    for name, (columns, _pk, _fks) in TABLES.items():
        assert tables.get(name, {}).get("title"), f"{name} has no title"
        assert tables[name].get("description"), f"{name} has no description"
        missing = set(columns) - set(tables[name].get("columns", {}))
        assert not missing, f"{name}: columns without description: {missing}"


@pytest.mark.asyncio
async def test_home_page_lists_the_database(ds):
    response = await ds.client.get("/")
    assert response.status_code == 200
    assert "Deckblatt als Daten" in response.text


@pytest.mark.asyncio
async def test_sample_papers_are_browsable(ds):
    response = await ds.client.get("/ratsdaten/papers.json?_shape=array&_size=100")
    assert response.status_code == 200
    papers = response.json()
    assert len(papers) == 40
    assert {p["body_id"] for p in papers} == {"beispielrat"}
    assert any(p["reference"].endswith("-NF-02") for p in papers)
    assert all(p["submitted_by"] for p in papers)
    page = await ds.client.get("/ratsdaten/papers")
    assert page.status_code == 200 and "Vorlagen und Anträge" in page.text
    assert 'href="/vorlage/' in page.text  # references link to readable paper pages


@pytest.mark.asyncio
async def test_full_text_search_finds_german_words(ds):
    response = await ds.client.get(
        "/ratsdaten/pages.json?_search=kostengünstigere&_shape=array&_col=file_id&_size=max")
    assert response.status_code == 200
    assert len({r["file_id"] for r in response.json()}) == 40


@pytest.mark.parametrize("query, params", [
    ("suche", {"suchwort": "Sozialplanung"}),
    ("suche", {"suchwort": 'Rad-Verkehr "AND ('}),  # user input never breaks the query
    ("teile_von_woertern", {"wortteil": "planung"}),
    ("vorlagen_mit_kosten", {"mindestbetrag": "10000", "einreicher": "", "jahr": ""}),
    ("summe_je_einreicher_und_jahr", {}),
    ("stellenplan", {}),
    ("fassungen", {"drucksache": "VII-A-08014"}),
    ("gremium_im_zeitraum",
     {"gremium": "Ratsversammlung", "von": "2021-01-01", "bis": "2023-12-31"}),
    ("nachtraeglich_geaenderte_dateien", {}),
    ("nicht_lesbar", {}),
    ("neue_vorlagen", {"suchwort": "", "einreicher": "", "gremium": ""}),
    ("sitzungen_kalender", {}),
])
@pytest.mark.asyncio
async def test_every_canned_query_answers(ds, query, params):
    metadata = load_metadata()["databases"]["ratsdaten"]["queries"][query]
    assert metadata["title"] and metadata["description"]
    qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    response = await ds.client.get(f"/ratsdaten/{query}.json?_shape=array&{qs}")
    assert response.status_code == 200, response.text
    rows = response.json()
    if query not in ("nachtraeglich_geaenderte_dateien", "nicht_lesbar") and '"' not in str(params):
        assert rows, f"{query} found nothing in the sample"


@pytest.mark.asyncio
async def test_money_queries_add_up(ds, demo_db):
    db = sqlite_utils.Database(demo_db)
    # Spending of factions' current papers only: not income, not every version again
    # (the sum over all budget_lines was the bug of issue 15; totals to the cent: test_money.py)
    total = db.execute("""select round(sum(m.amount_eur), 2) from money_lines m
        join current_papers p on p.id = m.paper_id where m.direction = 'expenditure'
        and p.submitter_kind = 'faction' and p.version_role in ('original', 'revision')
        """).fetchone()[0]
    response = await ds.client.get("/ratsdaten/summe_je_einreicher_und_jahr.json?_shape=array")
    assert round(sum(r["summe_eur"] for r in response.json()), 2) == total > 0


@pytest.mark.asyncio
async def test_feeds_atom_and_ics(ds):
    atom = await ds.client.get("/ratsdaten/neue_vorlagen.atom?suchwort=&einreicher=&gremium=")
    assert atom.status_code == 200 and "<feed" in atom.text and atom.text.count("<entry>") == 40
    filtered = await ds.client.get(
        "/ratsdaten/neue_vorlagen.atom?suchwort=Sozialplanung&einreicher=&gremium=")
    assert 0 < filtered.text.count("<entry>") < 40
    ics = await ds.client.get("/ratsdaten/sitzungen_kalender.ics")
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text and "DTSTART:" in ics.text


@pytest.mark.asyncio
async def test_paper_page_shows_the_form_versions_and_files(ds, paper_id):
    old = await ds.client.get(f"/-/paper?id={quote(paper_id)}")
    assert old.status_code == 301 and old.headers["location"].startswith("/vorlage/")
    response = await ds.client.get(old.headers["location"])
    assert response.status_code == 200
    html = response.text
    for part in ("Deckblatt", "Finanzielle Auswirkungen", "Im Haushalt wirksam", "Fassungen",
                 "Dateien", "Beratungsfolge", "Problem melden", "Seite 1"):
        assert part in html, part
    assert "#page=" in html  # provenance links to the exact PDF page
    assert "☒" in html
    assert ",00 €" in html  # amounts in German format


@pytest.mark.asyncio
async def test_paper_page_errors(ds):
    assert (await ds.client.get("/-/paper")).status_code == 404
    assert (await ds.client.get("/-/paper?id=nope")).status_code == 404


@pytest.mark.asyncio
async def test_csv_export_streams_whole_tables(ds):
    response = await ds.client.get("/ratsdaten/pages.csv?_stream=on&_size=max")
    assert response.status_code == 200
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("rowid,id,file_id") or lines[0].startswith("id,file_id")


@pytest.mark.asyncio
async def test_huge_values_are_refused(ds):
    response = await ds.client.get("/ratsdaten.json?sql=select+length(randomblob(999999999))")
    assert response.status_code == 400
    assert "too big" in response.json()["error"]


@pytest.mark.asyncio
async def test_backslash_open_redirect_is_closed(ds):
    for path in ("/\\example.com/", "/%5Cexample.com/", "/%5cexample.com"):
        response = await ds.client.get(path)
        assert response.status_code == 404
        assert "location" not in response.headers


@pytest.mark.asyncio
async def test_security_headers_on_every_page(ds):
    response = await ds.client.get("/ratsdaten/papers")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.asyncio
async def test_settings_suggest_facets_off_and_time_limit(ds):
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["suggest_facets"] is False
    assert 0 < settings["sql_time_limit_ms"] <= 2000
    assert ds.databases["ratsdaten"].is_mutable is False  # immutable mode


def test_production_settings_force_https_urls(demo_db):
    argv = serve_argv(demo_db, "0.0.0.0", 8080, public=True)
    assert ["--setting", "force_https_urls", "on"] == argv[argv.index("force_https_urls") - 1:
                                                         argv.index("force_https_urls") + 2]
    assert "-i" in argv


@pytest.mark.asyncio
async def test_extracted_text_is_escaped(tmp_path):
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    evil = "<script>alert(1)</script>"
    db["papers"].insert({"id": "p1", "reference": "X-1", "name": evil, "submitted_by": evil,
                         "main_file_id": "f1"})
    db["pages"].insert({"id": "f1#p1", "file_id": "f1", "paper_id": "p1", "number": 1,
                        "text": evil})
    enable_search(db)
    site = datasette_instance(path)
    for url in ("/vorlage/X-1", "/ratsdaten/papers", "/ratsdaten/pages", "/suche?q=alert",
                "/-/feed/vorlagen.atom"):
        html = (await site.client.get(url)).text
        assert evil not in html, url
        assert "&lt;script&gt;" in html, url


def test_dockerfile_pins_match_pyproject():
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pins = dict(d.split("==") for d in tomllib.loads(
        (root / "pyproject.toml").read_text())["project"]["dependencies"])
    docker = dict(re.findall(r'"([a-z0-9-]+)==([\w.]+)"', (root / "Dockerfile").read_text()))
    assert docker and all(pins[name] == version for name, version in docker.items())
    assert "--public" in (root / "Dockerfile").read_text()


@pytest.mark.asyncio
async def test_search_across_everything(ds):
    moved = await ds.client.get("/-/search?q=Sozialplanung")  # datasette-search-all's page
    assert moved.status_code == 301 and moved.headers["location"] == "/suche?q=Sozialplanung"
    html = (await ds.client.get(moved.headers["location"])).text
    assert "Weiterentwicklung der Strategischen <mark>Sozialplanung</mark>" in html


@pytest.mark.asyncio
async def test_only_one_arbitrary_sql_query_at_a_time(ds):
    import asyncio

    slow = ("/ratsdaten.json?sql=" + quote("with recursive c(x) as (select 1 union all "
                                           "select x+1 from c) select count(*) from c"))
    responses = await asyncio.gather(*[ds.client.get(slow) for _ in range(3)],
                                     ds.client.get("/ratsdaten/papers.json?_size=1"))
    codes = sorted(r.status_code for r in responses[:3])
    assert 429 in codes and codes.count(429) <= 2  # the others were turned away at once
    assert responses[3].status_code == 200           # normal pages are not held up
    assert any(r.headers.get("retry-after") == "2" for r in responses[:3])
