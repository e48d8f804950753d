"""Amounts in German format in HTML (1.250.000,00 €); JSON and CSV keep the raw numbers."""

from datasette import hookimpl

from etl.site.german import euro


def is_amount_column(column: str | None) -> bool:
    """Columns holding EUR amounts are named so: amount_eur, summe_eur, amount_eur_per_year."""
    return bool(column) and (column.endswith("_eur") or "_eur_" in column)


@hookimpl
def render_cell(value, column):
    if is_amount_column(column) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return euro(value)
    return None
