"""state push|pull, the database a machine fetches on start, and pruning with re-download."""

import gzip
import json
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from etl import EXTRACTOR_VERSION
from etl.cli import cli
from etl.db.fingerprint import fingerprint
from etl.db.shape import ensure_db_shape
from etl.dbship import PREVIOUS, fetch_db, publish_db
from etl.oparl.fetch import Fetcher
from etl.oparl.sync import sync_body
from etl.prune import prune_files
from etl.samples.oparl_server import OParlServer
from etl.samples.oparl_store import ObjectStore
from etl.state import now_iso, open_state
from etl.statestore import DirStore, StoreError, open_store, pull_state, push_state


def rows(path):
    conn = sqlite3.connect(path)
    return sorted(conn.execute("select id, json from oparl_objects"))


@pytest.fixture()
def synced(sample_dir, tmp_path):
    """A data folder with the sample council synced (no build: extraction is not needed)."""
    data = tmp_path / "data"
    server = OParlServer(ObjectStore.from_folder(sample_dir)).start()
    try:
        sync_body(open_state(data), data, {"slug": "rat", "url": server.body_url},
                  progress=False, fetcher=Fetcher(backoff=0.01))
    finally:
        server.stop()
    return data, server


def test_push_then_pull_restores_state_and_fingerprint(synced, tmp_path):
    data, _server = synced
    (data / "fingerprint.txt").write_text("abc123\n")
    store = DirStore(tmp_path / "store")
    manifest = push_state(data, store)
    assert manifest["size"] < manifest["raw_size"]  # compressed
    with gzip.open(tmp_path / "store" / manifest["object"]) as fh:
        assert fh.read(16) == b"SQLite format 3\x00"
    fresh = tmp_path / "fresh"
    assert pull_state(fresh, store)["status"] == "restored from the store"
    assert rows(fresh / "state.db") == rows(data / "state.db") and len(rows(data / "state.db"))
    assert (fresh / "fingerprint.txt").read_text().strip() == "abc123"
    assert pull_state(fresh, store)["status"] == "local copy is current"
    push_state(data, store)
    open_state(data)["bodies"].update("rat", {"name": "Geändert"})
    third = push_state(data, store)
    objects = sorted(p.name for p in (tmp_path / "store").glob("state-*"))
    assert len(objects) == 2 and third["object"] in objects  # the newest and one before


