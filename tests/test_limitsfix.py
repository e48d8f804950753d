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
