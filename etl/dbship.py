"""Deploys that ship data, not images: the published database travels through the store,
and the serving machine fetches it into its volume on start.

`publish_db` (in the nightly's deploy step) uploads the database gzipped under its
fingerprint, then `database.json` naming it. `fetch_db` (in scripts/start on the machine)
downloads it only when the fingerprint differs from the copy in the volume, checks size
and sha256 before and after unpacking and SQLite's quick_check, and swaps it in with the
old copy kept as ratsdaten.db.previous until the new one serves (scripts/start removes it
then, or puts it back when the new one does not start).
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import httpx

from .db.fingerprint import fingerprint
from .statestore import (
    FORMAT,
    PART_BYTES,
    StoreError,
    checked_manifest,
    get_parts,
    gunzip_file,
    gzip_file,
    keep_names,
    put_parts,
    read_manifest,
    remove_unreferenced,
    sha256_file,
    sqlite_check,
    write_manifest,
)

DB_MANIFEST = "database.json"
PREVIOUS = "ratsdaten.db.previous"


def publish_db(data_dir: Path, store, keep: int = 2, part_bytes: int = PART_BYTES) -> dict:
    database = data_dir / "ratsdaten.db"
    if not database.is_file():
        raise StoreError(f"{database} does not exist: run `ratsdaten build` first")
    value = fingerprint(database)
    inspect = data_dir / "ratsdaten.inspect.json"
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        packed = Path(tmp) / "db.gz"
        gzip_file(database, packed)
        name = f"ratsdaten-{value[:16]}.db.gz"
        manifest = {"format": FORMAT, "object": name, "fingerprint": value,
                    "sha256": sha256_file(packed), "size": packed.stat().st_size,
                    "raw_sha256": sha256_file(database), "raw_size": database.stat().st_size,
                    "inspect": json.loads(inspect.read_text()) if inspect.is_file() else None}
        manifest["parts"] = put_parts(store, name, packed, part_bytes)
        manifest["keep"] = keep_names(read_manifest(store, DB_MANIFEST), manifest, keep)
        write_manifest(store, manifest, DB_MANIFEST)
    remove_unreferenced(store, manifest, "ratsdaten-")
    return manifest


def fetch_db(source: str, volume: Path) -> dict:
    """Bring the volume's database up to the published one; a failed fetch keeps the old.

    source: the URL of database.json (a GitHub release asset, say) or a local folder."""
    volume.mkdir(parents=True, exist_ok=True)
    manifest = _read_source_manifest(source)
    current = volume / "ratsdaten.db"
    marker = volume / "fingerprint.txt"
    if current.is_file() and marker.is_file() and \
            marker.read_text().strip() == manifest["fingerprint"]:
        return {"status": "current", "fingerprint": manifest["fingerprint"]}
    with tempfile.TemporaryDirectory(dir=volume) as tmp:
        packed, raw = Path(tmp) / "db.gz", Path(tmp) / "ratsdaten.db"
        get_parts(lambda name, path: _download(source, name, path), manifest["parts"], packed)
        _check(packed, manifest["size"], manifest["sha256"])
        gunzip_file(packed, raw)
        packed.unlink()
        _check(raw, manifest["raw_size"], manifest["raw_sha256"])
        sqlite_check(raw, "quick_check", "the published database")
        if current.is_file():
            os.replace(current, volume / PREVIOUS)
        os.replace(raw, current)
    if manifest.get("inspect"):
        (volume / "ratsdaten.inspect.json").write_text(json.dumps(manifest["inspect"]))
    else:
        (volume / "ratsdaten.inspect.json").unlink(missing_ok=True)
    marker.write_text(manifest["fingerprint"] + "\n")
    return {"status": "fetched", "fingerprint": manifest["fingerprint"],
            "mb": round(manifest["raw_size"] / 1024**2, 1)}


def _read_source_manifest(source: str) -> dict:
    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, follow_redirects=True, timeout=60)
            response.raise_for_status()
            manifest = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise StoreError(f"cannot read {source}: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                or "fingerprint" not in manifest:
            raise StoreError(f"{source}: not a database manifest")
        return checked_manifest(manifest, source)
    from .statestore import DirStore

    manifest = read_manifest(DirStore(Path(source.removeprefix("dir:"))), DB_MANIFEST)
    if manifest is None or "fingerprint" not in manifest:
        raise StoreError(f"{source} holds no {DB_MANIFEST}")
    return manifest


def _download(source: str, name: str, target: Path) -> bool:
    if not source.startswith(("http://", "https://")):
        folder = Path(source.removeprefix("dir:"))
        if not (folder / name).is_file():
            return False
        shutil.copyfile(folder / name, target)
        return True
    url = source.rsplit("/", 1)[0] + "/" + name
    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=120) as response:
            if response.status_code == 404:
                return False
            response.raise_for_status()
            with open(target, "wb") as fh:
                for chunk in response.iter_bytes(1024 * 1024):
                    fh.write(chunk)
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot download {url}: {exc}") from None
    return True


def _check(path: Path, size: int, digest: str) -> None:
    if path.stat().st_size != size or sha256_file(path) != digest:
        raise StoreError(f"{path.name} does not match the published checksum: not used")