def test_lost_or_damaged_copies_are_refused_and_the_local_state_kept(synced, tmp_path):
    data, _server = synced
    store = DirStore(tmp_path / "store")
    local = tmp_path / "local"
    local.mkdir()
    (local / "state.db").write_bytes(b"local state, must survive")
    with pytest.raises(StoreError, match="holds no state"):
        pull_state(local, store)
    assert pull_state(local, store, allow_empty=True)["status"].startswith("empty store")
    manifest = push_state(data, store)
    packed = tmp_path / "store" / manifest["object"]
    good = packed.read_bytes()
    packed.write_bytes(good[:100] + bytes([good[100] ^ 1]) + good[101:])
    with pytest.raises(StoreError, match="does not match its checksum"):
        pull_state(local, store)
    packed.unlink()
    with pytest.raises(StoreError, match="is missing"):
        pull_state(local, store)
    (tmp_path / "store" / "state.json").write_text("{not json")
    with pytest.raises(StoreError, match="not valid JSON"):
        pull_state(local, store)
    assert (local / "state.db").read_bytes() == b"local state, must survive"
    result = CliRunner().invoke(cli, ["state", "pull", "--store", f"dir:{tmp_path / 'store'}",
                                      "--data-dir", str(local)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def test_large_copies_travel_in_parts(synced, tmp_path):
    data, _server = synced
    store = DirStore(tmp_path / "store")
    manifest = push_state(data, store, part_bytes=20_000)
    assert len(manifest["parts"]) > 2
    assert sorted(p.name for p in (tmp_path / "store").glob("state-*")) == sorted(
        p["name"] for p in manifest["parts"])
    assert pull_state(tmp_path / "fresh", store)["status"] == "restored from the store"
    assert rows(tmp_path / "fresh" / "state.db") == rows(data / "state.db")
    second = tmp_path / "store" / manifest["parts"][1]["name"]
    second.write_bytes(second.read_bytes()[:-1])
    with pytest.raises(StoreError, match="download of .*001 does not match"):
        pull_state(tmp_path / "other", store)


def test_store_specs():
    assert str(open_store("gh:ratsdaten/ratsdaten@state")) == "gh:ratsdaten/ratsdaten@state"
    assert str(open_store("dir:/tmp/x")) == "dir:/tmp/x"
    with pytest.raises(StoreError, match="OWNER/REPO"):
        open_store("gh:justaname")


def small_db(path, name):
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["bodies"].insert({"id": "b", "name": name}, pk="id", alter=True)
    db.close()


@pytest.mark.slow
def test_machine_fetches_the_published_database_and_keeps_the_old_one(tmp_path):
    data, volume, store = tmp_path / "data", tmp_path / "volume", tmp_path / "store"
    data.mkdir()
    small_db(data / "ratsdaten.db", "Erste")
    first = publish_db(data, DirStore(store))
    assert fetch_db(str(store), volume)["status"] == "fetched"
    assert fingerprint(volume / "ratsdaten.db") == first["fingerprint"]
    assert fetch_db(str(store), volume)["status"] == "current"
    (data / "ratsdaten.db").unlink()
    small_db(data / "ratsdaten.db", "Zweite")
    second = publish_db(data, DirStore(store))
    assert second["fingerprint"] != first["fingerprint"]
    assert fetch_db(f"dir:{store}", volume)["status"] == "fetched"
    assert fingerprint(volume / PREVIOUS) == first["fingerprint"]  # kept until it serves
    assert (volume / "fingerprint.txt").read_text().strip() == second["fingerprint"]
    small_db(tmp_path / "third.db", "Dritte")
    (data / "ratsdaten.db").unlink()
    (tmp_path / "third.db").rename(data / "ratsdaten.db")
    third = publish_db(data, DirStore(store))
    damaged = store / third["object"]
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(StoreError, match="does not match"):
        fetch_db(str(store), volume)
    assert fingerprint(volume / "ratsdaten.db") == second["fingerprint"]  # still serving
    assert json.loads((store / "database.json").read_text())["object"] == third["object"]


def mark_extracted(data, failure=None):
    """What a build records for each stored file (the build itself is tested elsewhere)."""
    state = open_state(data)
    for sha in {r["sha256"] for r in state.query("select sha256 from stored_files")}:
        state["extractions"].upsert({
            "sha256": sha, "extractor_version": EXTRACTOR_VERSION, "result": None,
            "failure_kind": failure and "parse_error", "failure_message": failure,
            "extracted_at": now_iso()}, pk=("sha256", "extractor_version"))


def test_pruned_files_stay_unless_a_new_extractor_needs_them(sample_dir, synced):
    data, _ = synced
    server = OParlServer(ObjectStore.from_folder(sample_dir)).start()

    def sync():
        return sync_body(open_state(data), data, {"slug": "rat", "url": server.body_url},
                         progress=False, fetcher=Fetcher(backoff=0.01))
    try:
        sync()  # the ids now point at this server
        assert prune_files(open_state(data), data)["pruned_files"] == 0  # nothing extracted
        mark_extracted(data)
        pruned = prune_files(open_state(data), data)
        assert pruned["pruned_files"] == 40 and pruned["file_store_mb"] == 0
        assert not list((data / "files").rglob("*"))  # empty folders went too
        assert sync()["downloaded"] == 0  # sha256, ETag and size are still known
        open_state(data).execute("delete from extractions")  # a new extractor version
        assert sync()["downloaded"] == 40
        assert len(list((data / "files").rglob("*.pdf"))) == 40
        prune_files(open_state(data), data)  # nothing extracted: nothing pruned
        assert len(list((data / "files").rglob("*.pdf"))) == 40
        mark_extracted(data)
        prune_files(open_state(data), data)
        mark_extracted(data, failure="FileNotFoundError: [Errno 2] pruned before a build")
        assert sync()["downloaded"] == 40
        assert open_state(data)["extractions"].count == 0  # read again by the next build
    finally:
        server.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_start_script_fetches_swaps_and_serves(tmp_path):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    root = Path(__file__).resolve().parent.parent
    data, volume, store = tmp_path / "data", tmp_path / "volume", tmp_path / "store"
    data.mkdir()
    volume.mkdir()
    small_db(volume / "ratsdaten.db", "Alt")  # what the volume served before
    small_db(data / "ratsdaten.db", "Neu")
    published = publish_db(data, DirStore(store))
    port = free_port()
    env = dict(os.environ, PORT=str(port), RATSDATEN_IMAGE_DATA=str(tmp_path / "no-image"),
               RATSDATEN_DATA=str(volume), RATSDATEN_DB_URL=str(store),
               RATSDATEN=str(Path(sys.executable).parent / "ratsdaten"), PYTHON=sys.executable)
    proc = subprocess.Popen([str(root / "scripts" / "start"), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(120):
            if not (volume / PREVIOUS).exists() and (volume / "fingerprint.txt").exists():
                break
            time.sleep(0.5)
        page = httpx.get(f"http://127.0.0.1:{port}/ratsdaten/bodies.json?_shape=array")
        assert [r["name"] for r in page.json()] == ["Neu"]
        assert not (volume / PREVIOUS).exists()  # dropped once the new one served
        assert (volume / "fingerprint.txt").read_text().strip() == published["fingerprint"]
    finally:
        proc.terminate()
        err = proc.communicate(timeout=30)[0]
    assert "fetch-db: fetched" in err and "start: serving" in err


@pytest.mark.slow
@pytest.mark.parametrize("max_mb, baked", [("300", True), ("0", False)])
def test_deploy_script_bakes_small_databases_and_publishes_large_ones(tmp_path, max_mb, baked):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    data.mkdir()
    small_db(data / "ratsdaten.db", "Stadt")
    flyctl = tmp_path / "flyctl"
    flyctl.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "fly.log"}\n')
    flyctl.chmod(0o755)
    env = dict(os.environ, RATSDATEN_DB=str(data / "ratsdaten.db"), FLYCTL=str(flyctl),
               VENV_BIN=str(Path(sys.executable).parent), RATSDATEN_IMAGE_MAX_MB=max_mb,
               RATSDATEN_IMAGE_DIR=str(tmp_path / "image"),
               RATSDATEN_DB_STORE=f"dir:{tmp_path / 'store'}")
    done = subprocess.run([str(root / "scripts" / "deploy-fly")], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fly.log").read_text().split() == ["deploy", "--remote-only"]
    assert (tmp_path / "image" / "ratsdaten.db").exists() == baked
    assert (tmp_path / "store" / "database.json").exists() == (not baked)
    if not baked:
        manifest = json.loads((tmp_path / "store" / "database.json").read_text())
        assert manifest["fingerprint"] == fingerprint(data / "ratsdaten.db")
        assert manifest["inspect"]  # datasette inspect's counts travel with it
