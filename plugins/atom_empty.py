"""Atom feeds that match nothing are empty feeds, not errors: datasette-atom 0.9 takes the
feed's <updated> as max() over the rows and failed with a 500 on a filter without hits.
Feed readers poll such a filter (a word, a submitter) long before it first matches."""

import datasette_atom
from datasette import __version__, hookimpl
from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator


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


def render_feed(datasette, request, sql, columns, rows, database, table, query_name,
                view_name, data):
    if rows or not datasette_atom.can_render_atom(columns):
        return datasette_atom.render_atom(datasette, request, sql, columns, rows, database,
                                          table, query_name, view_name, data)
    return empty_feed(datasette, request, sql, database, query_name)


@hookimpl(trylast=True)  # called after datasette-atom's, so this "atom" renderer replaces it
def register_output_renderer():
    return {"extension": "atom", "render": render_feed,
            "can_render": datasette_atom.can_render_atom}
