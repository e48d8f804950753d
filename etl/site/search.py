"""Making what a person types safe for an FTS5 MATCH."""

import re


def fts_query(text: str | None) -> str:
    """Each typed word becomes a quoted phrase; FTS5 syntax in the input has no effect."""
    words = re.findall(r"[\w][\w\-./]*", text or "")
    return " ".join('"{}"'.format(w.replace('"', "")) for w in words[:20]) or '""'
