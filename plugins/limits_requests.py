"""Requests are bounded before Datasette sees them: query-string size, number of
parameters, number of facets. Datasette parses the query string again for every named
parameter and computes every facet given, so an unbounded query string froze the event
loop for everybody (1,500 parameters: 3.4 s; _facet × 5,000: minutes)."""

from datasette import hookimpl

MAX_QUERY_STRING = 16_384  # bytes; room for a long SQL query typed by hand
MAX_PATH = 2_048
MAX_PARAMETERS = 50
MAX_FACETS = 10


def request_problem(scope) -> str | None:
    """Why this request is refused (German, for the visitor), or None."""
    query = scope.get("query_string") or b""
    if len(query) > MAX_QUERY_STRING or len(scope.get("raw_path") or b"") > MAX_PATH:
        return (f"Anfrage zu lang: Die Adresse darf höchstens {MAX_QUERY_STRING // 1024} KB "
                "Parameter haben. Lange SQL-Abfragen bitte kürzen.")
    fields = [f for f in query.split(b"&") if f] if query else []
    if len(fields) > MAX_PARAMETERS:
        return f"Zu viele Parameter: höchstens {MAX_PARAMETERS} je Anfrage."
    facets = sum(f.startswith(b"_facet") and not f.startswith(b"_facet_size") for f in fields)
    if facets > MAX_FACETS:
        return f"Zu viele Facetten: höchstens {MAX_FACETS} je Anfrage."
    return None


async def refuse(send, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def bounded(scope, receive, send):
            problem = request_problem(scope) if scope["type"] == "http" else None
            if problem:
                return await refuse(send, problem)
            return await app(scope, receive, send)

        return bounded

    return wrap
