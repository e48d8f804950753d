"""fts_query(text): what a person types, made safe for FTS5 MATCH (each word a phrase)."""

import re

from datasette import hookimpl


def fts_query(text: str | None) -> str:
    words = re.findall(r"[\w][\w\-./]*", text or "")
    return " ".join('"{}"'.format(w.replace('"', "")) for w in words[:20]) or '""'


@hookimpl
def prepare_connection(conn):
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
