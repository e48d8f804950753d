"""German query parameters: SQL functions that read them, and a clear answer when they can't.

de_betrag('1,5 Mio') -> 1500000.0, de_datum('31.12.2023') -> '2023-12-31', de_jahr('2023'),
drucksache(' vii-a-01234 ') -> 'VII-A-01234', diff_text(paper_versions.diff). Empty means
NULL ("no limit"). A canned query's value that cannot be read is answered with 400 and a
German message before the query runs (parameter names say the kind: *betrag, *datum,
von/bis, *jahr); the functions themselves raise rather than guess.
"""

from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.utils.asgi import Response

from etl.db.german import check_parameter, diff_text, german_date, german_number, german_year
from etl.db.versions import normal_reference


@hookimpl
def prepare_connection(conn):
    for name, arity, function in (
            ("de_betrag", 1, german_number), ("de_datum", 1, german_date),
            ("de_datum_ende", 1, lambda text: german_date(text, end=True)),
            ("de_jahr", 1, german_year), ("drucksache", 1, normal_reference),
            ("diff_text", 1, diff_text)):
        conn.create_function(name, arity, function, deterministic=True)


async def unreadable_parameter(datasette, scope) -> str | None:
    """The message for the first unreadable parameter of a canned query request."""
    parts = scope.get("path", "").strip("/").split("/")
    if scope.get("type") != "http" or len(parts) != 2 or not scope.get("query_string"):
        return None
    database, name = parts[0], parts[1].rsplit(".", 1)[0]
    if database not in datasette.databases:
        return None
    if name not in await datasette.get_canned_queries(database, None):
        return None
    for key, value in parse_qsl(scope["query_string"].decode("utf-8", "replace"),
                                keep_blank_values=True):
        message = check_parameter(key, value)
        if message:
            return message
    return None


async def refuse(datasette, scope, receive, send, message: str) -> None:
    path = scope.get("path", "")
    if path.endswith(".json"):
        response = Response.json({"ok": False, "error": message, "status": 400}, status=400)
    elif "." in path.rsplit("/", 1)[-1]:
        response = Response.text(message, status=400)
    else:
        html = await datasette.render_template(
            "error.html", {"ok": False, "error": message, "status": 400,
                           "title": "Eingabe nicht lesbar"}, request=None)
        response = Response.html(html, status=400)
    await response.asgi_send(send)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def checked(scope, receive, send):
            message = await unreadable_parameter(datasette, scope)
            if message:
                await refuse(datasette, scope, receive, send, message)
                return
            await app(scope, receive, send)
        return checked
    return wrap

