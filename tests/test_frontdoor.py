"""The front door on the sample council: front page, readable pages, search, feeds,
sitemap – in German, on the real config."""

import re
from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.shape import enable_search, ensure_db_shape
from etl.serve import datasette_instance, load_metadata

ENGLISH = re.compile(r"\b(rows?|Search|Apply|This data as|Next page|Powered by|Queries took|"
                     r"descending|sorted by|Custom SQL|Advanced export|Suggested facets|"
                     r"home|Data license|Data source)\b")


@pytest.fixture(scope="module")
def ds(demo_db):
    return datasette_instance(demo_db)


@pytest.fixture(scope="module")
def sample(demo_db):
    db = sqlite_utils.Database(demo_db)
    one = lambda sql: db.execute(sql).fetchone()  # noqa: E731
    return {"paper": one("select p.reference, p.name, p.id from papers p join consultations c "
                         "on c.paper_id = p.id where c.source = 'cover_sheet' limit 1"),
            "org": one("select o.id, o.name from organizations o join meetings m on "
                       "m.organization_id = o.id group by o.id order by count(*) desc limit 1"),
            "steps": one("select count(distinct committee) from consultations where paper_id = "
                         "(select p.id from papers p join consultations c on c.paper_id = p.id "
                         "where c.source = 'cover_sheet' limit 1)")[0]}


def add_column(table, name: str, kind) -> None:
    """The money model may already declare it (shape.py); older shapes do not."""
    if name not in table.columns_dict:
        table.add_column(name, kind)


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


async def get_ok(ds, url):
    response = await ds.client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.text


@pytest.mark.asyncio
async def test_front_page_shows_newest_totals_and_ways_in(ds, demo_db):
    html = await get_ok(ds, "/")
    assert '<html lang="de">' in html and 'rel="canonical"' in html
    assert 'action="/suche"' in html
    newest = sqlite_utils.Database(demo_db).execute(
        "select name from papers order by date desc limit 1").fetchone()[0]
    assert newest in html
    assert "40</strong> Vorlagen insgesamt" in html
    assert re.search(r"[\d.]+,\d\d €</strong> beantragte Mittel", html)
    for link in ("/ratsdaten/suche", "/gremium/", "/-/feed/vorlagen.atom", "/-/feed/sitzungen.ics"):
        assert link in html, link
    assert not ENGLISH.search(visible_text(html)), ENGLISH.search(visible_text(html))
    chart = html.split('<svg class="chart"')[1].split("</svg>")[0]
    assert chart.count("<rect") >= 2 and ("Mio." in chart or "Tsd." in chart)
    assert html == await get_ok(ds, "/")  # rendered once, served from memory


@pytest.mark.asyncio
async def test_paper_by_reference_with_steps_once_and_links(ds, sample):
    reference, name, paper_id = sample["paper"]
    html = await get_ok(ds, "/vorlage/" + quote(reference))
    assert f"<title>{name}" in html and 'name="description"' in html
    assert f'<link rel="canonical" href="http://localhost/vorlage/{quote(reference)}">' in html
    table = html.split('class="grid consultations"')[1].split("</table>")[0]
    assert table.count("<tr>") - 1 == sample["steps"]  # once per step, not per source
    assert 'href="/sitzung/' in table and 'href="/gremium/' in table
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", table)  # German dates
    assert "gelesen" in html and ">ok<" not in html  # file status in words
    assert '<th scope="row">1' in html  # numbered Beschlusspunkte
    assert not ENGLISH.search(visible_text(html))
    redirect = await ds.client.get("/-/paper?id=" + quote(paper_id))
    assert redirect.status_code == 301
    assert redirect.headers["location"] == "/vorlage/" + quote(reference)
    assert (await ds.client.get("/vorlage/beispielrat/" + quote(reference))).status_code == 200
    from datasette.utils import tilde_encode
    row = await get_ok(ds, "/ratsdaten/papers/" + tilde_encode(paper_id))
    assert f'<a href="/vorlage/{quote(reference)}">Zur Seite der Vorlage</a>' in row
    assert (await ds.client.get("/vorlage/GIBT-ES-NICHT")).status_code == 404
    umlaut = await ds.client.get("/vorlage/VII-A-08014-%C3%84A-01")  # percent-encoded Ä
    assert umlaut.status_code == 200 and "VII-A-08014-ÄA-01" in umlaut.text


