"""urlencode(text) in SQL, for links built by canned queries: an id like 'a&b #1?x=y.pdf'
(a file name from an imported folder) stays one query parameter."""

from urllib.parse import quote

from datasette import hookimpl


def urlencode(text):
    return None if text is None else quote(str(text), safe="")


@hookimpl
def prepare_connection(conn):
    conn.create_function("urlencode", 1, urlencode, deterministic=True)
