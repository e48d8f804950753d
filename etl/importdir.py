"""Register a folder of PDFs as a body: each PDF becomes a paper with one file.

The objects are written in OParl's shape, so the build treats a folder exactly
like a synced council.
"""

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .pdf.preflight import sha256_of
from .state import now_iso, register_body, store_file, store_path

PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"


def slug_problem(db, slug: str) -> str | None:
    """Why `slug` cannot name a folder body (it becomes part of ids and URLs), or None."""
    from .oparl.sync import BODIES_FILE, resolve_body

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        return "use lowercase letters, digits and '-' (e.g. erlangen)"
    try:
        in_bodies_yml = bool(resolve_body(slug, BODIES_FILE))
    except KeyError:
        in_bodies_yml = False
    if in_bodies_yml or db["bodies"].count_where("slug = ? and source != 'dir'", [slug]):
        return "is an OParl body (bodies.yml or synced): choose another slug for a folder"
    return None


def find_pdfs(folder: Path, skipped: list | None = None) -> list[Path]:
    """The PDFs under `folder`; symlinks and anything resolving outside it are left out
    (a link to /etc/passwd named x.pdf must not end up in the public file store)."""
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() != ".pdf":
            continue
        inside = path.resolve().is_relative_to(root)
        if path.is_symlink() or not inside:
            if skipped is not None:
                skipped.append(path)
            continue
        if path.is_file():
            found.append(path)
    return found


def looks_like_pdf(path: Path) -> bool:
    """PDF readers accept the header anywhere in the first 1024 bytes."""
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


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
    profile_changed = _profile_changed(db, slug, profile)
    register_body(db, slug, name or slug, "dir", url=str(folder.name), profile=profile)
    counts: dict[str, Any] = {"files": 0, "new": 0, "skipped": 0, "not_pdf": [], "links": []}
    for pdf in find_pdfs(folder, counts["links"]):
        relpath = pdf.relative_to(folder).as_posix()
        if looks_like_pdf(pdf):
            sha256, stored = store_file(data_dir, pdf)
        else:
            counts["not_pdf"].append(relpath)
            sha256, stored = store_not_pdf(data_dir, pdf)
        objects = folder_objects(slug, relpath, sha256, stored.stat().st_size, pdf.stat().st_mtime)
        existing = db["stored_files"].count_where("file_id = ? and sha256 = ?",
                                                  [objects[1]["id"], sha256])
        counts["files"] += 1
        counts["skipped" if existing and not profile_changed else "new"] += 1
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
    if profile_changed:
        forget_extractions(db, slug)
    return counts


def store_not_pdf(data_dir: Path, source: Path) -> tuple[str, Path]:
    """Bytes without a PDF header are kept (the build records their not_pdf failure) but
    not under <sha>.pdf, the only name /-/file/ serves as application/pdf."""
    data = source.read_bytes()
    digest = sha256_of(data)
    target = store_path(data_dir, digest).with_suffix(".notpdf")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        part.write_bytes(data)
        os.replace(part, target)
    return digest, target


def _profile_changed(db, slug: str, profile: str | None) -> bool:
    rows = list(db.query("select profile from bodies where slug = ?", [slug]))
    return bool(rows) and rows[0]["profile"] != profile


def forget_extractions(db, slug: str) -> None:
    """The extraction cache is keyed by content and extractor version, not by profile:
    after a profile change the body's files must be read again."""
    with db.conn:
        db.execute("delete from extractions where sha256 in "
                   "(select sha256 from stored_files where body = ?)", [slug])
