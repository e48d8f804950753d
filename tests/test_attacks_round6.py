"""Round 6 of attacks on the site, in process: a database whose every source value is
hostile (markup, script addresses, control characters, CR/LF, no dates where dates belong)
through every page, feed and calendar; cached pages and the Host header; feeds of
written SQL."""

import re
import sqlite3
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.shape import enable_search, ensure_db_shape
from etl.serve import datasette_instance, load_metadata
from etl.site.keys import Keys

HTML = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
CTRL = "Kita\x01\x08\x0b\x1f\ufffe Ende"
SCRIPT_URLS = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
               "\x01javascript:alert(1)", "java\tscript:alert(1)", "//evil.example/x",
               'https://ok.example/x"onmouseover="alert(1)', "vbscript:msgbox(1)"]
ICS_BREAK = "Rat\r\nBEGIN:VEVENT\r\nUID:injected\r\nEND:VEVENT"
OPARL = "https://oparl.example/"
SAFE_HREF = ("/", "http://", "https://", "#", "?", "mailto:")


def write_hostile_db(path):
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["bodies"].insert({"id": "b", "name": HTML, "website": SCRIPT_URLS[0]}, alter=True)
    refs = ["../x", "//evil.example", "A\nB", "X-1", "javascript:alert(1)", CTRL, "?x=1#y", "X-1"]
    for n, ref in enumerate(refs):
        pid, fid = f"{OPARL}paper/{n}", f"f{n}"
        db["papers"].insert({
            "id": pid, "body_id": "b", "reference": ref, "base_reference": ref,
            "name": CTRL + HTML, "submitted_by": HTML if n % 2 else CTRL, "year": 2024,
            "date": f"2024-0{1 + n}-01", "web": SCRIPT_URLS[n], "document_kind": HTML,
            "modified": "kein Datum\x01" if n == 2 else "2024-05-01T10:00:00+02:00",
            "main_file_id": fid, "spatial_reference": HTML}, alter=True)
        db["files"].insert({"id": fid, "paper_id": pid, "role": "main", "name": HTML + CTRL,
                            "access_url": SCRIPT_URLS[(n + 1) % 8], "status": "ok",
                            "download_url": SCRIPT_URLS[(n + 2) % 8], "pages": 1,
                            "sha256": "a" * 64, "modified": CTRL}, alter=True)
        db["pages"].insert({"id": f"{fid}#p1", "file_id": fid, "paper_id": pid, "number": 1,
                            "text": "Kita Fahrradstraße " + HTML + CTRL}, alter=True)
        db["consultations"].insert({
            "id": f"c{n}", "paper_id": pid, "meeting_id": f"{OPARL}meeting/1",
            "organization_id": f"{OPARL}org/1", "committee": HTML, "role": CTRL,
            "date": "2024-01-01", "source": "oparl"}, alter=True)
    db["organizations"].insert_all([
        {"id": f"{OPARL}org/1", "body_id": "b", "name": HTML, "short_name": CTRL,
         "web": SCRIPT_URLS[0]},
        {"id": f"{OPARL}org/javascript:alert(1)", "body_id": "b", "name": CTRL}], alter=True)
    db["persons"].insert_all([{"id": f"{OPARL}person/1", "body_id": "b", "name": HTML},
                              {"id": f"{OPARL}person/..", "body_id": "b", "name": CTRL}],
                             alter=True)
    db["memberships"].insert({"id": "ms1", "person_id": f"{OPARL}person/1",
                              "organization_id": f"{OPARL}org/1", "role": HTML}, alter=True)
    db["meetings"].insert_all([
        {"id": f"{OPARL}meeting/1", "body_id": "b", "name": ICS_BREAK + HTML,
         "start": "2024-01-01T17:00:00+01:00", "end": "2024-01-01T19:00:00+01:00",
         "location": ICS_BREAK + CTRL, "organization_id": f"{OPARL}org/1", "web": HTML},
        {"id": f"{OPARL}meeting/2\r\nX", "body_id": "b", "name": CTRL, "start": "garbage",
         "organization_id": f"{OPARL}org/1"}], alter=True)
    db["agenda_items"].insert({"id": "ai1", "meeting_id": f"{OPARL}meeting/1", "number": HTML,
                               "name": HTML, "result": CTRL, "paper_id": f"{OPARL}paper/0"},
                              alter=True)
    db["votes"].insert({"id": "v1", "paper_id": f"{OPARL}paper/0", "file_id": "f0",
                        "agenda_item": HTML, "page": 1, "result": CTRL, "text": HTML}, alter=True)
    db["occasions"].insert({"paper_id": f"{OPARL}paper/0", "file_id": "f0", "ticked": HTML,
                            "other_text": CTRL}, alter=True)
    db["climate_impacts"].insert({"paper_id": f"{OPARL}paper/0", "file_id": "f0",
                                  "relevant": 7, "direction": HTML, "extent": CTRL}, alter=True)
    db["money_lines"].insert({"id": "ml1", "paper_id": f"{OPARL}paper/0", "file_id": "f0",
                              "source": HTML, "direction": "expenditure", "budget": HTML,
                              "kind": CTRL, "year_from": "abc", "amount_eur": 1e300},
                             alter=True)
    enable_search(db)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = write_hostile_db(tmp_path_factory.mktemp("hostile") / "ratsdaten.db")
    return path, datasette_instance(path)


