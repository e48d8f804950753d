"""Errors cost little and say whose they are. Bad parameters are the visitor's error (400),
not the server's (500): Datasette 0.65 raises a plain 500 for _sort/_sort_desc by an
unknown column and for a malformed _through. And errors are not pretty-printed on the
event loop (see below)."""

import sys
import traceback

import datasette.handle_exception as default_handler
from datasette import hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

# Datasette's default handler prints every handled exception, 404s included, with `rich`
# and all local variables, on the event loop whenever rich is installed (ocrmypdf brings
# it): one interrupted ?sql= froze every other visitor for 3 s. Server errors are still
# logged below, as a plain traceback.
default_handler.rich = None

BAD_SORT = "Nach dieser Spalte kann nicht sortiert werden: {}"
BAD_THROUGH = "_through muss ein JSON-Objekt mit table, column und value sein."


def visitor_error(request, exception) -> str | None:
    """The German message if the exception comes from a bad parameter, else None."""
    if isinstance(exception, DatasetteError) and str(exception.message).startswith(
            "Cannot sort table by"):
        column = request.args.get("_sort") or request.args.get("_sort_desc") or ""
        return BAD_SORT.format(column)
    if request.args.get("_through") and isinstance(exception, (KeyError, TypeError,
                                                               ValueError)):
        return BAD_THROUGH
    return None


def is_server_error(exception) -> bool:
    if isinstance(exception, Base400):
        return False
    return not isinstance(exception, DatasetteError) or exception.status >= 500


@hookimpl
def handle_exception(datasette, request, exception):
    message = visitor_error(request, exception)
    if message is None:
        if is_server_error(exception):
            traceback.print_exception(exception, file=sys.stderr)
        return None
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": 400}, status=400)
    return Response.text(message, status=400)
