"""A fingerprint of the published data: same rows, same fingerprint (build time left out).

    python -m etl.db.fingerprint data/ratsdaten.db
"""

import hashlib
import json
import sys

import sqlite_utils

from .shape import TABLES


def table_dumps(path) -> dict[str, list[dict]]:
    """Every table's rows in primary-key order, build_info's time left out."""
    db = sqlite_utils.Database(path)
    out = {}
    for name in TABLES:
        rows = [dict(r) for r in db.query(f"select * from [{name}] order by 1")]
        if name == "build_info":
            rows = [r for r in rows if r["key"] != "built_at"]
        out[name] = rows
    return out


def fingerprint(path) -> str:
    digest = hashlib.sha256()
    for name, rows in table_dumps(path).items():
        digest.update(name.encode())
        for row in rows:
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    return digest.hexdigest()


if __name__ == "__main__":  # pragma: no cover - used by the update workflow
    print(fingerprint(sys.argv[1]))