def site_urls(path) -> list[str]:
    keys = Keys(sqlite3.connect(path))
    urls = ["/", "/suche?q=Kita", "/suche?q=Fahrrad&sort=neu", "/gremien", "/seiten",
            "/ratsdaten"]
    urls += [keys.paper_url(pid) for pid in keys.paper_ref]
    for kind in ("gremium", "sitzung", "person"):
        urls += [keys.url(kind, oparl_id) for oparl_id in keys.key_of[kind]]
    tables = [r[0] for r in sqlite3.connect(path).execute(
        "select name from sqlite_master where type in ('table', 'view') "
        "and name not like '%fts%' and name not like '%trigram%'")]
    urls += [f"/ratsdaten/{t}" for t in tables]
    urls += [f"/ratsdaten/{q}" for q in load_metadata()["databases"]["ratsdaten"]["queries"]]
    return urls


def feed_urls(path) -> list[str]:
    keys = Keys(sqlite3.connect(path))
    urls = ["/-/feed/vorlagen.atom", "/-/feed/vorlagen.atom?q=Kita",
            "/-/feed/vorlagen.atom?einreicher=" + quote(HTML),
            "/-/feed/vorlagen.atom?q=%01%0b", "/-/feed/sitzungen.ics",
            "/ratsdaten/neue_vorlagen.atom", "/ratsdaten/sitzungen_kalender.ics"]
    for kind, arg in (("gremium", "gremium"), ("person", "person"), ("sitzung", "sitzung")):
        for key in keys.key_of[kind].values():
            urls.append(f"/-/feed/sitzungen.ics?{arg}={quote(key)}")
            if kind == "gremium":
                urls.append(f"/-/feed/vorlagen.atom?gremium={quote(key)}")
    return urls


@pytest.mark.asyncio
async def test_every_page_of_a_hostile_database_answers_escaped_with_safe_links(hostile):
    path, ds = hostile
    for url in site_urls(path):
        response = await ds.client.get(url)
        assert response.status_code in (200, 404), (url, response.text[:300])
        html = response.text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        hrefs = re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', html)
        unsafe = [h for h in hrefs if h.strip() and (not h.strip().lower().startswith(SAFE_HREF)
                                                     or h.startswith("//"))]
        assert not unsafe, (url, unsafe)
        assert not [h for h in hrefs if re.search(r"/\.\.?(/|$)", h)], url  # ../x → /x


