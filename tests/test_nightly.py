"""The nightly rehearsal (two nights, a change, a lost runner) and content-only fingerprints."""

import asyncio
import re
import shutil
import sqlite3
import subprocess
import sys
from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.build import build, state_signature
from etl.db.fingerprint import fingerprint
from etl.oparl.fetch import Fetcher
from etl.oparl.sync import sync_body
from etl.pdf.sandbox import Limits
from etl.rehearsal import rehearse
from etl.samples.council import write_sample
from etl.samples.oparl_server import OParlServer
from etl.samples.oparl_store import ObjectStore
from etl.serve import datasette_instance
from etl.state import open_state


@pytest.mark.slow
def test_two_nights_deploy_once_per_change_and_survive_a_lost_runner(tmp_path, monkeypatch):
    result = rehearse(tmp_path / "r", papers=6)
    one, quiet, two = result["night1"], result["quiet_night"], result["night2"]
    for name, night in (("night1", one), ("quiet", quiet), ("night2", two)):
        assert night["exit"] == 0, (name, night["stderr"])
    assert one["downloaded"] == one["files_sent"] == 6 and one["deploys"] == 1
    assert one["steps"]["pull"].startswith("empty store")
    assert one["pdfs_left"] == 0 and "pruned_files=6" in one["steps"]["prune"]
    # nothing changed: nothing downloaded, the local copy needs no download, no deploy
    assert quiet["downloaded"] == 0 and quiet["deploys"] == 1
    assert quiet["steps"]["pull"] == "local copy is current"
    assert quiet["steps"]["deploy"].startswith("skipped: fingerprint unchanged")
    # the runner lost everything: restored from the store, only the changed file fetched
    assert two["steps"]["pull"] == "restored from the store"
    assert two["downloaded"] == 1 and two["files_sent"] == [two["changed"]]
    assert "extracted=1 " in two["steps"]["build"] and two["deploys"] == 2
    assert two["pdfs_left"] == 0 and (tmp_path / "r" / "data" / "night-pulled").exists()
    deployed = (tmp_path / "r" / "deploys.log").read_text().split()
    assert deployed[0] != deployed[2]  # two different fingerprints were deployed
    assert (tmp_path / "r" / "data" / "fingerprint.txt").read_text().strip() == deployed[2]
    db = sqlite_utils.Database(tmp_path / "r" / "data" / "ratsdaten.db")
    assert db["papers"].count_where("name like '%(Neufassung)'") == 1
    assert db.execute("select count(*) from pages where text like '%geänderte Fassung%'"
                      ).fetchone()[0] == 1
    assert len([n for n in result["store"] if n.startswith("state-")]) == 2
    # the PDFs are pruned: provenance links go to the council's file with #page=N
    monkeypatch.setenv("RATSDATEN_FILES", str(tmp_path / "r" / "data" / "files"))
    assert (tmp_path / "r" / "data" / "files").is_dir()
    paper = db.execute("select paper_id from provenance limit 1").fetchone()[0]
    html = asyncio.run(datasette_instance(tmp_path / "r" / "data" / "ratsdaten.db").client.get(
        "/-/paper?id=" + quote(paper), follow_redirects=True)).text  # to /vorlage/…
    links = re.findall(r'class="source" href="([^"]+)"', html) + re.findall(
        r'href="([^"]+)" class="source"', html)
    assert links and all(re.match(r"http://127\.0\.0\.1:\d+/download/\d+\.pdf#page=\d+$", link)
                         for link in links), links


def test_rehearsal_script_explains_itself():
    done = subprocess.run(["scripts/rehearse-nights", "--help"], capture_output=True, text=True,
                          env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "Night 1" in done.stdout and "--papers" in done.stdout


@pytest.mark.slow
def test_two_builds_of_copies_of_the_same_data_give_the_same_fingerprint(tmp_path):
    write_sample(tmp_path / "council", papers=5)
    server = OParlServer(ObjectStore.from_folder(tmp_path / "council")).start()
    try:
        sync_body(open_state(tmp_path / "a"), tmp_path / "a",
                  {"slug": "rat", "url": server.body_url}, progress=False,
                  fetcher=Fetcher(backoff=0.01))
    finally:
        server.stop()
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    signatures = []
    for name in ("a", "b"):
        state = open_state(tmp_path / name)
        build(state, tmp_path / name, Limits(workers=2), progress=False)
        signatures.append(state_signature(state, {"full_text_trigram": False}))
    timings = [list(sqlite3.connect(tmp_path / n / "state.db").execute(
        "select seconds, max_rss_mb from extractions order by sha256")) for n in ("a", "b")]
    assert timings[0] != timings[1]  # the builds really ran apart
    assert signatures[0] == signatures[1]
    assert fingerprint(tmp_path / "a" / "ratsdaten.db") == \
        fingerprint(tmp_path / "b" / "ratsdaten.db")
    stored = [sqlite_utils.Database(tmp_path / n / "ratsdaten.db").execute(
        "select value from build_info where key = 'state_signature'").fetchone()[0]
        for n in ("a", "b")]
    assert stored == signatures


@pytest.mark.slow
def test_fingerprint_command_helps_and_compares(tmp_path):
    from etl.db.shape import ensure_db_shape

    demo_db = tmp_path / "db" / "ratsdaten.db"
    demo_db.parent.mkdir()
    ensure_db_shape(sqlite_utils.Database(demo_db))
    tmp_path = tmp_path / "cwd"
    tmp_path.mkdir()
    run = [sys.executable, "-m", "etl.db.fingerprint"]
    helped = subprocess.run(run + ["--help"], capture_output=True, text=True, cwd=tmp_path)
    assert helped.returncode == 0 and "content fingerprint" in helped.stdout
    assert list(tmp_path.iterdir()) == []  # no file named --help
    marker = tmp_path / "fingerprint.txt"
    first = subprocess.run(run + [str(demo_db), "--compare", str(marker)], capture_output=True,
                           text=True)
    assert first.returncode == 1 and len(first.stdout.strip()) == 64
    marker.write_text(first.stdout)
    again = subprocess.run(run + [str(demo_db), "--compare", str(marker)])
    assert again.returncode == 0
    missing = subprocess.run(run + [str(tmp_path / "nope.db")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such database" in missing.stderr


def test_the_workflow_runs_the_rehearsed_command():
    import inspect
    from pathlib import Path

    import yaml

    import etl.rehearsal

    root = Path(__file__).resolve().parent.parent
    workflow = yaml.safe_load((root / ".github" / "workflows" / "update.yml").read_text())
    job = workflow["jobs"]["update"]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert ".venv/bin/ratsdaten nightly leipzig karlsruhe" in runs
    assert "--deploy-command scripts/deploy-fly" in runs and "--sync-minutes" in runs
    assert '"nightly"' in inspect.getsource(etl.rehearsal.night)  # the same subcommand
    assert job["env"]["RATSDATEN_STORE"].startswith("gh:")
    cached = [s["with"]["path"] for s in job["steps"] if "actions/cache" in s.get("uses", "")]
    assert cached == ["data/state.db"]  # a speed-up only; the PDFs are pruned
    assert (root / "scripts" / "deploy-fly").stat().st_mode & 0o111
