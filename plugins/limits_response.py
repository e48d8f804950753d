"""A byte cap per response: streamed answers (CSV with _stream=on) end with a German line
saying they were cut; a finished body over the cap is replaced by a 413 before it is sent.
Files are exempt: the database download (the way to get everything) and stored PDFs."""

from datasette import hookimpl

MAX_RESPONSE_BYTES = 100 * 2**20
CUT = ("\n# Abgeschnitten: Diese Antwort ist länger als {} MB. Bitte mit _size, _next oder "
       "Filtern in Teilen laden oder die ganze Datenbank herunterladen.\n").format(
    MAX_RESPONSE_BYTES // 2**20).encode()
TOO_BIG = ("Antwort zu groß (über {} MB). Bitte weniger Zeilen abfragen.").format(
    MAX_RESPONSE_BYTES // 2**20).encode()


class ResponseCut(BaseException):
    """Raised into the application once its response was cut, so that it stops producing.
    Not an Exception: Datasette's `except Exception` would try to write an error into the
    finished response and log it as a server error."""


def capped_send(send, limit: int):
    state = {"start": None, "sent": 0, "closed": False}

    async def send_capped(event):
        if state["closed"]:
            raise ResponseCut()
        if event["type"] == "http.response.start":
            state["start"] = event  # held until the first body shows whether it fits
            return
        if event["type"] != "http.response.body":
            return await send(event)
        body, more = event.get("body", b""), event.get("more_body", False)
        start, state["start"] = state["start"], None
        if state["sent"] + len(body) <= limit:
            if start:
                await send(start)
            state["sent"] += len(body)
            return await send(event)
        state["closed"] = True
        if start and not more:
            return await send_too_big(send, start)
        if start:
            await send(start)
        await send({"type": "http.response.body", "body": CUT, "more_body": False})
        raise ResponseCut()

    return send_capped


async def send_too_big(send, start) -> None:
    headers = [(k, v) for k, v in start.get("headers", [])
               if k.lower() not in (b"content-type", b"content-length")]
    await send({"type": "http.response.start", "status": 413, "headers": headers + [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(TOO_BIG)).encode())]})
    await send({"type": "http.response.body", "body": TOO_BIG})


def is_file(path: str) -> bool:
    return path.endswith(".db") or path.startswith(("/-/file/", "/static/", "/-/static/"))


@hookimpl
def asgi_wrapper(datasette):
    config = datasette.plugin_config("ratsdaten-limits") or {}
    limit = int(config.get("max_response_bytes") or MAX_RESPONSE_BYTES)

    def wrap(app):
        async def capped(scope, receive, send):
            if scope["type"] != "http" or is_file(scope.get("path", "")):
                return await app(scope, receive, send)
            try:
                await app(scope, receive, capped_send(send, limit))
            except ResponseCut:
                pass

        return capped

    return wrap
