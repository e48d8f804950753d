"""`ratsdaten build`: extract what is new, then publish data/ratsdaten.db atomically."""

import hashlib
import json
import os
import time
from collections import Counter
from pathlib import Path

import sqlite_utils

from .. import DATABASE_VERSION, EXTRACTOR_VERSION, __version__
from ..pdf.ocr import OCR_VERSION
from ..pdf.sandbox import DEBUG_LOG_ENV, Limits, process_alive
from ..progress import Progress
from ..state import StatePages, now_iso, pack_result
from .load import load_all
from .shape import enable_search, ensure_db_shape

SYSTEMIC_FAILURE_SHARE = 0.2


def pending_files(state, data_dir: Path) -> list[tuple[str, Path, str | None]]:
    """Stored files without an extraction by this extractor version (one per content)."""
    rows = state.query(
        """select s.sha256, min(s.path) as path, min(b.profile) as profile
           from stored_files s left join bodies b on b.slug = s.body
           left join extractions e on e.sha256 = s.sha256 and e.extractor_version = :v
           where e.sha256 is null group by s.sha256 order by s.sha256""",
        {"v": EXTRACTOR_VERSION})
    return [(r["sha256"], data_dir / r["path"], r["profile"]) for r in rows]


def extract_pending(state, data_dir: Path, limits: Limits, tables: bool = True,
                    progress: bool = True, scheduler: str | None = None,
                    stats: dict | None = None) -> Counter:
    """Run the extractor on every pending file in sandboxed workers (long scans as page
    jobs, their pages stored as they come); record each file's outcome."""
    from ..pdf.jobs import extract_files, local_executor

    pending = pending_files(state, data_dir)
    counts: Counter[str] = Counter()
    (data_dir / "logs").mkdir(exist_ok=True)
    os.environ.setdefault(DEBUG_LOG_ENV, str(data_dir / "logs" / "extract-debug.log"))
    bar = Progress(len(pending), "extracting") if progress else None
    store = StatePages(state, OCR_VERSION)
    if scheduler:
        from ..pdf.cluster import run_on_cluster
        outcomes = run_on_cluster(scheduler, pending, limits, store, tables, stats)
    else:
        outcomes = extract_files(pending, limits, local_executor(limits), store, tables, stats)
    for sha256, outcome in outcomes:
        failure = outcome.get("failure")
        counts[failure["kind"] if failure else "ok"] += 1
        state["extractions"].upsert({
            "sha256": sha256, "extractor_version": EXTRACTOR_VERSION,
            "result": pack_result(outcome["result"]) if "result" in outcome else None,
            "failure_kind": failure and failure["kind"],
            "failure_stage": failure and failure["stage"],
            "failure_message": failure and failure["message"],
            "seconds": outcome.get("seconds"), "max_rss_mb": outcome.get("max_rss_mb"),
            "extracted_at": now_iso()}, pk=("sha256", "extractor_version"))
        if bar:
            bar.advance()
    if bar:
        bar.close()
    return counts


def forget_failures(state, kind: str | None = None) -> int:
    """Make failed files (of one class, or all) pending again, with their failed pages;
    returns how many files will be read again."""
    where, params = "failure_kind is not null", {}
    if kind:
        where, params = "failure_kind = :kind", {"kind": kind}
    pages = [r["sha256"] for r in state.query(
        f"select distinct sha256 from ocr_pages where {where}", params)]
    with state.conn:
        state.execute(f"delete from ocr_pages where {where}", params)
        files = state.execute(f"delete from extractions where {where}", params).rowcount
        for sha256 in pages:  # files read with a page missing: read again with it
            files += state.execute("delete from extractions where sha256 = ? and "
                                   "failure_kind is null", [sha256]).rowcount
    return files


def state_signature(state, options: dict) -> str:
    """Changes whenever anything the build reads changes (or the code, or the options),
    and only then: a digest of the content, not of when it was fetched or extracted."""
    from .fingerprint import state_content_digest

    digest = hashlib.sha256(json.dumps([__version__, EXTRACTOR_VERSION, DATABASE_VERSION, options],
                                       sort_keys=True).encode())
    state_content_digest(state, digest)
    return digest.hexdigest()