@pytest.mark.asyncio
async def test_feeds_and_calendars_of_hostile_rows_stay_well_formed(hostile):
    path, ds = hostile
    for url in feed_urls(path):
        response = await ds.client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        if ".atom" in url:  # one bad character made feed readers drop the whole feed
            root = ET.fromstring(response.content)
            links = [e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link")]
            assert all(h.startswith(("http://", "https://", "/")) for h in links), url
            continue
        lines = response.text.split("\r\n")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", response.text), url
        assert all(not line or re.match(r"[A-Z-]+[:;]| ", line) for line in lines), url
        assert max(len(line.encode()) for line in lines) <= 75, url  # folded (RFC 5545)
        assert "UID:injected" not in lines and lines.count("BEGIN:VEVENT") == lines.count(
            "END:VEVENT"), url
        assert all(line[4:].startswith("http") for line in lines if line.startswith("URL:"))
    calendar = (await ds.client.get("/-/feed/sitzungen.ics")).text.split("\r\n")
    assert any(line.startswith(" ") for line in calendar)  # the long names were folded
    feed = (await ds.client.get("/-/feed/vorlagen.atom")).text
    assert "<updated>kein Datum" not in feed and "Kita Ende" in feed  # dropped, text kept


@pytest.mark.asyncio
async def test_feeds_of_written_sql_are_feeds_or_the_visitors_error(hostile):
    _path, ds = hostile
    for select, status in (
            ("'x' as atom_id, 'kein Datum' as atom_updated, 'x' as atom_title, '/x' as atom_link",
             200),
            ("'x' as atom_id, null as atom_updated, 't' || char(1) as atom_title, "
             "'/x' as atom_link", 200),
            ("'x' as atom_id, '2020-01-01' as atom_updated, 't' as atom_title", 400),
            ("null as atom_id, '2020-01-01' as atom_updated, null as atom_title", 400),
            ("'x' as atom_id, '2020-01-01' as atom_updated, 't' as atom_title, "
             "'javascript:alert(1)' as atom_link", 400)):
        response = await ds.client.get("/ratsdaten.atom?sql=" + quote("select " + select))
        assert response.status_code == status, (select, response.text[:300])
        if status == 200:
            assert ET.fromstring(response.content).tag.endswith("feed")
        else:
            assert "Atom-Feed" in response.text


@pytest.mark.asyncio
async def test_cached_pages_do_not_keep_the_first_visitors_host(tmp_path):
    """Pages rendered once per process carried the Host header of whoever came first in
    their canonical link: one request with `Host: evil.example` after a deploy, and every
    visitor's copy named evil.example as the page's address."""
    path = write_hostile_db(tmp_path / "ratsdaten.db")
    ds = datasette_instance(path)
    keys = Keys(sqlite3.connect(path))
    pages = ["/", keys.paper_url(f"{OPARL}paper/3"), keys.url("gremium", f"{OPARL}org/1"),
             keys.url("person", f"{OPARL}person/1"), keys.url("sitzung", f"{OPARL}meeting/1")]
    for page in pages:
        first = await ds.client.get(page, headers={"host": "attacker.test"})
        again = await ds.client.get(page)
        assert first.status_code == again.status_code == 200, page
        canonical = re.findall(r'rel="canonical" href="([^"]*)"', again.text)
        assert canonical and canonical[0].startswith("http://localhost/"), (page, canonical)
        assert "attacker.test" not in again.text and "\x00" not in again.text, page
        assert 'href="http://attacker.test/' in first.text  # each visitor gets their own


@pytest.mark.asyncio
async def test_table_pages_of_many_rows_keep_their_labels(tmp_path):
    """SQLite's variable limit (250, against written SQL with thousands of :names) also
    hit Datasette's own label lookup: /ratsdaten/pages?_size=max – 1,000 pages of 500
    papers – answered 400 "Zu viele Parameter" on any real council."""
    from bench.serving import write_site_db

    ds = datasette_instance(write_site_db(tmp_path / "ratsdaten.db", papers=500))
    for url in ("/ratsdaten/pages?_size=max", "/ratsdaten/pages.json?_size=max&_labels=on",
                "/ratsdaten/files?_size=600"):
        response = await ds.client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
    labels = (await ds.client.get("/ratsdaten/pages.json?_size=max&_labels=on")).json()
    assert len(labels["rows"]) == 1000
    assert labels["rows"][-1]["paper_id"] == {"value": "p00499", "label": "2024/0499"}
    many = "select " + ", ".join(f":p{n}" for n in range(251))
    for url in ("/ratsdaten.json?sql=" + quote(many),
                "/ratsdaten/papers.json?_where=" + quote("id in (" + many[7:] + ")")):
        response = await ds.client.get(url)
        assert response.status_code == 400 and "too many SQL variables" in response.text
    fine = await ds.client.get("/ratsdaten.json?sql=" + quote("select '10:00:00', :a, :b")
                               + "&a=1&b=2")
    assert fine.status_code == 200 and fine.json()["rows"] == [["10:00:00", "1", "2"]]


@pytest.mark.asyncio
async def test_stored_pdfs_are_streamed_not_read_whole(tmp_path, monkeypatch):
    """Straight through the ASGI app (a test client would buffer the body itself)."""
    import hashlib
    import tracemalloc

    from etl.site.files import FILES_ENV

    body = b"%PDF-1.4\n" + bytes(range(256)) * (8 * 4096)  # 8 MB
    sha = hashlib.sha256(body).hexdigest()
    folder = tmp_path / "files" / sha[:2] / sha[2:4]
    folder.mkdir(parents=True)
    (folder / f"{sha}.pdf").write_bytes(body)
    monkeypatch.setenv(FILES_ENV, str(tmp_path / "files"))
    ds = datasette_instance(write_hostile_db(tmp_path / "ratsdaten.db"))
    assert (await ds.client.get("/")).status_code == 200  # plugins and caches warm
    path = f"/-/file/{sha}.pdf"
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 5000),
             "server": ("localhost", 80)}
    digest, started, size = hashlib.sha256(), {}, 0

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal size
        if message["type"] == "http.response.start":
            started.update(status=message["status"], headers=dict(message["headers"]))
        else:
            digest.update(message.get("body", b""))
            size += len(message.get("body", b""))

    tracemalloc.start()
    await ds.app()(scope, receive, send)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert started["status"] == 200 and size == len(body) and digest.hexdigest() == sha
    assert started["headers"][b"content-type"].startswith(b"application/pdf")
    assert started["headers"][b"content-disposition"].startswith(b"inline")
    assert peak < len(body) / 4, peak  # the server held pieces, not the whole file
    missing = await ds.client.get("/-/file/" + "0" * 64 + ".pdf")
    assert missing.status_code == 404 and "nicht vor" in missing.text


