"""/-/feed/vorlagen.atom and /-/feed/sitzungen.ics, filtered by committee, person,
submitter, body or search words – linked from the pages they belong to."""

from datasette import hookimpl
from datasette.utils.asgi import Response

from etl.site.feeds import meeting_calendar, paper_feed
from etl.site.keys import get_keys
from etl.site.pages import site_db

FEED_ARGS = ("gremium", "einreicher", "koerperschaft", "q", "person", "sitzung")


def _base(datasette, request) -> str:
    return datasette.absolute_url(request, "/").rstrip("/")


async def atom(datasette, request):
    db = site_db(datasette)
    args = {k: request.args[k][:200] for k in FEED_ARGS if request.args.get(k)}
    body = await paper_feed(db, await get_keys(db), args, _base(datasette, request))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def ics(datasette, request):
    db = site_db(datasette)
    args = {k: request.args[k][:200] for k in FEED_ARGS if request.args.get(k)}
    body = await meeting_calendar(db, await get_keys(db), args, _base(datasette, request))
    return Response(body, content_type="text/calendar; charset=utf-8")


@hookimpl
def register_routes():
    return [(r"^/-/feed/vorlagen\.atom$", atom), (r"^/-/feed/sitzungen\.ics$", ics)]
