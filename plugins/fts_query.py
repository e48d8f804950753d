"""fts_query(text) in SQL: what a person types, made safe for FTS5 MATCH (each word a phrase)."""

from datasette import hookimpl

from etl.site.search import fts_query


@hookimpl
def prepare_connection(conn):
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
