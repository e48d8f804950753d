"""fts_query(text) in SQL: what a person types, made safe for FTS5 MATCH (each word a phrase).
Datasette's own escape_fts (table pages' ?_search=) is replaced by it: its version lets a
lone quote through as an FTS5 syntax error. fts_expression(text): the same, plus "phrases",
Wort* and OR (the canned query suche). textausschnitt(text, typed[, open, close]): the
snippet around the typed words, in linear time (FTS5's snippet() is quadratic in the hits)."""

from datasette import hookimpl

from etl.site.search import fts_expression, fts_query, text_snippet


@hookimpl(trylast=True)  # after Datasette's own sql_functions plugin, so this one counts
def prepare_connection(conn):
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_expression", 1, fts_expression, deterministic=True)
    conn.create_function("textausschnitt", 2, text_snippet, deterministic=True)
    conn.create_function("textausschnitt", 4, text_snippet, deterministic=True)
