"""The save side of a sync: parsed OParl objects, failures and cursors into state.db.

No network here: `store_objects(db, slug, objects)` takes what a page generator yields
(as github-to-sqlite's `save_*` functions do), so it is tested with JSON in memory.
"""

import json
from datetime import datetime, timedelta

from ..state import now_iso
from .parse import embedded_objects, short_type, value

OVERLAP = timedelta(hours=1)


def store_objects(db, slug: str, objects: list[dict]) -> None:
    """One transaction per page: a kill leaves whole pages or nothing."""
    rows = []
    for obj in objects:
        rows += [_object_row(slug, item) for item in [obj] + embedded_objects(obj)]
    with db.conn:
        for row in rows:
            if row["deleted"]:
                _mark_deleted(db, row)
            else:
                db["oparl_objects"].upsert(row, pk="id")


def _object_row(slug: str, obj: dict) -> dict:
    return {"id": obj["id"], "body": slug, "type": short_type(obj),
            "modified": value(obj, "modified"), "deleted": int(bool(obj.get("deleted"))),
            "json": json.dumps(obj, ensure_ascii=False, sort_keys=True), "fetched_at": now_iso()}


def _mark_deleted(db, row: dict) -> None:
    """Deleted objects keep what we knew of them, flagged."""
    existing = db.execute("select json from oparl_objects where id = ?", [row["id"]]).fetchone()
    if existing:
        old = json.loads(existing[0])
        old.update(deleted=True, modified=json.loads(row["json"]).get("modified"))
        row["json"] = json.dumps(old, ensure_ascii=False, sort_keys=True)
        row["type"] = short_type(old) or row["type"]
    db["oparl_objects"].upsert(row, pk="id")


def record_fetch_failure(db, slug: str, url: str, kind: str, message: str) -> None:
    db["fetch_failures"].upsert({"url": url, "body": slug, "kind": kind,
                                 "message": message[:500], "at": now_iso()}, pk="url")


def list_cursor(db, list_url: str) -> str | None:
    """Where an incremental crawl of a list starts: its newest `modified`, minus an hour."""
    row = db.execute("select modified_since from sync_cursors where list_url = ?",
                     [list_url]).fetchone()
    if not row or not row[0]:
        return None
    try:
        return (datetime.fromisoformat(row[0]) - OVERLAP).isoformat()
    except ValueError:
        return None


def save_cursor(db, slug: str, list_url: str, newest: str) -> None:
    db["sync_cursors"].upsert({"list_url": list_url, "body": slug, "modified_since": newest,
                               "synced_at": now_iso()}, pk="list_url")
