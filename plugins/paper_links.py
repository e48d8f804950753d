"""Papers, committees, meetings and people link to their readable pages wherever shown."""

from datasette import hookimpl
from markupsafe import Markup, escape

from etl.site.keys import cached_keys, get_keys

OBJECT_COLUMNS = {("organizations", "id"): "gremium", ("meetings", "id"): "sitzung",
                  ("persons", "id"): "person"}


def link(url: str | None, text) -> Markup | None:
    return Markup('<a href="{}">{}</a>'.format(escape(url), escape(text))) if url else None


def cell(keys, value, column, table, row):
    if table == "papers" and column == "reference" and value and row is not None:
        return link(keys.paper_url(row["id"]), value)
    if column == "seite" and isinstance(value, str) and value.startswith("/-/paper?id="):
        return link(keys.paper_url(value[len("/-/paper?id="):]) or value, "Vorlage öffnen")
    if table in ("organizations", "meetings", "persons") and column == "name" and row is not None:
        try:
            oparl_id = row["id"]
        except (KeyError, IndexError):
            return None
        return link(keys.url(OBJECT_COLUMNS[(table, "id")], oparl_id), value or "–")
    return None


@hookimpl
def render_cell(value, column, table, row, database, datasette):
    interesting = column in ("reference", "seite", "name")
    if not interesting or database is None:
        return None
    db = datasette.get_database(database)
    keys = cached_keys(db)
    if keys is not None:
        return cell(keys, value, column, table, row)

    async def inner():
        return cell(await get_keys(db), value, column, table, row)

    return inner


def readable_url(datasette, database: str, table: str, pk: str) -> str | None:
    """The readable page of a row (for row pages), once the addresses are loaded."""
    keys = cached_keys(datasette.get_database(database))
    if keys is None:
        return None
    if table == "papers":
        return keys.paper_url(pk)
    kind = OBJECT_COLUMNS.get((table, "id"))
    return keys.url(kind, pk) if kind else None


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.globals["readable_url"] = lambda *args: readable_url(datasette, *args)
