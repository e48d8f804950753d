"""The paper page under /-/paper?id=…: header, the cover sheet as a form, versions, files."""

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from etl.site.paper import load_paper
from etl.site.files import files_dir


async def paper_page(datasette, request):
    paper_id = request.args.get("id")
    if not paper_id:
        raise NotFound("Welche Vorlage? /-/paper?id=… fehlt die id.")
    db = datasette.get_database()
    paper = await load_paper(db, paper_id, local_files=files_dir() is not None)
    if paper is None:
        raise NotFound("Diese Vorlage gibt es hier nicht.")
    config = datasette.plugin_config("ratsdaten") or {}
    return Response.html(await datasette.render_template(
        "paper.html", {"paper": paper, "report_address": config.get("report_address")},
        request=request))


@hookimpl
def register_routes():
    return [(r"^/-/paper$", paper_page)]
