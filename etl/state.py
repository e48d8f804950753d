"""The sync state (data/state.db): bodies, raw OParl objects, stored files, extraction cache.

Everything the build needs lives here, so `ratsdaten build` is a pure function
of this database and the file store.
"""

import json
import os
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import TypedDict, overload

import sqlite_utils

from .pdf.preflight import sha256_of


class TableSpec(TypedDict):
    pk: str | tuple[str, ...]
    columns: dict[str, type]


STATE_TABLES: dict[str, TableSpec] = {
    "bodies": {"pk": "slug", "columns": {"slug": str, "name": str, "source": str, "url": str,
                                         "profile": str, "licence": str, "registered_at": str}},
    "oparl_objects": {"pk": "id", "columns": {"id": str, "body": str, "type": str,
                                              "modified": str, "deleted": int, "json": str,
                                              "fetched_at": str}},
    "stored_files": {"pk": "file_id", "columns": {"file_id": str, "body": str, "sha256": str,
                                                  "path": str, "size": int, "url": str,
                                                  "etag": str, "last_modified": str,
                                                  "stored_at": str}},
    "extractions": {"pk": ("sha256", "extractor_version"),
                    "columns": {"sha256": str, "extractor_version": str, "result": bytes,
                                "failure_kind": str, "failure_stage": str,
                                "failure_message": str, "seconds": float,
                                "max_rss_mb": float, "extracted_at": str}},
    "ocr_pages": {"pk": ("sha256", "page", "ocr_version"),
                  "columns": {"sha256": str, "page": int, "ocr_version": str, "words": bytes,
                              "failure_kind": str, "failure_message": str, "seconds": float,
                              "ocr_at": str}},
    "fetch_failures": {"pk": "url", "columns": {"url": str, "body": str, "kind": str,
                                                "message": str, "at": str}},
    "sync_cursors": {"pk": "list_url", "columns": {"list_url": str, "body": str,
                                                   "modified_since": str, "synced_at": str}},
}


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_state(data_dir: Path) -> sqlite_utils.Database:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(data_dir / "state.db")
    db.execute("PRAGMA journal_mode=WAL")
    for name, spec in STATE_TABLES.items():
        db.table(name).create(spec["columns"], pk=spec["pk"], if_not_exists=True)
    db.table("oparl_objects").create_index(["body", "type"], if_not_exists=True)
    db.table("stored_files").create_index(["sha256"], if_not_exists=True)
    return db


def store_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / "files" / sha256[:2] / sha256[2:4] / f"{sha256}.pdf"


def store_bytes(data_dir: Path, data: bytes) -> tuple[str, Path]:
    """Content-addressed write via a .part file and rename: never a half file under the name."""
    digest = sha256_of(data)
    target = store_path(data_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(fh.name, target)
    return digest, target


def store_file(data_dir: Path, source: Path) -> tuple[str, Path]:
    with open(source, "rb") as fh:
        return store_bytes(data_dir, fh.read())


def pack_result(result: dict) -> bytes:
    return zlib.compress(json.dumps(result, ensure_ascii=False, sort_keys=True).encode(), 6)


@overload
def unpack_result(blob: bytes) -> dict: ...
@overload
def unpack_result(blob: None) -> None: ...
def unpack_result(blob: bytes | None) -> dict | None:
    return json.loads(zlib.decompress(blob)) if blob else None


def register_body(db, slug: str, name: str, source: str, url: str | None = None,
                  profile: str | None = None, licence: str | None = None) -> None:
    db["bodies"].upsert({"slug": slug, "name": name, "source": source, "url": url,
                         "profile": profile, "licence": licence,
                         "registered_at": now_iso()}, pk="slug")





class StatePages:
    """The page store of a build: each OCRed page's words, kept as soon as they come,
    so a build killed in the middle of a long scan resumes with the missing pages."""

    def __init__(self, db, ocr_version: str):
        self.db, self.version = db, ocr_version

    def get(self, sha256: str) -> dict:
        rows = self.db.query("select page, words, failure_kind, failure_message from ocr_pages "
                             "where sha256 = :s and ocr_version = :v",
                             {"s": sha256, "v": self.version})
        return {r["page"]: unpack_result(r["words"]) if r["words"] is not None else
                {"failure": {"kind": r["failure_kind"], "stage": "ocr",
                             "message": r["failure_message"]}} for r in rows}

    def put(self, sha256: str, number: int, outcome: dict) -> None:
        failure = outcome.get("failure") or {}
        self.db["ocr_pages"].upsert({
            "sha256": sha256, "page": number, "ocr_version": self.version,
            "words": pack_result({k: outcome[k] for k in ("words", "image") if k in outcome})
            if "words" in outcome else None,
            "failure_kind": failure.get("kind"), "failure_message": failure.get("message"),
            "seconds": outcome.get("seconds"), "ocr_at": now_iso()},
            pk=("sha256", "page", "ocr_version"))
