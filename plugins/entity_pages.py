"""Readable pages: /gremien, /gremium/<key>, /sitzung/<key>, /person/<key>."""

from urllib.parse import quote, unquote

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from etl.site.entities import load_committee, load_committees, load_meeting, load_person
from etl.site.keys import get_keys
from etl.site.pages import PAGES, canonical_path, site_db, with_base

LOADERS = {"gremium": (load_committee, "gremium.html"), "sitzung": (load_meeting, "sitzung.html"),
           "person": (load_person, "person.html")}
NOT_FOUND = {"gremium": "Dieses Gremium gibt es hier nicht.",
             "sitzung": "Diese Sitzung gibt es hier nicht.",
             "person": "Diese Person gibt es hier nicht."}


async def entity_page(datasette, request):
    kind, key = request.url_vars["kind"], unquote(request.url_vars["key"])
    db = site_db(datasette)
    html = await PAGES.get((db.path, kind, key),
                           lambda: render_entity(datasette, request, db, kind, key))
    return Response.html(with_base(html, datasette, request))


async def render_entity(datasette, request, db, kind: str, key: str) -> str:
    keys = await get_keys(db)
    oparl_id = keys.id_of[kind].get(key)
    loader, template = LOADERS[kind]
    data = await loader(db, keys, oparl_id) if oparl_id else None
    if data is None:
        raise NotFound(NOT_FOUND[kind])
    data["key"] = key
    data["canonical"] = canonical_path(f"/{kind}/{quote(key, safe='')}")
    return await datasette.render_template(template, data, request=request)


async def committees_page(datasette, request):
    db = site_db(datasette)
    found = await load_committees(db, await get_keys(db))
    return Response.html(await datasette.render_template(
        "gremien.html", {"committees": found,
                         "canonical": datasette.absolute_url(request, "/gremien")},
        request=request))


@hookimpl
def register_routes():
    return [(r"^/(?P<kind>gremium|sitzung|person)/(?P<key>[^/]+)$", entity_page),
            (r"^/gremien$", committees_page)]
