"""Atom feeds that match nothing are empty feeds, not errors: datasette-atom 0.9 takes the
feed's <updated> as max() over the rows and failed with a 500 on a filter without hits.
Feed readers poll such a filter (a word, a submitter) long before it first matches.
Rows are made fit for XML first: datasette-atom failed with a 500 on an `atom_updated`
that is no date (OParl's `modified` is the server's word) and on a control character in
a title from a PDF."""

import datasette_atom
import dateutil.parser
from datasette import __version__, hookimpl
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError
from feedgen.feed import FeedGenerator

from etl.site.feeds import NOT_XML


def feed_title(datasette, database, query_name, sql) -> str:
    queries = (datasette.metadata(database=database) or {}).get("queries") or {}
    query = queries.get(query_name) if query_name else None
    return (query.get("title") or sql) if isinstance(query, dict) else sql


def empty_feed(datasette, request, sql, database, query_name) -> Response:
    feed = FeedGenerator()  # <updated> is now: nothing older to report
    feed.generator(generator="Datasette", version=__version__,
                   uri="https://github.com/simonw/datasette")
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.title(feed_title(datasette, database, query_name, sql))
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8")


def _when(value) -> str | None:
    try:
        moment = dateutil.parser.isoparse(str(value))
    except (ValueError, OverflowError):
        return None
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "+00:00"


def fit_for_xml(rows: list) -> list[dict]:
    """Rows with XML-safe text and a usable `atom_updated` (an unreadable one takes the
    newest readable one: the entry stays in the feed)."""
    clean = [{k: NOT_XML.sub("", v) if isinstance(v, str) else v for k, v in dict(r).items()}
             for r in rows]
    times = [_when(row.get("atom_updated")) for row in clean]
    fallback = max((t for t in times if t), default="1970-01-01T00:00:00+00:00")
    for row, when in zip(clean, times, strict=True):
        row["atom_updated"] = when or fallback
        link = str(row.get("atom_link") or "").strip()
        if "atom_link" in row and not (link.startswith(("http://", "https://"))
                                       or (link.startswith("/") and not link.startswith("//"))):
            row["atom_link"] = None  # a feed reader would open javascript: too
    return clean


def render_feed(datasette, request, sql, columns, rows, database, table, query_name,
                view_name, data):
    if rows and datasette_atom.can_render_atom(columns):
        rows = fit_for_xml(rows)
    if rows or not datasette_atom.can_render_atom(columns):
        try:
            return datasette_atom.render_atom(datasette, request, sql, columns, rows, database,
                                              table, query_name, view_name, data)
        except (ValueError, TypeError) as error:  # feedgen's word on rows it cannot use
            raise DatasetteError(f"Daraus lässt sich kein Atom-Feed machen ({error}).",
                                 status=400) from None
    return empty_feed(datasette, request, sql, database, query_name)


@hookimpl(trylast=True)  # called after datasette-atom's, so this "atom" renderer replaces it
def register_output_renderer():
    return {"extension": "atom", "render": render_feed,
            "can_render": datasette_atom.can_render_atom}
