"""Pruning the file store: once a file is extracted, its bytes are not needed to rebuild
the database (the result is in state.db; provenance links go to the source URL with
#page=N). The stored_files row – sha256, ETag, size, modified – stays, so an unchanged
file is not downloaded again; a file the current extractor has not read (a new extractor
version, say) is downloaded again by the next sync (etl/oparl/files.py).

Kept: failed extractions (to look at and retry), and files without a source URL
(imported from a folder: the folder is their only other copy)."""

from pathlib import Path

from . import EXTRACTOR_VERSION


def prunable(state) -> list[dict]:
    """Stored files whose content this extractor version read successfully."""
    return list(state.query(
        """select distinct s.path from stored_files s
           join extractions e on e.sha256 = s.sha256 and e.extractor_version = :v
           where e.failure_kind is null and (s.url like 'http://%' or s.url like 'https://%')
           and s.sha256 not in (select s2.sha256 from stored_files s2
                                where not (s2.url like 'http://%' or s2.url like 'https://%'))
           order by s.path""", {"v": EXTRACTOR_VERSION}))


def prune_files(state, data_dir: Path) -> dict:
    """Delete the prunable bytes; returns how many files and bytes went, and what is left."""
    removed = freed = 0
    for row in prunable(state):
        path = data_dir / row["path"]
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        freed += size
        _remove_empty_parents(path.parent, data_dir / "files")
    left = sum(p.stat().st_size for p in (data_dir / "files").rglob("*") if p.is_file()) \
        if (data_dir / "files").exists() else 0
    return {"pruned_files": removed, "pruned_mb": round(freed / 1024**2, 1),
            "file_store_mb": round(left / 1024**2, 1)}


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