@pytest.mark.asyncio
async def test_all_papers_of_a_number_are_linked(ds, demo_db):
    base = sqlite_utils.Database(demo_db).execute(
        "select base_reference from papers group by 1 having count(*) > 2 limit 1").fetchone()[0]
    html = await get_ok(ds, "/vorlage/" + quote(base))
    versions = html.split("Fassungen und Papiere zur selben Nummer")[1].split("</ol>")[0]
    assert versions.count('href="/vorlage/') >= 2


@pytest.mark.asyncio
async def test_committee_meeting_and_person_pages(ds, sample, demo_db):
    org_id, org_name = sample["org"]
    key = org_id.rstrip("/").split("/")[-1]
    html = await get_ok(ds, f"/gremium/{key}")
    assert f"<h1>{org_name}</h1>" in html
    assert f"/-/feed/vorlagen.atom?gremium={key}" in html
    assert "Beratene Vorlagen je Monat" in html and html.count("<rect") >= 2
    assert f"/-/feed/sitzungen.ics?gremium={key}" in html
    meeting = re.search(r'href="(/sitzung/[^"]+)"', html).group(1)
    assert 'href="/vorlage/' in html
    meeting_html = await get_ok(ds, meeting)
    assert "Tagesordnung" in meeting_html and 'href="/vorlage/' in meeting_html
    one = await get_ok(ds, "/-/feed/sitzungen.ics?sitzung=" + meeting.split("/")[-1])
    assert one.count("BEGIN:VEVENT") == 1 and "/-/feed/sitzungen.ics?sitzung=" in meeting_html
    person_id, person = sqlite_utils.Database(demo_db).execute(
        "select id, name from persons limit 1").fetchone()
    person_html = await get_ok(ds, "/person/" + person_id.split("/")[-1])
    assert person in person_html and "Mitgliedschaften" in person_html
    assert 'href="/gremium/' in person_html
    for text in (html, meeting_html, person_html):
        assert not ENGLISH.search(visible_text(text))
    assert (await ds.client.get("/gremium/nix")).status_code == 404
    for missing in ("/nix", "/ratsdaten/nix", "/ratsdaten/papers/nix"):
        error = await ds.client.get(missing)
        assert error.status_code == 404 and "gibt es hier nicht" in error.text
        assert not ENGLISH.search(visible_text(error.text)) and "not found" not in error.text
    assert org_name in await get_ok(ds, "/gremien")


@pytest.mark.asyncio
async def test_search_finds_compounds_page_text_and_survives_syntax(ds):
    html = await get_ok(ds, "/suche?q=Fahrrad")
    assert "<mark>Fahrrad</mark>straße" in html
    assert int(re.search(r"(\d+) Vorlagen gefunden", html).group(1)) >= 5
    page_hit = await get_ok(ds, "/suche?q=kostengünstigere")
    assert "<mark>" in page_hit.split('class="snippet"')[1]
    assert "#page=" in page_hit or "#seite-" in page_hit
    for bad in ('Rad-Verkehr "AND (', "NEAR(", '"', "*", "a OR"):
        assert (await ds.client.get("/suche?q=" + quote(bad))).status_code == 200
    newest = await get_ok(ds, "/suche?q=Fahrrad&sort=neu")
    dates = re.findall(r"· (\d{2})\.(\d{2})\.(\d{4}) ·", newest.split("search-layout")[1])
    assert dates == sorted(dates, key=lambda d: (d[2], d[1], d[0]), reverse=True)
    filtered = await get_ok(ds, "/suche?q=Fahrrad&kind=Antrag")
    assert "Antrag</strong> (" in filtered
    assert "/-/feed/vorlagen.atom?q=Fahrrad" in html
    assert not ENGLISH.search(visible_text(html))


