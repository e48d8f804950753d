"""Durable state outside the runner: `ratsdaten state push|pull`, and pruning the file store.

A push writes a consistent snapshot of state.db (SQLite's backup API, so a running sync
cannot tear it), gzipped, under a name that is its own sha256, and then a small manifest
`state.json` naming it – the manifest is written last, so a store never points at a
half-written copy. A pull checks size and sha256 of the download, the sha256 and the
integrity of the unpacked database, and only then swaps it in; a missing or corrupt copy
is an error, never silently used.

Stores: a local directory (tests, the rehearsal, a mounted disk) and a GitHub release of
the repository via the `gh` command line (what the nightly workflow uses).
"""

import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from . import EXTRACTOR_VERSION, __version__

MANIFEST = "state.json"
FORMAT = 1
CHUNK = 1024 * 1024
PART_BYTES = 1536 * 1024 * 1024  # GitHub release assets must stay under 2 GiB


class StoreError(Exception):
    """A store that is unreachable, empty or holds a damaged copy: one line for the user."""


def sha256_file(path: Path, sqlite_header: bool = False) -> str:
    """sha256 of a file; with sqlite_header, the header fields that count writes or name the
    journal mode are zeroed, so a copy made by the backup API hashes like its source."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        first = True
        while chunk := fh.read(CHUNK):
            if first and sqlite_header and chunk[:16] == b"SQLite format 3\x00":
                chunk = bytearray(chunk)
                for start, end in ((18, 20), (24, 28), (92, 100)):
                    chunk[start:end] = bytes(end - start)
            digest.update(chunk)
            first = False
    return digest.hexdigest()


class DirStore:
    """A directory standing in for the durable store; writes are temp file + rename."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __str__(self) -> str:
        return f"dir:{self.root}"

    def put(self, name: str, source: Path) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{name}.{os.getpid()}.part"
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / name)

    def get(self, name: str, target: Path) -> bool:
        source = self.root / name
        if not source.is_file():
            return False
        shutil.copyfile(source, target)
        return True

    def names(self) -> list[str]:
        return sorted(p.name for p in self.root.glob("*") if not p.name.startswith("."))

    def delete(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)


class GitHubReleaseStore:
    """Assets of one release (`gh release upload/download`; the workflow's GITHUB_TOKEN
    suffices). An asset may be up to 2 GB; the release is created on the first push."""

    def __init__(self, repo: str, tag: str):
        self.repo, self.tag = repo, tag

    def __str__(self) -> str:
        return f"gh:{self.repo}@{self.tag}"

    def _gh(self, *args, check: bool = True) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run(["gh", *args, "--repo", self.repo], capture_output=True,
                                  text=True)
        except FileNotFoundError:
            raise StoreError("the gh command line is not installed") from None
        if check and done.returncode != 0:
            raise StoreError(f"gh {args[0]} {args[1]}: {done.stderr.strip()[-300:]}")
        return done

    def put(self, name: str, source: Path) -> None:
        if self._gh("release", "view", self.tag, check=False).returncode != 0:
            self._gh("release", "create", self.tag, "--title", "ratsdaten state",
                     "--notes", "Sync state and published databases (written by the nightly).")
        with tempfile.TemporaryDirectory() as tmp:
            named = Path(tmp) / name  # gh names the asset after the file
            named.symlink_to(Path(source).resolve())
            self._gh("release", "upload", self.tag, str(named), "--clobber")

    def get(self, name: str, target: Path) -> bool:
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            done = self._gh("release", "download", self.tag, "--pattern", name, "--dir", tmp,
                            check=False)
            if done.returncode != 0:
                if "no assets" in done.stderr.lower() or "not found" in done.stderr.lower():
                    return False
                raise StoreError(f"gh release download: {done.stderr.strip()[-300:]}")
            os.replace(Path(tmp) / name, target)
        return True

    def names(self) -> list[str]:
        done = self._gh("release", "view", self.tag, "--json", "assets", check=False)
        if done.returncode != 0:
            return []
        return sorted(a["name"] for a in json.loads(done.stdout)["assets"])

    def delete(self, name: str) -> None:
        self._gh("release", "delete-asset", self.tag, name, "--yes", check=False)