@pytest.mark.asyncio
async def test_a_table_page_reads_the_labels_once(tmp_path):
    """Every cell of a table page asked plugin_config() for its column's label, and that
    walks the whole metadata: files?_size=max on Karlsruhe held the event loop 4.5 s, and
    three clients clicking it froze every other visitor for 4.7 s."""
    from bench.serving import write_site_db

    ds = datasette_instance(write_site_db(tmp_path / "ratsdaten.db", papers=500))
    calls = []
    original = ds.plugin_config
    ds.plugin_config = lambda *a, **k: calls.append(a) or original(*a, **k)
    response = await ds.client.get("/ratsdaten/pages?_size=max")
    assert response.status_code == 200 and response.text.count("<tr>") == 201  # 200 rows
    assert 'data-label="Nummer"' in response.text  # the German label, from metadata.yml
    assert len([c for c in calls if c and c[0] == "ratsdaten"]) < 50, len(calls)


@pytest.mark.asyncio
async def test_html_table_pages_show_at_most_200_rows(tmp_path):
    """Rendering runs on the event loop: three clients asking files?_size=max (1,000 rows)
    on Karlsruhe froze every other visitor for seconds. HTML pages on past 200 rows; JSON
    and CSV still give 1,000; other parameters pass through byte for byte."""
    from bench.serving import write_site_db

    ds = datasette_instance(write_site_db(tmp_path / "ratsdaten.db", papers=500))
    page = await ds.client.get("/ratsdaten/pages?_size=max&_sort=id")
    assert page.status_code == 200 and page.text.count("<tr>") == 201
    assert re.search(r'href="[^"]*_size=200[^"]*_next=', page.text)  # pages on
    assert len((await ds.client.get("/ratsdaten/pages.json?_size=max")).json()["rows"]) == 1000
    csv = (await ds.client.get("/ratsdaten/pages.csv?_size=max")).text
    assert csv.count("\n") == 1001
    assert (await ds.client.get("/ratsdaten/pages?_size=50")).text.count("<tr>") == 51
    word = quote("Förderung")
    many = await ds.client.get(f"/ratsdaten/papers?_size=max&_search={word}")
    few = await ds.client.get(f"/ratsdaten/papers?_size=200&_search={word}")
    assert many.text.count("<tr>") == few.text.count("<tr>") > 10


@pytest.mark.asyncio
async def test_the_search_cache_is_bounded_in_bytes(tmp_path, monkeypatch):
    """Results are cached (256 of them); a source with 200 kB titles made each 8 MB."""
    from etl.site import search

    monkeypatch.setattr(search, "RECENT_BYTES", 4 * 2**20, raising=False)
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert_all({"id": f"p{n}", "body_id": "b", "reference": f"R-{n}",
                             "date": "2024-01-01", "name": f"Kita{n % 3} " + "Haus " * 20_000}
                            for n in range(24))
    enable_search(db)
    ds = datasette_instance(path)
    for n in range(6):  # 6 results of 8 titles of 100 kB, each title kept plain and marked
        response = await ds.client.get(f"/suche?q=Kita{n % 3}&sort={('neu', 'x')[n // 3]}")
        assert response.status_code == 200 and response.text.count("<mark>Kita") == 8
    held = sum(len(p["name"]) + len(p["title_marked"]) for result in search._RECENT.values()
               for p in result["papers"])
    assert 0 < held <= 4 * 2**20, held


