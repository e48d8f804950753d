"""OParl sync against the local OParl server: full, incremental, deletions, faults, kill -9."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from etl.oparl.fetch import Fetcher, FetchError
from etl.oparl.parse import (
    as_list,
    loads_lenient,
    paper_files,
    parse_list_page,
    ref_id,
    value,
)
from etl.oparl.sync import sync_body
from etl.samples.oparl_server import Faults, OParlServer
from etl.samples.oparl_store import ObjectStore
from etl.state import open_state

from conftest import corpus_path


def snapshot(state) -> dict:
    objects = sorted((r["id"], r["type"], r["deleted"], r["json"]) for r in
                     state.query("select * from oparl_objects"))
    files = sorted((r["file_id"], r["sha256"]) for r in state.query("select * from stored_files"))
    return {"objects": objects, "files": files}


@pytest.fixture()
def server(sample_dir):
    srv = OParlServer(ObjectStore.from_folder(sample_dir), page_size=7).start()
    yield srv
    srv.stop()


def sync(srv, data, full=False, concurrency=1, **fetch):
    fetcher = Fetcher(backoff=0.01, **fetch)
    return sync_body(open_state(data), data, {"slug": "rat", "url": srv.body_url,
                                              "concurrency": concurrency},
                     full=full, progress=False, fetcher=fetcher)


@pytest.mark.slow
def test_full_then_incremental_equals_one_full_sync(server, tmp_path):
    first = sync(server, tmp_path / "a")
    assert first["failures"] == 0 and first["downloaded"] == 40
    again = sync(server, tmp_path / "a")
    assert again["downloaded"] == 0
    sync(server, tmp_path / "b", full=True, concurrency=4)  # parallel downloads, same result
    assert snapshot(open_state(tmp_path / "a")) == snapshot(open_state(tmp_path / "b"))
    state = open_state(tmp_path / "a")
    assert state["oparl_objects"].count_where("type = 'Paper'") == 40
    assert state["oparl_objects"].count_where("type = 'Consultation'") > 40
    assert state["sync_cursors"].count == 4


def test_incremental_run_asks_only_for_what_changed(server, tmp_path):
    sync(server, tmp_path)
    before = server.requests
    paper = server.store.by_type["Paper"][3]
    server.store.touch(paper["id"], name="Geänderter Betreff")
    summary = sync(server, tmp_path)
    assert summary["objects"] < 40  # the changed paper and the overlap, not the council
    row = open_state(tmp_path).execute("select json from oparl_objects where id = ?",
                                       [paper["id"].replace("{base}", server.base)]).fetchone()
    assert json.loads(row[0])["name"] == "Geänderter Betreff"
    assert server.requests - before < 20


@pytest.mark.slow
def test_changed_file_metadata_with_same_bytes_is_not_downloaded_again(server, tmp_path):
    sync(server, tmp_path)
    file_obj = server.store.by_type["File"][2]
    server.store.touch(file_obj["id"])  # newer modified, same bytes: the ETag answers 304
    paper = next(p for p in server.store.by_type["Paper"] if p["mainFile"] is file_obj)
    server.store.touch(paper["id"])
    summary = sync(server, tmp_path)
    assert summary["downloaded"] == 1 and summary["file_failures"] == 0
    row = open_state(tmp_path).execute(
        "select last_modified from stored_files where file_id = ?",
        [file_obj["id"].replace("{base}", server.base)]).fetchone()
    assert row[0] == file_obj["modified"]


@pytest.mark.slow
def test_deleted_paper_is_marked_not_forgotten(server, tmp_path):
    sync(server, tmp_path)
    paper = server.store.by_type["Paper"][5]
    reference = paper["reference"]
    server.store.delete(paper["id"])
    sync(server, tmp_path)
    row = open_state(tmp_path).execute(
        "select deleted, json from oparl_objects where id = ?",
        [paper["id"].replace("{base}", server.base)]).fetchone()
    assert row[0] == 1
    kept = json.loads(row[1])
    assert kept["deleted"] is True and kept["reference"] == reference


@pytest.mark.slow
def test_injected_faults_end_as_recorded_failures(sample_dir, tmp_path):
    store = ObjectStore.from_folder(sample_dir)
    first_file = store.by_type["File"][0]
    faults = Faults(error_every=4, retry_after=0.05, drop_filters=True, ignore_limit=True,
                    html_for={"/body/1/meetings"}, bad_checksum={first_file["id"]})
    srv = OParlServer(store, faults=faults, page_size=9).start()
    try:
        summary = sync(srv, tmp_path)
    finally:
        srv.stop()
    state = open_state(tmp_path)
    kinds = {r["kind"]: r["url"] for r in state.query("select kind, url from fetch_failures")}
    assert set(kinds) == {"not_json", "checksum_mismatch"}
    assert kinds["checksum_mismatch"].endswith("/download/0001.pdf")
    assert not state["stored_files"].count_where("file_id like '%/file/0001'")
    assert summary["downloaded"] == 39
    assert state["oparl_objects"].count_where("type = 'Paper'") == 40
    assert state["oparl_objects"].count_where("type = 'Meeting'") == 0
    cursors = {r["list_url"].rsplit("/", 1)[-1] for r in state.query("select * from sync_cursors")}
    assert "meetings" not in cursors  # an unfinished list keeps its old position


@pytest.mark.slow
def test_html_instead_of_a_pdf_is_recorded(sample_dir, tmp_path):
    store = ObjectStore.from_folder(sample_dir)
    store.files["0002"] = lambda: b"<!DOCTYPE html><html>Wartung</html>"
    srv = OParlServer(store).start()
    try:
        summary = sync(srv, tmp_path)
    finally:
        srv.stop()
    assert summary["file_failures"] == 1
    rows = list(open_state(tmp_path).query("select kind, url from fetch_failures"))
    assert [r["kind"] for r in rows] == ["html_instead_of_pdf"]


def test_unreadable_body_urls_end_as_one_line_and_a_record(sample_dir, tmp_path):
    from click.testing import CliRunner

    from etl.cli import cli

    srv = OParlServer(ObjectStore.from_folder(sample_dir),
                      faults=Faults(html_for={"/body/3"}, gone={"/body/2"})).start()
    cases = {"not_json": f"{srv.base}/body/3", "http_410": f"{srv.base}/body/2",
             "network": "http://127.0.0.1:9/body/1", "http_500": srv.body_url}
    try:
        for kind, url in cases.items():
            srv.faults.error_every = 1 if kind == "http_500" else 0
            summary = sync_body(open_state(tmp_path), tmp_path, {"slug": kind, "url": url},
                                progress=False, fetcher=Fetcher(backoff=0.01, retries=1))
            assert summary["body_failure"].startswith(kind + ":"), summary
        srv.faults.error_every = 0
        result = CliRunner().invoke(cli, ["sync", f"{srv.base}/no/such/body",
                                          "--data-dir", str(tmp_path)])
    finally:
        srv.stop()
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: sync local: http_404:"), lines
    recorded = {r["body"]: r["kind"] for r in open_state(tmp_path).query(
        "select body, kind from fetch_failures")}
    assert recorded == {**{k: k for k in cases}, "local": "http_404"}
    assert open_state(tmp_path)["oparl_objects"].count == 0


@pytest.mark.slow
def test_trickling_download_becomes_a_timeout_and_progress_goes_on(sample_dir, tmp_path,
                                                                  capsys):
    store = ObjectStore.from_folder(sample_dir)
    srv = OParlServer(store, faults=Faults(trickle_for={"/download/0003.pdf"},
                                           trickle_seconds=0.25)).start()
    try:
        summary = sync_body(open_state(tmp_path), tmp_path, {"slug": "rat", "url": srv.body_url},
                            progress=True, heartbeat=0.3,
                            fetcher=Fetcher(backoff=0.01, deadline=3.0, grace=0.8,
                                            min_rate=100.0))
    finally:
        srv.stop()
    assert summary["downloaded"] == 39 and summary["file_failures"] == 1
    [row] = open_state(tmp_path).query("select kind, url, message from fetch_failures")
    assert row["kind"] == "timeout" and row["url"].endswith("/download/0003.pdf")
    assert "below the minimum of 100" in row["message"]
    beats = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("sync rat [") and "0003.pdf:" in line]
    assert beats and " bytes in " in beats[0]  # the stalled download is named while it stalls


def test_deadline_stops_a_download_that_keeps_its_rate(sample_dir, tmp_path):
    srv = OParlServer(ObjectStore.from_folder(sample_dir),
                      faults=Faults(trickle_for={"/download/0005.pdf"},
                                    trickle_seconds=0.001)).start()
    try:
        fetcher = Fetcher(backoff=0.01, deadline=0.5, grace=60, min_rate=1)
        with pytest.raises(FetchError) as caught:
            fetcher.get(f"{srv.base}/download/0005.pdf")
    finally:
        srv.stop()
    assert caught.value.kind == "timeout" and "not complete after 0.5 s" in caught.value.message


KILL_SCRIPT = """
import sys
from pathlib import Path
from etl.oparl.fetch import FetchError, Fetcher
from etl.oparl.sync import sync_body
from etl.state import open_state
data = Path(sys.argv[1])
sync_body(open_state(data), data, {"slug": "rat", "url": sys.argv[2]}, progress=False,
          fetcher=Fetcher(backoff=0.01))
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.2])
def test_kill_9_mid_sync_then_rerun_loses_and_duplicates_nothing(sample_dir, tmp_path, delay):
    srv = OParlServer(ObjectStore.from_folder(sample_dir), page_size=5,
                      faults=Faults(slow_seconds=0.03)).start()
    try:
        proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(tmp_path / "k"),
                                 srv.body_url])
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        sync(srv, tmp_path / "k")
        sync(srv, tmp_path / "clean", full=True)
    finally:
        srv.stop()
    assert snapshot(open_state(tmp_path / "k")) == snapshot(open_state(tmp_path / "clean"))
    assert not list((tmp_path / "k" / "files").rglob("*.part"))


