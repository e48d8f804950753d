"""Fixes to the limits found on the demo site: each failed (500, English, spoofable) before."""

import pytest

from tests.test_attacks_limits import ds, site_db  # noqa: F401  (the same site, once built)


@pytest.mark.asyncio
async def test_the_site_is_read_only(ds):  # noqa: F811
    for path, data in (("/ratsdaten/suche", {"suchwort": "x"}), ("/ratsdaten/papers", {}),
                       ("/ratsdaten.json", {"sql": "select 1"}), ("/", {})):
        response = await ds.client.post(path, data=data)
        assert response.status_code == 405, path  # was 500
        assert response.headers["allow"] == "GET, HEAD"
        assert response.text.startswith("Methode nicht erlaubt")
        assert "x-content-type-options" in response.headers
    for method in ("put", "delete", "patch"):
        assert (await ds.client.request(method, "/ratsdaten/papers")).status_code == 405
    assert (await ds.client.get("/ratsdaten/suche?suchwort=Kita")).status_code == 200
    head = await ds.client.request("head", "/ratsdaten/papers")
    assert head.status_code == 200 and head.content == b""
    preflight = await ds.client.request("options", "/ratsdaten/papers.json")
    assert preflight.headers["access-control-allow-origin"] == "*"


@pytest.mark.asyncio
async def test_a_feed_without_hits_is_an_empty_feed(ds):  # noqa: F811
    from xml.etree import ElementTree

    for query in ("suchwort=xyzabc", "suchwort=xyzabc&einreicher=&gremium=", "gremium=xyzabc"):
        atom = await ds.client.get("/ratsdaten/neue_vorlagen.atom?" + query)
        assert atom.status_code == 200, query  # was 500: max() of no rows
        assert atom.headers["content-type"] == "application/atom+xml; charset=utf-8"
        feed = ElementTree.fromstring(atom.content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
        assert feed.findall("a:entry", ns) == []
        assert feed.find("a:title", ns).text == "Neue und geänderte Vorlagen (Feed)"
        assert feed.find("a:updated", ns).text and feed.find("a:id", ns).text
    full = await ds.client.get("/ratsdaten/neue_vorlagen.atom?suchwort=&einreicher=&gremium=")
    assert full.status_code == 200 and full.text.count("<entry>") > 0


@pytest.mark.asyncio
async def test_the_feed_finds_a_submitter_by_part_of_its_name(ds):  # noqa: F811
    def feed(einreicher):
        return ds.client.get("/ratsdaten/neue_vorlagen.json?_shape=array&suchwort=&gremium="
                             "&einreicher=" + einreicher)

    whole = (await feed("Haushalt")).json()
    part = (await feed("aushal")).json()  # like the other queries: a part of the name
    assert whole and part == whole
    assert {row["atom_author_name"] for row in part} == {"Haushalt"}


SLOW = "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_limits_answer_in_german(ds, site_db):  # noqa: F811
    from urllib.parse import quote

    from etl.serve import datasette_instance, load_metadata

    for fmt in (".json", ""):
        slow = await ds.client.get(f"/ratsdaten{fmt}?sql=" + quote(SLOW))
        assert slow.status_code == 400 and "Abfrage abgebrochen" in slow.text, fmt
        assert "took too long" not in slow.text
        wide = await ds.client.get(
            f"/ratsdaten{fmt}?sql=" + quote("select printf('%.*c', 1e9, 'x')"))
        text = wide.json()["error"] if fmt else wide.text
        assert wide.status_code == 400 and "Ein Wert ist zu groß" in text, fmt
    assert (await ds.client.get("/ratsdaten.json?sql=" + quote(SLOW))).json()["error"].startswith(
        "Abfrage abgebrochen")
    size = await ds.client.get("/ratsdaten/papers.json?_size=5000")
    assert size.status_code == 400 and size.json()["error"] == "_size darf höchstens 1000 sein."
    shape = await ds.client.get("/ratsdaten/papers.json?_shape=bad")
    assert shape.status_code == 400 and shape.json()["error"].startswith("Unbekanntes _shape: bad")
    page = await ds.client.get("/ratsdaten/papers?_size=5000")
    assert page.status_code == 400 and "_size darf höchstens 1000 sein." in page.text

    metadata = load_metadata()
    metadata.setdefault("plugins", {})["ratsdaten-limits"] = {"sql_burst_seconds": 0.01}
    tight = datasette_instance(site_db, metadata=metadata)
    assert (await tight.client.get("/ratsdaten.json?sql=select+1")).status_code == 200
    refused = await tight.client.get("/ratsdaten.json?sql=select+1")
    assert refused.status_code == 429 and refused.headers["content-type"].startswith(
        "application/json")
    assert refused.json()["ok"] is False and refused.json()["status"] == 429
    assert refused.json()["error"].startswith("Zu viele SQL-Abfragen")
    page = await tight.client.get("/ratsdaten?sql=select+1")
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/plain")


@pytest.mark.asyncio
async def test_public_budget_is_keyed_on_flys_header_only(site_db):  # noqa: F811
    from etl.serve import datasette_instance, load_metadata

    metadata = load_metadata()
    metadata.setdefault("plugins", {})["ratsdaten-limits"] = {"sql_burst_seconds": 0.01}
    public = datasette_instance(site_db, public=True, metadata=metadata)

    def get(fly, forwarded):
        return public.client.get("/ratsdaten.json?sql=select+1", headers={
            "fly-client-ip": fly, "x-forwarded-for": forwarded})

    assert (await get("203.0.113.5", "198.51.100.1")).status_code == 200
    assert (await get("203.0.113.5", "198.51.100.2")).status_code == 429  # same client
    assert (await get("203.0.113.5", "198.51.100.3, 198.51.100.4")).status_code == 429
    assert (await get("203.0.113.6", "198.51.100.1")).status_code == 200  # another client
    bare = [(await public.client.get("/ratsdaten.json?sql=select+1", headers={
        "x-forwarded-for": f"198.51.100.{n}"})).status_code for n in (7, 8)]
    assert bare == [200, 429]  # no fly header: the connection's address, not the client's say
