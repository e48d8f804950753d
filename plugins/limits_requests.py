"""Requests are bounded before Datasette sees them: only reading methods, query-string size,
number of parameters, number of facets. The site is read-only, and Datasette 0.65 answered
a POST with a 500 (to a table: an assertion; to a canned query: a crash in its CSRF check).
Datasette parses the query string again for every named parameter and computes every facet
given, so an unbounded query string froze the event loop for everybody (1,500 parameters:
3.4 s; _facet × 5,000: minutes)."""

import json
import re
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

MAX_QUERY_STRING = 16_384  # bytes; room for a long SQL query typed by hand
MAX_PATH = 2_048
MAX_PARAMETERS = 50
MAX_FACETS = 10
# Variables in written SQL (?sql=, _where=). SQLite's own limit per statement must stay
# higher: Datasette's table pages look up the labels of up to 1,000 foreign keys at once.
MAX_WRITTEN_VARIABLES = 250
VARIABLE = re.compile(r"[:@$][A-Za-z0-9_]+|\?\d*")
# Rows of a table page in HTML. Rendering runs on the event loop: 1,000 rows of files
# (20,000 cells) held it a second, so three clients asking _size=max froze every visitor
# for seconds. More rows page on (_next), and JSON and CSV still give 1,000 at once.
MAX_HTML_ROWS = 200
HTML_TABLE = re.compile(r"^/[^/]+/[^/.]+$")
# OPTIONS stays: Datasette answers the CORS preflight of notebooks on other origins.
READING = {"GET", "HEAD", "OPTIONS"}
SHAPES = ("objects", "object", "array", "arrays", "arrayfirst")  # Datasette's JSON renderer
READ_ONLY = "Methode nicht erlaubt: Diese Seite kann nur gelesen werden (GET oder HEAD)."


def request_problem(scope) -> str | None:
    """Why this request is refused (German, for the visitor), or None."""
    query = scope.get("query_string") or b""
    if len(query) > MAX_QUERY_STRING or len(scope.get("raw_path") or b"") > MAX_PATH:
        return (f"Anfrage zu lang: Die Adresse darf höchstens {MAX_QUERY_STRING // 1024} KB "
                "Parameter haben. Lange SQL-Abfragen bitte kürzen.")
    fields = [f for f in query.split(b"&") if f] if query else []
    if len(fields) > MAX_PARAMETERS:
        return f"Zu viele Parameter: höchstens {MAX_PARAMETERS} je Anfrage."
    names = parameters(query)  # decoded, as Datasette reads them: '%5Ffacet' is '_facet'
    facets = sum(k.startswith("_facet") and not k.startswith("_facet_size") for k, _v in names)
    if facets > MAX_FACETS:
        return f"Zu viele Facetten: höchstens {MAX_FACETS} je Anfrage."
    return too_many_variables(names)


def parameters(query: bytes) -> list[tuple[str, str]]:
    """The query string's (name, value) pairs, decoded; latin-1 keeps every byte."""
    return parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="latin-1")


def too_many_variables(names: list[tuple[str, str]]) -> str | None:
    written = [v for k, v in names if k in ("sql", "_where")]
    if max((len(set(VARIABLE.findall(sql))) for sql in written), default=0) \
            <= MAX_WRITTEN_VARIABLES:
        return None
    return (f"Zu viele Parameter (:name) in einer Abfrage: höchstens {MAX_WRITTEN_VARIABLES} "
            "(too many SQL variables).")


def html_page_size(scope) -> bytes | None:
    """The query string with _size at most MAX_HTML_ROWS on an HTML table page, or None."""
    query = scope.get("query_string") or b""
    if not query or not HTML_TABLE.match(scope.get("path", "")):
        return None
    # latin-1 both ways: the bytes of every other parameter pass through unchanged
    fields = parameters(query)
    sizes = [v for k, v in fields if k == "_size"]  # decoded: '%5Fsize' is _size too
    # above max_returned_rows stays Datasette's 400: the visitor asked for the impossible
    if not sizes or not (sizes[0].strip() == "max" or MAX_HTML_ROWS < _number(sizes[0]) <= 1000):
        return None
    return urlencode([(k, str(MAX_HTML_ROWS) if k == "_size" else v) for k, v in fields],
                     encoding="latin-1").encode("latin-1")


def _number(text: str) -> int:
    """A _size as Datasette reads it (int() takes ' 1000', '+1000'), or 0."""
    try:
        return int(text)
    except ValueError:
        return 0


def bad_shape(scope) -> str | None:
    """Datasette's JSON renderer answers an unknown _shape in English; the same 400 here."""
    query = (scope.get("query_string") or b"").decode("latin-1")
    shapes = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "_shape"]
    if not scope.get("path", "").endswith(".json") or not shapes or shapes[0] in SHAPES:
        return None
    return json.dumps({"ok": False, "error": f"Unbekanntes _shape: {shapes[0][:100]} (möglich: "
                       f"{', '.join(SHAPES)}).", "status": 400, "title": None}, ensure_ascii=False)


async def refuse(send, text: str, status: int = 400, extra: tuple = (),
                 kind: bytes = b"text/plain; charset=utf-8") -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def bounded(scope, receive, send):
            if scope["type"] == "http" and scope.get("method", "GET") not in READING:
                return await refuse(send, READ_ONLY, 405, ((b"allow", b"GET, HEAD"),))
            problem = request_problem(scope) if scope["type"] == "http" else None
            if problem:
                return await refuse(send, problem)
            shape = bad_shape(scope) if scope["type"] == "http" else None
            if shape:
                return await refuse(send, shape, kind=b"application/json; charset=utf-8")
            smaller = html_page_size(scope) if scope["type"] == "http" else None
            if smaller is not None:
                scope = dict(scope, query_string=smaller)
            return await app(scope, receive, send)

        return bounded

    return wrap
