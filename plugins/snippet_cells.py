"""The snippet column of the canned search (ausschnitt, words between ** markers) shown
with <mark>: the page text is escaped first, then only the markers become tags."""

from datasette import hookimpl

from etl.site.search import starred_snippet


@hookimpl
def render_cell(value, column, table):
    if column == "ausschnitt" and table is None and isinstance(value, str):
        return starred_snippet(value)
    return None
