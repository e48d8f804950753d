"""/suche: one search over titles and page texts, grouped by paper, with facets."""

import sqlite3
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, Response

from etl.site.files import files_dir, stored_pdf
from etl.site.keys import get_keys
from etl.site.pages import site_db
from etl.site.search import FACETS, search

TOO_SLOW = ("Die Suche dauerte zu lange und wurde abgebrochen. Bitte genauere Suchwörter "
            "oder einen Filter wählen.")


def _page_link(paper: dict, local: bool) -> str | None:
    if paper.get("page_number") is None:
        return None
    if local and paper.get("sha256") and stored_pdf(paper["sha256"]):  # not pruned
        return f"/-/file/{paper['sha256']}.pdf#page={paper['page_number']}"
    url = paper.get("access_url") or ""
    return f"{url}#page={paper['page_number']}" if url.startswith(("http://", "https://")) \
        else None


async def search_page(datasette, request):
    q = (request.args.get("q") or "")[:200]
    sort = "neu" if request.args.get("sort") == "neu" else "relevanz"
    chosen = {k: request.args.get(k) for k in FACETS if request.args.get(k)}
    try:
        page = max(1, min(int(request.args.get("seite") or 1), 100))
    except ValueError:
        page = 1
    db = site_db(datasette)
    keys = await get_keys(db)
    try:
        result = await search(db, q, sort, chosen, page, datasette.setting("sql_time_limit_ms"))
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):
            raise
        raise BadRequest(TOO_SLOW) from None
    local = files_dir() is not None
    for paper in result["papers"]:
        paper["url"] = keys.paper_url(paper["id"])
        paper["pdf_page"] = _page_link(paper, local)
        paper["submitter_url"] = keys.submitter_url(paper["submitted_by"])
    bodies = {r["id"]: r["name"] for r in (await db.execute("select id, name from bodies")).rows}
    state = dict(q=q, sort=sort, **chosen)

    def url_with(**changes) -> str:
        args = {k: v for k, v in dict(state, **changes).items() if v not in (None, "")}
        return "/suche?" + urlencode(args)

    return Response.html(await datasette.render_template("suche.html", {
        "q": q, "sort": sort, "chosen": chosen, "result": result, "page": page,
        "url_with": url_with, "nav_query": q, "body_names": bodies, "facet_names": {
            "body": "Körperschaft", "kind": "Art", "submitter": "Eingereicht von",
            "year": "Jahr"}}, request=request))


async def search_all_moved(request):
    """datasette-search-all's page listed whole page texts and left the site; one search."""
    q = request.args.get("q") or ""
    return Response.redirect("/suche" + ("?" + urlencode({"q": q}) if q else ""), status=301)


@hookimpl
def register_routes():
    return [(r"^/suche$", search_page), (r"^/-/search$", search_all_moved)]