@pytest.mark.asyncio
async def test_feeds_say_what_they_follow(ds, sample):
    key = sample["org"][0].split("/")[-1]
    atom = await get_ok(ds, f"/-/feed/vorlagen.atom?gremium={key}")
    assert f"<title>Neue Vorlagen – beraten im Gremium {sample['org'][1]}" in atom
    assert "<entry>" in atom and "/vorlage/" in atom
    ics = await get_ok(ds, f"/-/feed/sitzungen.ics?gremium={key}")
    assert f"X-WR-CALNAME:Sitzungen {sample['org'][1]}" in ics and "BEGIN:VEVENT" in ics
    everything = await get_ok(ds, "/-/feed/sitzungen.ics")
    assert ics.count("BEGIN:VEVENT") < everything.count("BEGIN:VEVENT")


@pytest.mark.asyncio
async def test_sitemap_and_robots(ds, demo_db):
    sitemap = await get_ok(ds, "/sitemap.xml")
    db = sqlite_utils.Database(demo_db)
    assert sitemap.count("/vorlage/") == db["papers"].count
    assert sitemap.count("/sitzung/") == db["meetings"].count
    assert "/gremium/" in sitemap and "<loc>http://localhost/</loc>" in sitemap
    robots = await get_ok(ds, "/robots.txt")
    assert "Disallow: /*?sql=" in robots and "Disallow: /*.csv" in robots
    assert "Sitemap: http://localhost/sitemap.xml" in robots


@pytest.mark.asyncio
async def test_sitemap_over_the_protocols_limit_is_an_index_of_parts(ds, demo_db):
    # 50,000 URLs per file; Leipzig has more papers than that, the demo more than 30 pages
    whole = re.findall(r"<loc>([^<]+)</loc>", await get_ok(ds, "/sitemap.xml"))
    metadata = load_metadata()
    metadata.setdefault("plugins", {})["ratsdaten-sitemap"] = {"urls_per_file": 30}
    parted = datasette_instance(demo_db, metadata=metadata)
    index = await get_ok(parted, "/sitemap.xml")
    assert index.count("<sitemap>") == (len(whole) + 29) // 30 and "<urlset" not in index
    parts = re.findall(r"<loc>http://localhost(/sitemap-\d+\.xml)</loc>", index)
    assert parts[0] == "/sitemap-1.xml"
    locs = [loc for part in parts
            for loc in re.findall(r"<loc>([^<]+)</loc>", await get_ok(parted, part))]
    assert locs == whole and len(whole) > 60
    missing = await parted.client.get(f"/sitemap-{len(parts) + 1}.xml")
    assert missing.status_code == 404


@pytest.mark.asyncio
async def test_table_pages_german_without_inline_script(ds):
    html = await get_ok(ds, "/ratsdaten/papers?submitted_by=SPD-Fraktion&_sort_desc=date")
    assert "<script>" not in html and "onclick" not in html
    assert "<details class=\"column-descriptions\">" in html
    assert "Eingereicht von: „SPD-Fraktion“" in html and "sortiert nach Datum" in html
    first_header = re.search(r'<th [^>]*data-column="([^"]+)"', html).group(1)
    assert first_header != "id"
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\d\">\d\d\.\d\d\.\d{4}</time>", html)
    for url in ("/ratsdaten", "/ratsdaten/suche?suchwort=Sozialplanung", "/ratsdaten/meetings"):
        text = await get_ok(ds, url)
        assert "<script>" not in text
        assert not ENGLISH.search(visible_text(text)), (url, ENGLISH.search(visible_text(text)))