@pytest.mark.asyncio
async def test_snippets_of_a_page_of_one_word_repeated(tmp_path):
    """FTS5's snippet() takes time quadratic in the hits on a page and cannot be
    interrupted: one page of "Wort " 40,000 times (a hostile PDF) held a SQL thread 9 s,
    and the canned search answered 400 after 14 s. Snippets are cut in linear time now."""
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert({"id": "p1", "body_id": "b", "reference": "X-1", "name": "Groß",
                         "main_file_id": "f1"}, alter=True)
    db["pages"].insert_all([
        {"id": "f1#p1", "file_id": "f1", "paper_id": "p1", "number": 1, "text": "Wort " * 40_000},
        {"id": "f1#p2", "file_id": "f1", "paper_id": "p1", "number": 2,
         "text": "Vorne " * 200 + "die <b>Turnhalle</b> an der Schule " + "hinten " * 200}])
    enable_search(db)
    ds = datasette_instance(path)
    canned = await ds.client.get("/ratsdaten/suche.json?_shape=array&suchwort=Wort")
    assert canned.status_code == 200 and "**Wort** **Wort**" in canned.json()[0]["ausschnitt"]
    page = await ds.client.get("/suche?q=Wort")
    assert page.status_code == 200 and "<mark>Wort</mark> <mark>Wort</mark>" in page.text
    found = await ds.client.get("/suche?q=Turnhalle+Schule")
    assert "&lt;b&gt;<mark>Turnhalle</mark>&lt;/b&gt; an der <mark>Schule</mark>" in found.text
    from etl.site.search import MARK_CLOSE, MARK_OPEN, text_snippet

    cut = text_snippet("Vorne " * 200 + "die Turnhalle", "turnhalle", MARK_OPEN, MARK_CLOSE)
    assert cut.startswith("… Vorne") and cut.endswith(f"{MARK_OPEN}Turnhalle{MARK_CLOSE}")
    assert text_snippet("Ein Text", "fehlt") == "Ein Text"  # no hit: the beginning


@pytest.mark.asyncio
async def test_a_paper_with_megabytes_of_text_still_has_its_page(tmp_path):
    """The paper page printed every page of the main file: 60 pages of 200 kB (a budget
    plan of thousands of pages, or a hostile PDF) passed the 8 MB a query may return, and
    the paper page answered 400 "Antwort zu groß … LIMIT, _size"."""
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert({"id": "p1", "body_id": "b", "reference": "X-1", "name": "Haushalt",
                         "main_file_id": "f1"}, alter=True)
    db["files"].insert({"id": "f1", "paper_id": "p1", "role": "main", "status": "ok"},
                       alter=True)
    db["pages"].insert_all({"id": f"f1#p{n}", "file_id": "f1", "paper_id": "p1", "number": n,
                            "text": f"Seite{n} " + "Wort " * 40_000} for n in range(1, 61))
    enable_search(db)
    page = await datasette_instance(path).client.get("/vorlage/X-1")
    assert page.status_code == 200 and "Seite1 Wort" in page.text and "Seite4 Wort" in page.text
    assert "Seite5 Wort" not in page.text and "übrigen 56 Seiten" in page.text
    link = '/ratsdaten/pages?file_id=f1&amp;_sort=number&amp;_size=5'
    assert f'href="{link}"' in page.text
    rest = await datasette_instance(path).client.get(link.replace('&amp;', '&'))
    assert rest.status_code == 200 and 'Seite5 Wort' in rest.text  # not 'Antwort zu groß'


@pytest.mark.asyncio
async def test_the_search_page_keeps_to_the_time_limit(tmp_path):
    """/suche runs its statements through execute_fn, which sets no time limit: a search
    over every page text ran as long as it took, holding a SQL thread."""
    path = tmp_path / "ratsdaten.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["papers"].insert_all({"id": f"p{n}", "body_id": "b", "reference": f"R-{n}",
                             "name": f"Vorlage {n}", "main_file_id": f"f{n}"}
                            for n in range(300))
    db["pages"].insert_all({"id": f"f{n}#p1", "file_id": f"f{n}", "paper_id": f"p{n}",
                            "number": 1, "text": "Haushalt Schule " * 2_000} for n in range(300))
    enable_search(db)
    fast = datasette_instance(path)
    found = await fast.client.get("/suche?q=Haushalt")
    assert found.status_code == 200 and "Vorlage" in found.text
    ds = datasette_instance(path)
    ds._settings["sql_time_limit_ms"] = 5  # the few rows of keys and bodies fit into 5 ms
    stopped = await ds.client.get("/suche?q=Schule")
    assert stopped.status_code == 400 and "dauerte zu lange" in stopped.text
    assert "Traceback" not in stopped.text
