"""The front page at /: search box, newest papers, totals, ways in. Rendered once per
process (the published database is immutable), so it answers as fast as a static file."""

import asyncio

from datasette import hookimpl
from datasette.utils.asgi import Response

from etl.site.front import front_page_data
from etl.site.keys import get_keys
from etl.site.pages import canonical_path, site_db, with_base

_HTML: dict[str, str] = {}
_LOCK = asyncio.Lock()


async def render_front(datasette, request) -> str:
    db = site_db(datasette)
    queries = (datasette.metadata("queries", database="ratsdaten") or {})
    data = await front_page_data(db, await get_keys(db), queries)
    return await datasette.render_template(
        "front.html", {"front": data, "canonical": canonical_path("/")},
        request=request)


async def front_page(datasette, request):
    key = site_db(datasette).path
    if key not in _HTML:
        async with _LOCK:
            if key not in _HTML:
                _HTML[key] = await render_front(datasette, request)
    return Response.html(with_base(_HTML[key], datasette, request),
                         headers={"cache-control": "max-age=300"})


@hookimpl
def register_routes():
    return [(r"^/$", front_page)]