def open_store(spec: str):
    """`dir:PATH` (a plain path without a scheme is a folder too) or `gh:OWNER/REPO@TAG`;
    any other scheme (s3:, https:) is an error, not a folder named after it."""
    if spec.startswith("gh:"):
        repo, _, tag = spec[3:].partition("@")
        if not repo or "/" not in repo:
            raise StoreError(f"bad store {spec!r}: use gh:OWNER/REPO@TAG")
        return GitHubReleaseStore(repo, tag or "ratsdaten-state")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", spec)
    if scheme and scheme.group(1) != "dir":
        raise StoreError(f"unknown store {spec!r}: use dir:PATH (a folder) or gh:OWNER/REPO@TAG")
    if not spec.removeprefix("dir:"):
        raise StoreError("empty store: use dir:PATH (a folder) or gh:OWNER/REPO@TAG")
    return DirStore(Path(spec.removeprefix("dir:")))


def read_manifest(store, name: str = MANIFEST) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / name
        if not store.get(name, target):
            return None
        try:
            manifest = json.loads(target.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise StoreError(f"{store}: {name} is not valid JSON (damaged store)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{store}: {name} has an unknown format")
    return checked_manifest(manifest, f"{store}: {name}")


def checked_manifest(manifest: dict, where: str) -> dict:
    """The fields a pull relies on are there; `parts` filled in for one-piece copies."""
    missing = [k for k in ("object", "sha256", "size", "raw_sha256", "raw_size")
               if k not in manifest]
    if missing:
        raise StoreError(f"{where} lacks {', '.join(missing)} (damaged store)")
    manifest.setdefault("parts", [{"name": manifest["object"], "size": manifest["size"],
                                   "sha256": manifest["sha256"]}])
    manifest.setdefault("keep", [[p["name"] for p in manifest["parts"]]])
    return manifest


def write_manifest(store, manifest: dict, name: str = MANIFEST) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        store.put(name, path)


def snapshot(database: Path, target: Path) -> None:
    """A consistent copy, even while another process writes (SQLite's backup API)."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def gzip_file(source: Path, target: Path) -> None:
    with open(source, "rb") as src, gzip.GzipFile(target, "wb", compresslevel=6, mtime=0) as dst:
        shutil.copyfileobj(src, dst, CHUNK)


def gunzip_file(source: Path, target: Path) -> None:
    try:
        with gzip.open(source, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except (OSError, EOFError) as exc:
        raise StoreError(f"cannot unpack {source.name}: {exc}") from None


def put_parts(store, name: str, packed: Path, part_bytes: int = PART_BYTES) -> list[dict]:
    """Upload `packed` as `name`, or as `name.000`, `name.001`, … when it is larger than
    `part_bytes` (a release asset must stay under 2 GiB); parts already there are kept."""
    if packed.stat().st_size <= part_bytes:
        pieces = [(name, packed)]
    else:
        pieces = []
        with open(packed, "rb") as src:
            while chunk := src.read(part_bytes):
                piece = packed.with_name(f"{name}.{len(pieces):03d}")
                piece.write_bytes(chunk)
                pieces.append((piece.name, piece))
    present = set(store.names())
    parts = []
    for part_name, path in pieces:
        if part_name not in present:
            store.put(part_name, path)
        parts.append({"name": part_name, "size": path.stat().st_size,
                      "sha256": sha256_file(path)})
        if path != packed:
            path.unlink()
    return parts


def get_parts(get, parts: list[dict], target: Path) -> None:
    """Download and check every part, then join them into `target`.
    get(name, path) -> bool fetches one object (False: it is missing)."""
    scratch = target.with_name(target.name + ".piece")
    with open(target, "wb") as out:
        for part in parts:
            if not get(part["name"], scratch):
                raise StoreError(f"{part['name']} is missing from the store")
            _check(scratch, part["size"], part["sha256"], f"download of {part['name']}")
            with open(scratch, "rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
    scratch.unlink(missing_ok=True)


def push_state(data_dir: Path, store, keep: int = 2, part_bytes: int = PART_BYTES) -> dict:
    """Snapshot, compress, upload under its hash, then the manifest; older copies beyond
    `keep` are removed only after the manifest points at the new one."""
    state = data_dir / "state.db"
    if not state.is_file():
        raise StoreError(f"{state} does not exist: nothing to push")
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        raw, packed = Path(tmp) / "state.db", Path(tmp) / "state.db.gz"
        snapshot(state, raw)
        gzip_file(raw, packed)
        digest = sha256_file(packed)
        name = f"state-{digest[:16]}.db.gz"
        manifest = {"format": FORMAT, "object": name, "sha256": digest,
                    "size": packed.stat().st_size, "raw_sha256": sha256_file(raw),
                    "raw_size": raw.stat().st_size,
                    "pages_sha256": sha256_file(raw, sqlite_header=True),
                    "code_version": __version__,
                    "extractor_version": EXTRACTOR_VERSION,
                    "pushed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "deployed_fingerprint": _read_text(data_dir / "fingerprint.txt")}
        raw.unlink()
        manifest["parts"] = put_parts(store, name, packed, part_bytes)
        manifest["keep"] = keep_names(read_manifest(store), manifest, keep)
        write_manifest(store, manifest)
    remove_unreferenced(store, manifest, "state-")
    return manifest


def keep_names(old: dict | None, new: dict, keep: int) -> list[list[str]]:
    """Part names of the newest `keep` copies, newest first."""
    current = [p["name"] for p in new["parts"]]
    earlier = (old or {}).get("keep") or []
    return ([current] + [names for names in earlier if names != current])[:keep]


def remove_unreferenced(store, manifest: dict, prefix: str) -> None:
    wanted = {name for names in manifest["keep"] for name in names}
    for name in store.names():
        if name.startswith(prefix) and name not in wanted:
            store.delete(name)


def pull_state(data_dir: Path, store, allow_empty: bool = False) -> dict:
    """Replace the local state.db with the store's copy after checking it; a local copy
    identical to the store's (from the Actions cache, say) is kept without a download."""
    manifest = read_manifest(store)
    if manifest is None:
        if allow_empty:
            return {"status": "empty store, starting from nothing"}
        raise StoreError(f"{store} holds no state ({MANIFEST} is missing): if this is the "
                         "first night, use `state pull --allow-empty` or "
                         "`nightly --allow-empty-store`; otherwise the store was lost")
    data_dir.mkdir(parents=True, exist_ok=True)
    _restore_fingerprint(data_dir, manifest)
    state = data_dir / "state.db"
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        if state.is_file() and _snapshot_sha256(state, Path(tmp) / "local.db") == \
                manifest.get("pages_sha256"):
            return {"status": "local copy is current", **_summary(manifest)}
        packed, raw = Path(tmp) / "state.db.gz", Path(tmp) / "state.db"
        get_parts(store.get, manifest["parts"], packed)
        _check(packed, manifest["size"], manifest["sha256"], "download")
        gunzip_file(packed, raw)
        _check(raw, manifest["raw_size"], manifest["raw_sha256"], "unpacked state")
        sqlite_check(raw, "integrity_check", "the stored state")
        for suffix in ("-wal", "-shm"):
            Path(f"{state}{suffix}").unlink(missing_ok=True)
        os.replace(raw, state)
    return {"status": "restored from the store", **_summary(manifest)}


def _restore_fingerprint(data_dir: Path, manifest: dict) -> None:
    value = manifest.get("deployed_fingerprint")
    if value:
        (data_dir / "fingerprint.txt").write_text(value + "\n", encoding="utf-8")


def _check(path: Path, size: int, digest: str, what: str) -> None:
    if path.stat().st_size != size or sha256_file(path) != digest:
        raise StoreError(f"the {what} does not match its checksum: the stored copy is "
                         "damaged; it was not used (the local state is unchanged)")


def sqlite_check(path: Path, pragma: str, what: str) -> None:
    """StoreError unless SQLite's `pragma` (integrity_check, quick_check) answers ok."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        result = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{what} is not a usable database: {exc}") from None
    if result != "ok":
        raise StoreError(f"{what} fails SQLite's {pragma}: {result}")


def _snapshot_sha256(state: Path, scratch: Path) -> str | None:
    """The hash a push of this state would record (a snapshot, not the WAL-mode file)."""
    try:
        snapshot(state, scratch)
    except sqlite3.DatabaseError:
        return None
    try:
        return sha256_file(scratch, sqlite_header=True)
    finally:
        scratch.unlink(missing_ok=True)


def _summary(manifest: dict) -> dict:
    return {k: manifest[k] for k in ("object", "size", "raw_size", "pushed_at")}


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8").strip() or None if path.is_file() else None