@pytest.mark.slow  # 8 s
@pytest.mark.asyncio
async def test_paper_page_shows_new_money_fields_when_present(tmp_path):
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert_all([
        {"id": "p1", "body_id": "b", "reference": "X-1", "name": "Klima", "main_file_id": "f1"},
        {"id": "https://rat.example/papers/77", "body_id": "b", "name": "Ohne Nummer"},
        {"id": "https://rat.example/papers/78", "body_id": "b", "reference": "D", "name": "D1"},
        {"id": "https://rat.example/papers/79", "body_id": "b", "reference": "D", "name": "D2"}])
    enable_search(db)
    site = datasette_instance(path)
    plain = await get_ok(site, "/vorlage/X-1")  # without the new tables
    assert "Klimawirkung" not in plain
    assert "Ohne Nummer" in await get_ok(site, "/vorlage/-/77")  # no number: the id's key
    assert "D2" in await get_ok(site, "/vorlage/-/79")  # the same number twice in one body
    moved = await site.client.get("/-/paper?id=https%3A%2F%2Frat.example%2Fpapers%2F78")
    assert moved.headers["location"] == "/vorlage/-/78"
    (tmp_path / "neu").mkdir()
    path2 = tmp_path / "neu" / "ratsdaten.db"
    db2 = sqlite_utils.Database(path2)
    ensure_db_shape(db2)
    add_column(db2["papers"], "spatial_reference", str)
    db2["papers"].insert({"id": "p1", "body_id": "b", "reference": "X-1", "name": "Klima",
                          "main_file_id": "f1", "spatial_reference": "Stadtbezirk Mitte"})
    db2["climate_impacts"].insert({"paper_id": "p1", "relevant": 1, "direction": "positiv",
                                   "extent": "erheblich"}, pk="paper_id", alter=True)
    db2["occasions"].insert({"paper_id": "p1", "ticked": '["Stadtratsbeschluss"]',
                             "other_text": None}, pk="paper_id", alter=True)
    add_column(db2["financial_impacts"], "tax_vat_liable", int)
    db2["financial_impacts"].insert({"paper_id": "p1", "tax_vat_liable": 1})
    db2["votes"].insert({"id": "f1#vote1", "paper_id": "p1", "file_id": "f1", "page": 3,
                         "agenda_item": "7", "result": "einstimmig",
                         "text": "Einstimmig beschlossen."})
    enable_search(db2)
    html = await get_ok(datasette_instance(path2), "/vorlage/X-1")
    for part in ("Klimawirkung", "positiv", "erheblich", "Stadtratsbeschluss",
                 "Stadtbezirk Mitte", "Umsatzsteuerpflichtig", "Abstimmungen laut Niederschrift",
                 "Einstimmig beschlossen."):
        assert part in html, part


@pytest.mark.asyncio
async def test_front_page_counts_money_lines_when_present(tmp_path):
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["bodies"].insert({"id": "b", "name": "Beispielstadt"})
    add_column(db["papers"], "submitter_kind", str)
    db["papers"].insert_all([
        {"id": "p1", "body_id": "b", "reference": "A-1", "name": "Radweg", "year": 2024,
         "date": "2024-03-01", "submitter_kind": "faction", "submitted_by": "X-Fraktion"},
        {"id": "p2", "body_id": "b", "reference": "A-1-NF", "name": "Radweg neu", "year": 2024,
         "date": "2024-04-01", "submitter_kind": "faction", "submitted_by": "X-Fraktion"}])
    db.execute("drop view if exists current_papers")
    db.execute("create view current_papers as select * from papers where id = 'p2'")
    db["money_lines"].insert_all(alter=True, records=[
        {"id": "m1", "paper_id": "p2", "direction": "expenditure", "per_year": 0,
         "year_from": 2025, "amount_eur": 1000.0},
        {"id": "m2", "paper_id": "p2", "direction": "income", "per_year": 0,
         "year_from": 2025, "amount_eur": 500.0},
        {"id": "m3", "paper_id": "p2", "direction": "expenditure", "per_year": 1,
         "year_from": 2025, "amount_eur": 70.0},
        {"id": "m4", "paper_id": "p1", "direction": "expenditure", "per_year": 0,
         "year_from": 2025, "amount_eur": 900.0}])  # an older version: not counted again
    enable_search(db)
    html = await get_ok(datasette_instance(path), "/")
    assert "1.000,00 €</strong> beantragte Mittel" in html
    chart = html.split('<svg class="chart"')[1]
    assert "Fraktionen 2025: 1.000" in chart


@pytest.mark.asyncio
async def test_search_finds_compound_parts_in_page_text_with_the_optional_index(tmp_path):
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert({"id": "p1", "body_id": "b", "reference": "R-1", "name": "Verkehr"})
    db["pages"].insert({"id": "f1#p1", "file_id": "f1", "paper_id": "p1", "number": 1,
                        "text": "Die neue Fahrradstraße entlastet die Innenstadt."})
    enable_search(db, full_text_trigram=True)
    html = await get_ok(datasette_instance(path), "/suche?q=Fahrrad")
    assert "1 Vorlage gefunden" in html and 'href="/vorlage/R-1"' in html
