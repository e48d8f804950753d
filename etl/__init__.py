"""ratsdaten: German council papers as one searchable SQLite database."""

__version__ = "0.1.0"
# Bump when extraction output changes: cached results of older versions are redone.
EXTRACTOR_VERSION = "1"
SCHEMA_VERSION = 1
# Bump when the database built from the same results changes: the next build republishes.
DATABASE_VERSION = "2"  # 2: long sections stored in parts
