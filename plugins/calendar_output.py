"""The .ics output of canned queries (event_* columns), replacing datasette-ics: with
DTSTAMP (RFC 5545) and DTEND only when an end is known – the same writer as the front
door's /-/feed/sitzungen.ics."""

from datasette import hookimpl
from datasette.utils.asgi import Response

from etl.site.feeds import calendar

COLUMNS = {"event_uid": "uid", "event_name": "summary", "event_dtstart": "start",
           "event_dtend": "end", "event_description": "description", "event_url": "url"}


def render_ics(datasette, database, rows, columns, query_name):
    title = ((datasette.metadata(database=database) or {}).get("queries") or {}) \
        .get(query_name or "", {}).get("title") or query_name or database
    events = [{key: row[column] for column, key in COLUMNS.items() if column in columns}
              for row in rows]
    return Response(calendar(title, events), content_type="text/calendar; charset=utf-8")


def can_render_ics(columns):
    return {"event_name", "event_dtstart"} <= set(columns)


@hookimpl(trylast=True)  # registered after datasette-ics, so ".ics" is this one
def register_output_renderer():
    return {"extension": "ics", "render": render_ics, "can_render": can_render_ics}