def test_vendor_quirks_are_parsed():
    assert as_list({"id": "x"}) == [{"id": "x"}]  # auxiliaryFile sent as an object
    assert value({"name": "N/A"}, "name") is None and value({"name": " "}, "name") is None
    assert loads_lenient(b'{"name": "Zeile\x01eins"}') == {"name": "Zeile eins"}
    paper = {"mainFile": "http://x/f/1", "auxiliaryFile": {"id": "http://x/f/2"}}
    assert [role for role, _f in paper_files(paper)] == ["main", "auxiliary"]
    objects, next_url = parse_list_page(b'{"data": [{"id": "a"}, "junk"], "links": {}}')
    assert objects == [{"id": "a"}] and next_url is None
    with pytest.raises(ValueError):
        parse_list_page(b"<html><body>Fehler</body></html>", "text/html")


def test_objects_with_absurdly_long_ids_are_left_out():
    huge = "https://rat.example/" + "x" * 5000
    page = json.dumps({"data": [{"id": huge}, {"id": "https://rat.example/p/1"}], "links": {}})
    objects, _next = parse_list_page(page.encode())
    assert [o["id"] for o in objects] == ["https://rat.example/p/1"]
    assert ref_id(huge) is None and ref_id(" https://rat.example/p/1 ") == "https://rat.example/p/1"


