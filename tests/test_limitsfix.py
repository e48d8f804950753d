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