def published_signature(target: Path) -> str | None:
    if not target.exists():
        return None
    try:
        row = sqlite_utils.Database(target).execute(
            "select value from build_info where key = 'state_signature'").fetchone()
    except Exception:  # noqa: BLE001 - an old or damaged database is simply rebuilt
        return None
    return row[0] if row else None


def publish(state, target: Path, full_text_trigram: bool = False,
            signature: str | None = None) -> dict:
    """Write the database to a temp file beside target, check it, and swap it in."""
    remove_stale_temp_files(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        ensure_db_shape(db)
        with db.conn:
            counts = load_all(db, state)
        enable_search(db, full_text_trigram)
        _write_build_info(db, counts, signature)
        db.execute("VACUUM")
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError("integrity check of the new database failed")
    finally:
        db.close()
    _fsync(tmp)
    os.replace(tmp, target)
    _fsync(target.parent)
    return counts


def remove_stale_temp_files(target: Path) -> None:
    """Temp databases of builds that were killed (their process is gone)."""
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _write_build_info(db, counts: dict, signature: str | None) -> None:
    info = {"code_version": __version__, "extractor_version": EXTRACTOR_VERSION,
            "built_at": now_iso(), "state_signature": signature or ""}
    info.update({f"rows_{table}": str(n) for table, n in sorted(counts.items())})
    db["build_info"].upsert_all([{"key": k, "value": v} for k, v in info.items()], pk="key")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build(state, data_dir: Path, limits: Limits, tables: bool = True,
          progress: bool = True, scheduler: str | None = None, full_text_trigram: bool = False,
          force: bool = False, retry_failed: str | None = None) -> dict:
    """Extract, publish and summarise; the summary says whether failures look systemic.
    When nothing the build reads has changed, the published database is kept as it is.
    `retry_failed` ("all" or a failure class) reads those failed files again first."""
    started = time.monotonic()
    remove_stale_temp_files(data_dir / "ratsdaten.db")
    retried = forget_failures(state, None if retry_failed == "all" else retry_failed) \
        if retry_failed else 0
    stats: dict[str, int] = {}
    extracted = extract_pending(state, data_dir, limits, tables=tables, progress=progress,
                                scheduler=scheduler, stats=stats)
    state.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # state.db is whole in one file again
    target = data_dir / "ratsdaten.db"
    signature = state_signature(state, {"full_text_trigram": full_text_trigram})
    if not force and published_signature(target) == signature:
        counts = {r["key"][5:]: int(r["value"]) for r in sqlite_utils.Database(target).query(
            "select key, value from build_info where key like 'rows_%'")}
        unchanged = True
    else:
        counts = publish(state, target, full_text_trigram, signature)
        unchanged = False
    new = sum(extracted.values())
    failed = new - extracted.get("ok", 0)
    failures = Counter(r["kind"] for r in sqlite_utils.Database(data_dir / "ratsdaten.db")
                       .query("select kind from failures"))
    return {"unchanged": unchanged, "extracted": new, "extracted_failed": failed,
            "ocr_pages": stats.get("ocr_pages", 0), "timeouts_retried": stats.get("retried", 0),
            **({"retry_failed": retried} if retry_failed else {}),
            "papers": counts.get("papers", 0),
            "files": counts.get("files", 0), "pages": counts.get("pages", 0),
            "failures_by_kind": dict(sorted(failures.items())),
            "seconds": round(time.monotonic() - started, 2),
            "systemic": systemic(new, failed)}


def systemic(new: int, failed: int) -> bool:
    """The README's rule: more than 20 % of the files read in this build failed."""
    return new > 0 and failed / new > SYSTEMIC_FAILURE_SHARE


def build_line(summary: dict) -> str:
    """One readable line for `build` (and `demo`)."""
    state = "nothing changed, database kept" if summary["unchanged"] else "database published"
    failures = ", ".join(f"{n} {kind}" for kind, n in summary["failures_by_kind"].items())
    return (f"build: {state}: {summary['papers']} papers, {summary['files']} files, "
            f"{summary['pages']} pages; {summary['extracted']} files extracted "
            f"({summary['extracted_failed']} failed); {summary.get('ocr_pages', 0)} pages "
            f"OCRed as page jobs; {summary.get('timeouts_retried', 0)} timeouts retried; "
            + (f"{summary['retry_failed']} failed files read again; "
               if "retry_failed" in summary else "")
            + f"recorded failures: {failures or 'none'}"
            f"; {summary['seconds']} s")
