"""Safe to leave open: security headers, no backslash open redirect. (Sizes, memory and
fair SQL: plugins/limits_*.py.)"""

from datasette import hookimpl

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'")
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


def has_backslash(scope) -> bool:
    """Datasette 0.65 redirects /\\example.com/ to /\\example.com, which browsers read as
    //example.com: refuse such paths before they reach it."""
    raw = scope.get("raw_path") or b""
    return "\\" in scope.get("path", "") or b"\\" in raw or b"%5c" in raw.lower()


async def refuse(send, status: int, text: bytes, extra: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")] + HEADERS
                + (extra or [])})
    await send({"type": "http.response.body", "body": text})


@hookimpl(trylast=True)  # outermost: every answer, refusals too, gets the headers
def asgi_wrapper(datasette):
    def wrap(app):
        async def hardened(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if has_backslash(scope):
                return await refuse(send, 404, b"Not found")

            async def send_with_headers(event):
                if event["type"] == "http.response.start":
                    event = dict(event, headers=list(event.get("headers", [])) + HEADERS)
                await send(event)

            return await app(scope, receive, send_with_headers)

        return hardened

    return wrap
