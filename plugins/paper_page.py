"""The paper page under /vorlage/<reference> (or /vorlage/<body>/<reference> where two
bodies use the same number); the old /-/paper?id=… redirects there."""

from urllib.parse import unquote

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from etl.site.files import files_dir
from etl.site.keys import get_keys
from etl.site.pages import PAGES, canonical_path, site_db, with_base
from etl.site.paper import load_paper


async def render_paper(datasette, request, paper_id: str):
    db = site_db(datasette)
    html = await PAGES.get((db.path, "vorlage", paper_id),
                           lambda: paper_html(datasette, request, db, paper_id))
    return Response.html(with_base(html, datasette, request))


async def paper_html(datasette, request, db, paper_id: str) -> str:
    keys = await get_keys(db)
    paper = await load_paper(db, paper_id, local_files=files_dir() is not None)
    if paper is None:
        raise NotFound("Diese Vorlage gibt es hier nicht.")
    for step in paper["consultations"]:
        step["meeting_url"] = keys.url("sitzung", step.get("meeting_id"))
        step["committee_url"] = keys.url("gremium", step.get("organization_id")) \
            or keys.submitter_url(step.get("committee"))
    for version in paper["versions"]:
        version["url"] = keys.paper_url(version["paper_id"])
    paper["submitter_url"] = keys.submitter_url(paper["paper"]["submitted_by"])
    config = datasette.plugin_config("ratsdaten") or {}
    canonical = canonical_path(keys.paper_url(paper_id) or request.path)
    return await datasette.render_template(
        "paper.html", {"paper": paper, "report_address": config.get("report_address"),
                       "canonical": canonical}, request=request)


async def paper_by_reference(datasette, request):
    keys = await get_keys(site_db(datasette))
    paper_id = keys.find_paper(unquote(request.url_vars["path"]))  # routes see the raw path
    if paper_id is None:
        raise NotFound("Eine Vorlage mit dieser Nummer gibt es hier nicht.")
    return await render_paper(datasette, request, paper_id)


async def paper_by_id(datasette, request):
    paper_id = request.args.get("id")
    if not paper_id:
        raise NotFound("Welche Vorlage? /-/paper?id=… fehlt die id.")
    keys = await get_keys(site_db(datasette))
    url = keys.paper_url(paper_id)
    if url is None:
        raise NotFound("Diese Vorlage gibt es hier nicht.")
    if not url.startswith("/-/paper?"):
        return Response.redirect(url, status=301)
    return await render_paper(datasette, request, paper_id)


@hookimpl
def register_routes():
    return [(r"^/vorlage/(?P<path>.+)$", paper_by_reference), (r"^/-/paper$", paper_by_id)]
