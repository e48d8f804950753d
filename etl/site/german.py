"""German formats for the HTML pages: dates, numbers, amounts, file states."""

import re
from urllib.parse import urlsplit

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember"]
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                 r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
FILE_STATUS = {"ok": "gelesen", "failed": "nicht lesbar", "pending": "noch nicht gelesen",
               "not_downloaded": "nicht heruntergeladen"}
FAILURE_KIND = {"not_pdf": "kein PDF", "encrypted": "verschlüsselt",
                "timeout": "Zeitüberschreitung", "memory": "zu groß für den Speicher",
                "crash": "Absturz beim Lesen",
                "empty_text": "ohne lesbaren Text", "too_many_pages": "zu viele Seiten",
                "http_404": "nicht abrufbar (404)"}


def datum(value, with_time: bool = False) -> str:
    """'2021-01-25T16:00:00+01:00' -> '25.01.2021' (or '25.01.2021, 16:00 Uhr')."""
    if value is None or value == "":
        return ""
    match = ISO.match(str(value))
    if not match:
        return str(value)
    year, month, day, hour, minute = match.groups()
    text = f"{day}.{month}.{year}"
    if with_time and hour is not None and (hour, minute) != ("00", "00"):
        text += f", {hour}:{minute} Uhr"
    return text


def datum_lang(value) -> str:
    """'2021-01-25' -> '25. Januar 2021'."""
    match = ISO.match(str(value or ""))
    if not match:
        return str(value or "")
    year, month, day = match.groups()[:3]
    return f"{int(day)}. {MONTHS[int(month) - 1]} {year}"


def zahl(value, digits: int = 0) -> str:
    """12345.5 -> '12.346' (digits=0) or '12.345,50' (digits=2)."""
    if value is None or value == "":
        return ""
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def euro(value) -> str:
    return "" if value is None or value == "" else f"{zahl(value, 2)} €"


def datei_status(status, failure_kind=None) -> str:
    words = FILE_STATUS.get(status or "", status or "unbekannt")
    if failure_kind:
        words += f" ({FAILURE_KIND.get(failure_kind, failure_kind)})"
    return words


_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")


def http_url(value) -> str | None:
    """The address if it is http(s) with a host, or a path on this site; else None, so that
    a source's `javascript:` or `data:` address is never a link (the `http_url` template
    filter of plugins/filters.py). Use as `{% if x|http_url %}<a href="{{ x|http_url }}">…`."""
    if not isinstance(value, str):
        return None
    url = _IGNORED_BY_BROWSERS.sub("", value).strip("".join(map(chr, range(0, 33))))
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname and "\\" not in url:
        return url
    return None
