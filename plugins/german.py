"""German formats in templates (filters datum, zahl, …) and dates in table cells (amounts:
plugins/money_format.py)."""

import re
import weakref

from datasette import hookimpl
from markupsafe import Markup, escape

from etl.site import german
from etl.site.charts import stacked_bars

DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?$")


LOOKUPS = {"exact": "=", "not": "≠", "contains": "enthält", "notcontains": "enthält nicht",
           "endswith": "endet mit", "startswith": "beginnt mit", "gt": ">", "gte": "≥",
           "lt": "<", "lte": "≤", "like": "like", "notlike": "not like", "glob": "glob",
           "in": "ist einer von", "notin": "ist keiner von", "arraycontains": "Liste enthält",
           "arraynotcontains": "Liste enthält nicht", "date": "Datum ist",
           "isnull": "ist leer (null)", "notnull": "ist nicht leer (null)",
           "isblank": "ist leer", "notblank": "ist nicht leer"}


_LABELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def column_label(datasette, table: str | None, column: str) -> str:
    """The German label of a column (plugins.ratsdaten.labels in metadata.yml). Read once
    per server: the table template asks for every cell, and plugin_config() walks the whole
    metadata each time – 1,000 rows took 4.5 s of the event loop, everyone else waiting."""
    if datasette not in _LABELS:
        _LABELS[datasette] = (datasette.plugin_config("ratsdaten") or {}).get("labels") or {}
    labels = _LABELS[datasette]
    return (labels.get(table or "", {}) or {}).get(column) or labels.get("*", {}).get(column) \
        or column


def describe(datasette, table, filters, search, sort, sort_desc) -> str:
    """German words for what the table page shows (Datasette writes them in English)."""
    bits = [f"{column_label(datasette, table, column)}"
            + (":" if lookup == "exact" else " " + LOOKUPS.get(lookup, lookup))
            + ("" if lookup in ("isnull", "notnull", "isblank", "notblank") else f" „{value}“")
            for column, lookup, value in filters.selections()]
    if search:
        bits.insert(0, f"Suche nach „{search}“")
    text = ", ".join(bits)
    if sort or sort_desc:
        label = column_label(datasette, table, sort or sort_desc)
        text += (" · " if text else "") + f"sortiert nach {label}" + (
            " (absteigend)" if sort_desc else "")
    return text


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["datum"] = german.datum
    env.filters["datumzeit"] = lambda v: german.datum(v, with_time=True)
    env.filters["datum_lang"] = german.datum_lang
    env.filters["zahl"] = german.zahl
    env.filters["datum_monat"] = lambda v: f"{v[5:7]}/{v[2:4]}" if v and len(v) >= 7 else v
    env.filters["datei_status"] = german.datei_status
    env.globals["stacked_bars"] = stacked_bars
    env.globals["lookup_de"] = lambda key, display: LOOKUPS.get(key, display)
    env.globals["table_title"] = lambda database, table: (
        datasette.table_metadata(database, table) or {}).get("title") or table
    env.globals["beschreibung"] = lambda *args: describe(datasette, *args)
    env.globals["spalte"] = lambda table, column: column_label(datasette, table, column)


@hookimpl
def render_cell(value):
    if isinstance(value, str) and DATE_VALUE.match(value):
        return Markup('<time datetime="{}">{}</time>'.format(
            escape(value), escape(german.datum(value, with_time=True))))
    return None
