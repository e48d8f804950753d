"""Fingerprints that depend only on content: the published database's, and the build's
signature of the state it reads. Times of fetching or extracting, the seconds and memory
an extraction took and the build time are left out, so two builds of the same data give
the same fingerprint – and a deploy happens only when the data changed.

    python -m etl.db.fingerprint data/ratsdaten.db
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

import sqlite_utils

from .shape import TABLES

# Columns that say when or how fast something was done, not what the data is.
VOLATILE = {"build_info": set(), "failures": {"seconds", "max_rss_mb"}}
VOLATILE_KEYS = {"built_at"}
# What the build reads of state.db, without its time columns.
STATE_VOLATILE = {"bodies": {"registered_at"}, "oparl_objects": {"fetched_at"},
                  "stored_files": {"stored_at"},
                  "extractions": {"extracted_at", "seconds", "max_rss_mb"},
                  "fetch_failures": {"at"}}


def table_rows(db, name: str):
    """One table's rows in primary-key order, the volatile columns left out – streamed, so
    a database of several GB is hashed in constant memory."""
    drop = VOLATILE.get(name, set())
    for r in db.query(f"select * from [{name}] order by 1"):
        if name == "build_info" and r["key"] in VOLATILE_KEYS:
            continue
        yield {k: v for k, v in r.items() if k not in drop}


def table_dumps(path) -> dict[str, list[dict]]:
    """Every table's rows (for comparing small databases in tests)."""
    db = sqlite_utils.Database(path)
    return {name: list(table_rows(db, name)) for name in TABLES}


def fingerprint(path) -> str:
    db = sqlite_utils.Database(path)
    digest = hashlib.sha256()
    for name in TABLES:
        digest.update(name.encode())
        for row in table_rows(db, name):
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def state_content_digest(state, digest) -> None:
    """Feed every row the build reads, in primary-key order and without the time columns,
    into `digest` (blobs as raw bytes: no copy through repr or JSON)."""
    for table, drop in STATE_VOLATILE.items():
        if not state[table].exists():
            continue
        columns = [c for c in state[table].columns_dict if c not in drop]
        pks = state[table].pks
        digest.update(f"\x00{table}\x00{','.join(columns)}".encode())
        select = ", ".join(f"[{c}]" for c in columns)
        order = ", ".join(f"[{c}]" for c in pks)
        for row in state.execute(f"select {select} from [{table}] order by {order}"):
            for item in row:
                if isinstance(item, bytes):
                    digest.update(b"\x01%d\x01" % len(item))
                    digest.update(item)
                else:
                    digest.update(b"\x02" + repr(item).encode())
            digest.update(b"\x03")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.db.fingerprint",
        description="Print the content fingerprint of a built ratsdaten database: the same "
                    "rows give the same fingerprint, whenever and however fast they were "
                    "built. The nightly workflow deploys only when it changes.")
    parser.add_argument("database", type=Path, help="the database, e.g. data/ratsdaten.db")
    parser.add_argument("--compare", type=Path, metavar="FILE",
                        help="exit 0 if FILE holds the same fingerprint, 1 if not (or missing)")
    args = parser.parse_args(argv)
    if not args.database.is_file():
        parser.error(f"no such database: {args.database}")
    value = fingerprint(args.database)
    print(value)
    if args.compare:
        old = args.compare.read_text().strip() if args.compare.is_file() else None
        return 0 if old == value else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
