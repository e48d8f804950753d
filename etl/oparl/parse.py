"""Pure functions from OParl JSON (as vendors really send it) to clean dicts."""

import json
import re

from ..sniff import looks_like_html

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MISSING = {"", "N/A", "n/a", "null", "None", "-"}


def loads_lenient(data: bytes | str):
    """JSON with the invalid control characters some servers emit removed."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(_CONTROL.sub(" ", text))


def short_type(obj: dict) -> str:
    """'https://schema.oparl.org/1.0/Paper' and '…/1.1/Paper' are both 'Paper'."""
    return str(obj.get("type") or "").rstrip("/").rsplit("/", 1)[-1]


def value(obj: dict, key: str):
    """A field with the vendors' placeholders for 'nothing' turned into None."""
    item = obj.get(key)
    if isinstance(item, str):
        item = item.strip()
        return None if item in _MISSING else item
    return item


def as_list(item) -> list:
    """Lists that some servers send as a single object or a bare string."""
    if item is None or item == "":
        return []
    return item if isinstance(item, list) else [item]


# An OParl id is a URL; longer than a URL any browser or server takes, it is hostile: it
# would become a page address, a sitemap entry and a key in every table it is part of.
MAX_ID_LENGTH = 2_048


def ref_id(item) -> str | None:
    """The id of an embedded object or of a reference given as a URL (None if absurdly
    long)."""
    found = value(item, "id") if isinstance(item, dict) else item
    if not isinstance(found, str) or not found.strip() or len(found) > MAX_ID_LENGTH:
        return None
    return found.strip()


def iso_date(item) -> str | None:
    """ISO 8601 date or date-time as given; None for anything else."""
    if not isinstance(item, str):
        return None
    item = item.strip()
    return item if re.match(r"^\d{4}-\d{2}-\d{2}", item) else None


def paper_files(paper: dict) -> list[tuple[str, dict | str]]:
    """(role, file object or id) for the main file and every auxiliary file."""
    files = [("main", f) for f in as_list(paper.get("mainFile"))]
    files += [("auxiliary", f) for f in as_list(paper.get("auxiliaryFile"))]
    return [(role, f) for role, f in files if ref_id(f)]


def embedded_objects(obj: dict) -> list[dict]:
    """Objects embedded in another one (a paper's files and consultations, a meeting's
    agenda items), so they can be stored under their own id as well."""
    found = []
    for key in ("mainFile", "auxiliaryFile", "consultation", "agendaItem", "invitation",
                "resultsProtocol", "verbatimProtocol", "membership"):
        for item in as_list(obj.get(key)):
            if isinstance(item, dict) and ref_id(item) and short_type(item):
                found.append(item)
    return found


class NotJson(ValueError):
    """A server answered with something else than JSON (an HTML error page, say)."""


def parse_json_body(content: bytes, content_type: str = ""):
    if looks_like_html(content, content_type):
        raise NotJson("an HTML page instead of JSON")
    try:
        return loads_lenient(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotJson(f"invalid JSON: {exc}") from None


def parse_list_page(content: bytes, content_type: str = "") -> tuple[list[dict], str | None]:
    """The objects of one list page and the link to the next page."""
    payload = parse_json_body(content, content_type)
    if isinstance(payload, list):  # some servers send a bare list
        return [o for o in payload if isinstance(o, dict) and ref_id(o)], None
    if not isinstance(payload, dict):
        raise NotJson("a list page that is not an object")
    data = [o for o in as_list(payload.get("data")) if isinstance(o, dict) and ref_id(o)]
    links = payload.get("links")
    links = links if isinstance(links, dict) else {}
    return data, value(links, "next")
