"""Objects behind the test OParl server, indexed by path, with lists and filters."""

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..oparl.parse import embedded_objects, short_type

BASE = "{base}"


def path_of(object_id: str) -> str:
    return object_id[len(BASE):] if object_id.startswith(BASE) else object_id


class ObjectStore:
    """Top-level objects per type plus every embedded object by its path."""

    def __init__(self):
        self.by_type: dict[str, list[dict]] = {}
        self.by_path: dict[str, dict] = {}
        self.files: dict[str, Any] = {}  # file key -> bytes or a callable giving bytes
        self._file_ids: set[str] = set()

    @classmethod
    def from_folder(cls, folder: Path) -> "ObjectStore":
        store = cls()
        for path in sorted((folder / "oparl").glob("*.jsonl")):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    store.add(json.loads(line))
        for pdf in sorted((folder / "files").glob("*.pdf")):
            store.files[pdf.stem] = pdf
        return store

    def add(self, obj: dict) -> None:
        otype = short_type(obj)
        if otype not in ("System", "AgendaItem", "Consultation", "Membership"):
            self.by_type.setdefault(otype, []).append(obj)
        self._index(obj)

    def _index(self, obj: dict) -> None:
        self.by_path[path_of(obj["id"])] = obj
        for inner in embedded_objects(obj):
            self._index(inner)
            if short_type(inner) == "File" and inner["id"] not in self._file_ids:
                self._file_ids.add(inner["id"])
                self.by_type.setdefault("File", []).append(inner)

    def get(self, path: str) -> dict | None:
        return self.by_path.get(path)

    def file_bytes(self, key: str) -> bytes | None:
        source = self.files.get(key)
        if source is None or isinstance(source, bytes):
            return source
        return source() if callable(source) else Path(source).read_bytes()

    def touch(self, object_id: str, **changes) -> dict:
        """Change an object as a council would: new fields, newer modified."""
        obj = self.by_path[path_of(object_id)]
        obj.update(changes)
        obj["modified"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return obj

    def delete(self, object_id: str) -> None:
        obj = self.by_path[path_of(object_id)]
        keep = {k: obj[k] for k in ("id", "type", "body") if k in obj}
        obj.clear()
        obj.update(keep, deleted=True,
                   modified=datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def page_of(self, otype: str, query: dict, path: str, server) -> dict:
        """One page of a list with OParl's pagination block and links."""
        rows = [o for o in self.by_type.get(otype, []) if _matches(o, query)]
        rows.sort(key=lambda o: (o.get("modified") or "", o["id"]))
        limit = server.page_size
        if not server.faults.ignore_limit and str(query.get("limit", "")).isdigit():
            limit = max(1, min(int(query["limit"]), 1000))
        page = int(query.get("page", 1)) if str(query.get("page", "1")).isdigit() else 1
        total_pages = max(1, -(-len(rows) // limit))
        data = rows[(page - 1) * limit: page * limit]
        links = {"first": server.next_link(path, {**query, "page": 1})}
        if page < total_pages:
            links["next"] = server.next_link(path, {**query, "page": page + 1})
        return {"data": data, "links": links,
                "pagination": {"totalElements": len(rows), "elementsPerPage": limit,
                               "currentPage": page, "totalPages": total_pages}}


def _matches(obj: dict, query: dict) -> bool:
    if obj.get("deleted") and "modified_since" not in query:
        return False
    for key, field, newer in (("modified_since", "modified", True),
                              ("created_since", "created", True),
                              ("modified_until", "modified", False)):
        if key in query and obj.get(field):
            if (_ts(obj[field]) >= _ts(query[key])) != newer:
                return False
    return True


def _ts(text: str) -> float:
    text = text.replace("Z", "+00:00")
    if len(text) == 10:
        text += "T00:00:00+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
