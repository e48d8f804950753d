"""Safe to leave open: security headers (one of each), a CSP without inline scripts, HSTS
behind the HTTPS proxy, Atom feeds as Atom with absolute links, no backslash open
redirect. (Sizes, memory, time and fair SQL: plugins/limits_*.py.)"""

import base64
import hashlib
import re

from datasette import hookimpl


def script_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


# Datasette's table.html carries one inline script, either value; the others of its
# templates are moved to static/ (templates/_close_open_menus.html, _codemirror_foot.html).
INLINE_SCRIPTS = [script_hash(f"DATASETTE_ALLOW_FACET = {v};") for v in ("true", "false")]
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' {' '.join(INLINE_SCRIPTS)}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # Datasette's own choice for its pages, everywhere
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
ATOM = b"application/atom+xml; charset=utf-8"
_HOST = re.compile(rb"^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$")


def has_backslash(scope) -> bool:
    """Datasette 0.65 redirects /\\example.com/ to /\\example.com, which browsers read as
    //example.com: refuse such paths before they reach it."""
    raw = scope.get("raw_path") or b""
    return "\\" in scope.get("path", "") or b"\\" in raw or b"%5c" in raw.lower()


def with_headers(headers, extra: list) -> list:
    """Ours replace any the application set, so each header is sent once."""
    ours = {name for name, _ in extra}
    return [(k, v) for k, v in headers if k.lower() not in ours] + extra


def site_base(scope, https: bool) -> bytes | None:
    host = dict(scope.get("headers") or []).get(b"host", b"")
    if not _HOST.match(host):
        return None
    scheme = b"https" if https else scope.get("scheme", "http").encode()
    return scheme + b"://" + host


def atom_body(body: bytes, base: bytes | None) -> bytes:
    """datasette-atom copies atom_link as it is; feed readers need absolute links."""
    if base is None:
        return body
    return re.sub(rb'(<link href=")/(?![/\\])', rb"\1" + base + b"/", body)


async def refuse(send, status: int, text: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")] + HEADERS})
    await send({"type": "http.response.body", "body": text})


def sender(scope, send, extra: list, https: bool):
    is_atom = scope.get("path", "").endswith(".atom")
    held = {}

    async def send_with_headers(event):
        if event["type"] == "http.response.start":
            event = dict(event, headers=with_headers(event.get("headers", []), extra))
            if is_atom:  # held until the body, whose length changes
                held["start"] = event
                return
        elif is_atom and event["type"] == "http.response.body" and "start" in held:
            start, body = held.pop("start"), event.get("body", b"")
            headers = [(k, v) for k, v in start["headers"]
                       if k.lower() not in (b"content-type", b"content-length")]
            if start.get("status") == 200:  # a feed; errors stay as they are
                body = atom_body(body, site_base(scope, https))
                headers.append((b"content-type", ATOM))
            else:
                headers += [(k, v) for k, v in start["headers"] if k.lower() == b"content-type"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send(dict(start, headers=headers))
            event = dict(event, body=body)
        await send(event)

    return send_with_headers


@hookimpl(trylast=True)  # outermost: every answer, refusals too, gets the headers
def asgi_wrapper(datasette):
    https = bool(datasette.setting("force_https_urls"))  # --public: behind fly's HTTPS
    extra = HEADERS + ([HSTS] if https else [])

    def wrap(app):
        async def hardened(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if has_backslash(scope):
                return await refuse(send, 404, b"Nicht gefunden")
            return await app(scope, receive, sender(scope, send, extra, https))

        return hardened

    return wrap
