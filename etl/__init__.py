"""ratsdaten: German council papers as one searchable SQLite database."""

__version__ = "0.1.0"
# Bump when extraction output changes: cached results of older versions are redone.
EXTRACTOR_VERSION = "1"
SCHEMA_VERSION = 1