@pytest.mark.slow
def test_synced_objects_validate_against_the_oparl_schema(server, tmp_path):
    import jsonschema

    schema_dir = corpus_path("oparl-spec", "schema")
    sync(server, tmp_path)
    state = open_state(tmp_path)
    checked = 0
    for row in state.query("select type, json from oparl_objects"):
        schema_file = schema_dir / f"{row['type']}.json"
        if schema_file.exists():
            schema = json.loads(schema_file.read_text())
            jsonschema.validate(json.loads(row["json"]), schema)
            checked += 1
    assert checked > 150


@pytest.mark.slow
def test_leipzig_oparl_1_0_papers_sync_with_their_originator(tmp_path):
    path = corpus_path("leipzig", "oparl_papers_2020.jl")
    store = ObjectStore()
    body = "https://ratsinfo.leipzig.de/bi/oparl/1.0/bodies.asp?id=2387"
    text = path.read_text(encoding="utf-8").replace(body, "{base}/body/1")
    store.add({"id": "{base}/body/1", "type": "https://schema.oparl.org/1.0/Body",
               "name": "Stadt Leipzig", "paper": "{base}/body/1/papers"})
    for line in text.splitlines():
        store.add(json.loads(line))
    srv = OParlServer(store).start()
    try:
        summary = sync(srv, tmp_path, )
    finally:
        srv.stop()
    state = open_state(tmp_path)
    assert state["oparl_objects"].count_where("type = 'Paper'") == 20
    assert summary["file_failures"] > 0  # Leipzig's files are not on this machine: recorded
    import sqlite_utils

    from etl.db.build import publish
    publish(state, tmp_path / "ratsdaten.db")
    papers = list(sqlite_utils.Database(tmp_path / "ratsdaten.db").query(
        "select reference, submitted_by, base_reference, version_suffix from papers "
        "where reference = 'VI-A-05394-VSP-01'"))
    assert papers == [{"reference": "VI-A-05394-VSP-01", "submitted_by": papers[0]["submitted_by"],
                       "base_reference": "VI-A-05394", "version_suffix": "VSP-01"}]
    assert papers[0]["submitted_by"]


