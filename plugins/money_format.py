"""Amounts in German format in HTML (1.250.000,00 €); JSON and CSV keep the raw numbers."""

import importlib.util
from pathlib import Path

from datasette import hookimpl


def _euro():
    """The euro() of plugins/filters.py, loaded by path: plugins/ is not a package."""
    spec = importlib.util.spec_from_file_location("ratsdaten_plugin_filters",
                                                  Path(__file__).with_name("filters.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.euro


euro = _euro()


def is_amount_column(column: str | None) -> bool:
    """Columns holding EUR amounts are named so: amount_eur, summe_eur, amount_eur_per_year."""
    return bool(column) and (column.endswith("_eur") or "_eur_" in column)


@hookimpl
def render_cell(value, column):
    if is_amount_column(column) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return euro(value)
    return None
