"""Bad parameters are the visitor's error (400), not the server's (500): Datasette 0.65
raises a plain 500 for _sort/_sort_desc by an unknown column and for a malformed _through."""

from datasette import hookimpl
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

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


@hookimpl
def handle_exception(datasette, request, exception):
    message = visitor_error(request, exception)
    if message is None:
        return None
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": 400}, status=400)
    return Response.text(message, status=400)
