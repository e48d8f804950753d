"""Errors cost little and say whose they are. Bad parameters are the visitor's error (400),
not the server's (500): Datasette 0.65 raises a plain 500 for _sort/_sort_desc by an
unknown column and for a malformed _through. And errors are not pretty-printed on the
event loop (see below). And the limits speak German: the time limit, SQLite's length
limits and _size answered in English
(_shape: plugins/limits_requests.py)."""

import json
import re
import sqlite3
import sys
import traceback

import datasette.handle_exception as default_handler
from datasette import hookimpl
from datasette.database import Database
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

# Datasette's default handler prints every handled exception, 404s included, with `rich`
# and all local variables, on the event loop whenever rich is installed (ocrmypdf brings
# it): one interrupted ?sql= froze every other visitor for 3 s. Server errors are still
# logged below, as a plain traceback.
default_handler.rich = None

BAD_SORT = "Nach dieser Spalte kann nicht sortiert werden: {}"
BAD_THROUGH = "_through muss ein JSON-Objekt mit table, column und value sein."
BAD_IN_LIST = ("Ein Filter __in oder __notin braucht eine Liste mit Kommas (1,2,3) oder "
               "eine JSON-Liste ([1,2,3]).")
TOO_LONG = ("Abfrage abgebrochen: Sie lief länger als das Zeitlimit des Servers. Bitte "
            "einschränken (WHERE, LIMIT) oder die Datenbank herunterladen und lokal abfragen.")
TOO_LONG_TITLE = "SQL-Abfrage abgebrochen (interrupted)"
BAD_REQUESTS = [  # Datasette's BadRequest texts -> German
    (re.compile(r"_size must be <= (\d+)"), "_size darf höchstens {} sein."),
    (re.compile(r"_size must be a positive integer"), "_size muss eine positive ganze Zahl sein."),
]
ASKED_TOO_MUCH = ("Antwort zu groß", "Ein Wert ist zu groß")  # limits_memory.py, and below
# SQLite's limit errors; the original text stays in brackets, to be searched for.
SQLITE_ERRORS = {
    "string or blob too big": "Ein Wert ist zu groß für diesen Server",
    "too many SQL variables": "Zu viele Parameter (:name) in einer Abfrage",
    "too many columns in result set": "Zu viele Spalten in einer Abfrage",
    "LIKE or GLOB pattern too complex": "Das Muster für LIKE oder GLOB ist zu lang",
}


def sqlite_german(error: sqlite3.DatabaseError) -> str | None:
    text = str(error)
    return f"{SQLITE_ERRORS[text]} ({text})." if text in SQLITE_ERRORS else None


def in_german(execute):
    """Database.execute, its SQLite limit errors in German: the query page shows str(error)."""
    async def execute_in_german(self, *args, **kwargs):
        try:
            return await execute(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            german = sqlite_german(error)
            if german is None:
                raise
            raise type(error)(german) from error

    execute_in_german.german = True
    return execute_in_german


if not getattr(Database.execute, "german", False):  # the plugins dir loads once per instance
    Database.execute = in_german(Database.execute)


def translate(exception) -> bool:
    """Put German into Datasette's own exception, which its handler then renders as usual
    (page or JSON, same status). True if it was one of ours."""
    if isinstance(exception, DatasetteError) and exception.title == "SQL Interrupted":
        exception.message, exception.message_is_html = TOO_LONG, False
        exception.title = TOO_LONG_TITLE
        return True
    if isinstance(exception, Base400) and exception.args:
        for pattern, german in BAD_REQUESTS:
            match = pattern.fullmatch(str(exception.args[0]))
            if match:
                exception.args = (german.format(*match.groups()),)
                return True
    return False


def visitor_error(request, exception) -> str | None:
    """The German message if the exception comes from a bad parameter, else None."""
    if isinstance(exception, DatasetteError) and str(exception.message).startswith(
            "Cannot sort table by"):
        column = request.args.get("_sort") or request.args.get("_sort_desc") or ""
        return BAD_SORT.format(column)
    if isinstance(exception, sqlite3.DataError) and str(exception).startswith(ASKED_TOO_MUCH):
        return str(exception)  # a table page asked for more rows than a response may carry
    if request.args.get("_through") and isinstance(exception, (KeyError, TypeError,
                                                               ValueError)):
        return BAD_THROUGH
    if isinstance(exception, json.JSONDecodeError) and any(
            key.endswith(("__in", "__notin")) for key in request.args):
        return BAD_IN_LIST  # '?id__in=[1': Datasette's json.loads fails (attack, round 13)
    return None


def is_server_error(exception) -> bool:
    if isinstance(exception, Base400):
        return False
    return not isinstance(exception, DatasetteError) or exception.status >= 500


@hookimpl
def handle_exception(datasette, request, exception):
    message = visitor_error(request, exception)
    if message is None and translate(exception):
        return None  # Datasette's handler renders it
    if message is None:
        if is_server_error(exception):
            traceback.print_exception(exception, file=sys.stderr)
        return None
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": 400}, status=400)
    return Response.text(message, status=400)
