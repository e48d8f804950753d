"""A paper's reference links to its paper page wherever it is shown in a table."""

from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape


def paper_url(paper_id: str) -> str:
    return "/-/paper?" + urlencode({"id": paper_id})


@hookimpl
def render_cell(value, column, table, row):
    if table == "papers" and column == "reference" and value and row is not None:
        return Markup('<a href="{}">{}</a>'.format(escape(paper_url(row["id"])), escape(value)))
    if column == "seite" and isinstance(value, str) and value.startswith("/-/paper?id="):
        return Markup('<a href="{}">Vorlage öffnen</a>'.format(escape(value)))
    return None
