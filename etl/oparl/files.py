"""Download a body's File objects into the content-addressed store, skipping what is unchanged."""

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..progress import Progress
from ..sniff import looks_like_html
from ..state import now_iso, store_bytes
from .fetch import FetchError
from .parse import value
from .store import record_fetch_failure

MISSING_BYTES = "FileNotFoundError"  # how the extractor reports a pruned file it was given


def files_to_fetch(state, slug: str, data_dir: Path | None = None) -> list[dict]:
    """File objects whose stored copy is missing or older than the server's metadata,
    and pruned files that this extractor version has not read yet (their bytes are needed
    again; `_refetch` makes the request unconditional)."""
    stored = {r["file_id"]: r for r in state.query(
        "select file_id, sha256, path, size, last_modified, etag from stored_files "
        "where body = :b", {"b": slug})}
    unread = _unread_pruned(state, data_dir, stored.values()) if data_dir else set()
    dead = _recently_dead(state, slug)
    wanted = []
    for row in state.query("select json from oparl_objects where body = :b and type = 'File' "
                           "and deleted = 0 order by id", {"b": slug}):
        obj = json.loads(row["json"])
        prior = stored.get(obj["id"])
        refetch = prior is not None and prior["sha256"] in unread
        if not refetch and prior and prior["last_modified"] == value(obj, "modified") and (
                not isinstance(obj.get("size"), int) or prior["size"] == obj["size"]):
            continue
        url = value(obj, "downloadUrl") or value(obj, "accessUrl")
        if url and not prior and url in dead:
            continue
        if url:
            etag = prior["etag"] if prior and not refetch else None
            wanted.append(dict(obj, _etag=etag))
    return wanted


DEAD_KINDS = ("http_404", "http_410", "http_403")
RETRY_DEAD_AFTER_DAYS = 7


def _recently_dead(state, slug: str) -> set[str]:
    """URLs that answered 404/403/410 within the last week: asked again weekly, not nightly
    (a big council has thousands of dead links, and a polite sync pays a second for each)."""
    since = (datetime.now(timezone.utc) - timedelta(days=RETRY_DEAD_AFTER_DAYS)).isoformat()
    kinds = ", ".join(f"'{k}'" for k in DEAD_KINDS)
    return {r[0] for r in state.execute(
        f"select url from fetch_failures where body = ? and kind in ({kinds}) and at > ?",
        [slug, since[:19]])}


def _unread_pruned(state, data_dir: Path, stored) -> set[str]:
    """sha256 of stored files whose bytes are gone and that lack a current extraction."""
    from .. import EXTRACTOR_VERSION

    done = {r[0] for r in state.execute(
        "select sha256 from extractions where extractor_version = ? and "
        f"coalesce(failure_message, '') not like '{MISSING_BYTES}%'", [EXTRACTOR_VERSION])}
    return {r["sha256"] for r in stored if r["sha256"] not in done
            and not (data_dir / r["path"]).exists()}


def verify_checksum(obj: dict, data: bytes) -> str | None:
    """A message when the server's checksum does not match the bytes."""
    for key, algorithm in (("sha512Checksum", hashlib.sha512), ("sha1Checksum", hashlib.sha1)):
        expected = value(obj, key)
        if isinstance(expected, str) and algorithm(data).hexdigest() != expected.lower():
            return f"{key} does not match the downloaded bytes"
    return None


def download_files(state, fetcher, data_dir: Path, slug: str, progress: bool = True,
                   concurrency: int = 1, stop_at: float | None = None) -> dict:
    """Fetch in `concurrency` threads (network only); check and store in this thread.
    Past `stop_at` (time.monotonic()) no new download starts: the rest is left for the
    next run, which finds it missing."""
    wanted = files_to_fetch(state, slug, data_dir)
    bar = Progress(len(wanted), f"downloading {slug}") if progress else None
    counts = {"downloaded": 0, "file_failures": 0}
    window = 4 * max(1, concurrency)  # bounded: fetched files never pile up in memory
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for start in range(0, len(wanted), window):
            if stop_at is not None and time.monotonic() > stop_at:
                counts["files_left"] = len(wanted) - start
                break
            batch = wanted[start:start + window]
            for obj, url, response in pool.map(lambda o: _fetch(fetcher, o), batch):
                message = _store_one(state, data_dir, slug, obj, url, response)
                counts["file_failures" if message else "downloaded"] += 1
                if bar:
                    bar.advance()
    if bar:
        bar.close()
    return counts


def _fetch(fetcher, obj: dict):
    url = value(obj, "downloadUrl") or value(obj, "accessUrl")
    headers = {"If-None-Match": obj["_etag"]} if obj.get("_etag") else None
    try:
        return obj, url, fetcher.get(url, headers=headers)
    except FetchError as exc:
        return obj, url, exc


def _store_one(state, data_dir, slug, obj, url, response) -> str | None:
    if isinstance(response, FetchError):
        record_fetch_failure(state, slug, url, response.kind, response.message)
        return response.message
    if response.status_code == 304:  # metadata changed, bytes did not
        state.execute("update stored_files set last_modified = ? where file_id = ?",
                      [value(obj, "modified"), obj["id"]])
        state.conn.commit()
        return None
    if response.status_code == 410:
        state.execute("update oparl_objects set deleted = 1 where id = ?", [obj["id"]])
        state.conn.commit()
        return None
    data = response.content
    problem = None
    if looks_like_html(data, response.headers.get("content-type", "")):
        problem = ("html_instead_of_pdf", "the server sent an HTML page instead of the file")
    elif (mismatch := verify_checksum(obj, data)):
        problem = ("checksum_mismatch", mismatch)
    if problem:
        record_fetch_failure(state, slug, url, *problem)
        return problem[1]
    sha256, path = store_bytes(data_dir, data)
    with state.conn:
        # A build that ran while these bytes were pruned recorded them as missing: read again.
        state.execute("delete from extractions where sha256 = ? and failure_message like ?",
                      [sha256, MISSING_BYTES + "%"])
        state["stored_files"].upsert({
            "file_id": obj["id"], "body": slug, "sha256": sha256,
            "path": str(path.relative_to(data_dir)), "size": len(data), "url": url,
            "etag": response.headers.get("etag"), "last_modified": value(obj, "modified"),
            "stored_at": now_iso()}, pk="file_id")
        state.execute("delete from fetch_failures where url = ?", [url])
    return None
