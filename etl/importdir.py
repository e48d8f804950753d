"""Register a folder of PDFs as a body: each PDF becomes a paper with one file.

The objects are written in OParl's shape, so the build treats a folder exactly
like a synced council.
"""

import json
from datetime import datetime, timezone
from pathlib import Path

from .state import now_iso, register_body, store_file

PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"


def find_pdfs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def folder_objects(slug: str, relpath: str, sha256: str, size: int, mtime: float) -> list[dict]:
    """The Paper and File objects that describe one PDF of a folder."""
    modified = datetime.fromtimestamp(int(mtime), timezone.utc).isoformat()
    paper_id = f"dir:{slug}:{relpath}"
    file_obj = {"id": f"{paper_id}#file", "type": FILE_TYPE, "name": Path(relpath).name,
                "fileName": Path(relpath).name, "mimeType": "application/pdf", "size": size,
                "sha256Checksum": sha256, "accessUrl": f"file:{relpath}", "modified": modified,
                "paper": [paper_id]}
    paper = {"id": paper_id, "type": PAPER_TYPE, "body": f"dir:{slug}",
             "name": Path(relpath).stem.replace("_", " "), "mainFile": file_obj,
             "modified": modified}
    return [paper, file_obj]


def import_dir(db, data_dir: Path, folder: Path, slug: str, name: str | None = None,
               profile: str | None = None, progress=None) -> dict:
    """Store every PDF of `folder` and record it; returns counts."""
    register_body(db, slug, name or slug, "dir", url=str(folder.name), profile=profile)
    counts = {"files": 0, "new": 0, "skipped": 0}
    for pdf in find_pdfs(folder):
        relpath = pdf.relative_to(folder).as_posix()
        sha256, stored = store_file(data_dir, pdf)
        objects = folder_objects(slug, relpath, sha256, stored.stat().st_size, pdf.stat().st_mtime)
        existing = db["stored_files"].count_where("file_id = ? and sha256 = ?",
                                                  [objects[1]["id"], sha256])
        counts["files"] += 1
        counts["skipped" if existing else "new"] += 1
        with db.conn:
            db["oparl_objects"].upsert_all(
                [{"id": o["id"], "body": slug, "type": o["type"].rsplit("/", 1)[-1],
                  "modified": o["modified"], "deleted": 0, "fetched_at": now_iso(),
                  "json": json.dumps(o, ensure_ascii=False, sort_keys=True)} for o in objects],
                pk="id")
            db["stored_files"].upsert({"file_id": objects[1]["id"], "body": slug,
                                       "sha256": sha256, "path": str(stored.relative_to(data_dir)),
                                       "size": stored.stat().st_size, "url": relpath,
                                       "stored_at": now_iso()}, pk="file_id")
        if progress:
            progress.advance()
    return counts