KARLSRUHE = "https://web1.karlsruhe.de/oparl/bodies/0001"


@pytest.mark.slow
def test_karlsruhe_subset_syncs_builds_and_validates(tmp_path):
    import jsonschema
    import sqlite_utils

    from etl.db.build import build
    from etl.pdf.sandbox import Limits
    from etl.samples.oparl_archive import load_archive

    store = load_archive(corpus_path("karlsruhe"), KARLSRUHE, "Stadt Karlsruhe", limit=40)
    srv = OParlServer(store, page_size=25).start()
    try:
        summary = sync(srv, tmp_path)
    finally:
        srv.stop()
    assert summary["downloaded"] >= 40
    state = open_state(tmp_path)
    schema = json.loads((corpus_path("oparl-spec", "schema") / "Paper.json").read_text())
    for row in state.query("select json from oparl_objects where type = 'Paper'"):
        jsonschema.validate(json.loads(row["json"]), schema)
    result = build(state, tmp_path, Limits(workers=2), progress=False)
    synced = state["oparl_objects"].count_where("type = 'Paper'")
    assert synced >= 39  # a deleted paper is listed only to incremental runs
    assert result["papers"] == synced and result["pages"] > 40
    db = sqlite_utils.Database(tmp_path / "ratsdaten.db")
    assert db["papers"].count_where("deleted = 1") <= 40
    assert db.execute("select count(*) from files where status = 'ok'").fetchone()[0] >= 40
    assert db["papers"].count_where("profile = 'karlsruhe'") >= 5
    paper = db.execute("select paper_id from financial_impacts where extra is not null "
                       "limit 1").fetchone()
    if paper:
        import asyncio
        from urllib.parse import quote

        from etl.serve import datasette_instance

        page = asyncio.run(datasette_instance(tmp_path / "ratsdaten.db").client.get(
            "/-/paper?id=" + quote(paper[0]), follow_redirects=True))  # to /vorlage/…
        assert page.status_code == 200 and "Deckblatt" in page.text


@pytest.mark.slow
def test_a_sync_with_a_time_budget_leaves_the_rest_for_the_next_run(server, tmp_path):
    import time as clock

    data = tmp_path / "d"
    config = {"slug": "rat", "url": server.body_url, "stop_at": clock.monotonic() - 1}
    early = sync_body(open_state(data), data, config, progress=False,
                      fetcher=Fetcher(backoff=0.01))
    assert early["objects"] == 0 and open_state(data)["sync_cursors"].count == 0
    sync_body(open_state(data), data, {"slug": "rat", "url": server.body_url}, files=False,
              progress=False, fetcher=Fetcher(backoff=0.01))
    left = sync_body(open_state(data), data, config, progress=False,
                     fetcher=Fetcher(backoff=0.01))
    assert left["downloaded"] == 0 and left["files_left"] == 40
    assert sync(server, data)["downloaded"] == 40


@pytest.mark.slow
def test_dead_links_are_asked_again_weekly_not_nightly(sample_dir, tmp_path):
    store = ObjectStore.from_folder(sample_dir)
    del store.files["0004"]  # the council's link is dead: 404
    srv = OParlServer(store).start()
    try:
        first = sync(srv, tmp_path)
        before = srv.requests
        second = sync(srv, tmp_path)
        asked = srv.requests - before
        open_state(tmp_path).execute("update fetch_failures set at = '2020-01-01T00:00:00+00:00'")
        third = sync(srv, tmp_path)
    finally:
        srv.stop()
    assert first["file_failures"] == 1 and first["downloaded"] == 39
    assert second["file_failures"] == 0 and second["downloaded"] == 0
    assert asked < 20  # lists only, not the dead file
    assert third["file_failures"] == 1  # a week later it is tried again
    [row] = open_state(tmp_path).query("select kind, at from fetch_failures")
    assert row["kind"] == "http_404" and row["at"] > "2026"
