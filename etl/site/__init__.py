"""Plain functions behind the Datasette plugins (queries, no hooks)."""
