"""Template filters: German number formats for amounts; only http(s) addresses as links."""

import re
from urllib.parse import urlsplit

from datasette import hookimpl

# Browsers drop these from URLs before reading the scheme ("java\tscript:" is javascript:).
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")


def euro(value) -> str:
    """1234567.5 -> '1.234.567,50 €'."""
    if value is None:
        return ""
    text = f"{float(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} €"


def http_url(value) -> str | None:
    """The address if it is http(s) with a host, or a path on this site; else None, so that
    a source's `javascript:` or `data:` address is never a link. Use as
    `{% if x|http_url %}<a href="{{ x|http_url }}">…`."""
    if not isinstance(value, str):
        return None
    url = _IGNORED_BY_BROWSERS.sub("", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                    "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                    "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                    "\x1e\x1f ")
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname and "\\" not in url:
        return url
    return None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["euro"] = euro
    env.filters["http_url"] = http_url
