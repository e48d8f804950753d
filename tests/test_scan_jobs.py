"""Long scans as page jobs, resumed after kill -9; timeouts that heal; nothing outlives a job."""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from etl.cli import cli
from etl.pdf.jobs import MemoryPages, extract_files, local_executor
from etl.pdf.sandbox import JOB_DIR_PREFIX, Limits, Pool, remove_stale_job_dirs
from etl.samples.scan import numbered_pages_pdf, rasterize

BUILD = "from etl.cli import cli; cli(['build', '--data-dir', {data!r}, '--workers', '2'])"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def processes():
    """(pid, state, parent pid, process group) of every process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        yield int(entry.name), fields[0], int(fields[1]), int(fields[2])


def group_members(pgids: set[int]) -> list[int]:
    return [pid for pid, state, _ppid, pgid in processes() if pgid in pgids and state != "Z"]


def job_dirs(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{JOB_DIR_PREFIX}{pid}-*"))


def ocr_rows(data: Path) -> int:
    try:
        with sqlite3.connect(f"file:{data / 'state.db'}?mode=ro", uri=True, timeout=5) as db:
            return db.execute(
                "select count(*) from ocr_pages where words is not null").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def workers_of(build_pid: int) -> set[int]:
    """The build's forked workers (each leads its own process group)."""
    return {pid for pid, _state, ppid, _pgid in processes() if ppid == build_pid}


@pytest.fixture(scope="module")
def long_scan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long-scan")
    (folder / "scan-150.pdf").write_bytes(rasterize(numbered_pages_pdf(150), dpi=150, seed=5))
    return folder


@pytest.mark.slow
def test_150_page_scan_is_read_page_by_page_and_a_killed_build_resumes(long_scan, tmp_path):
    data = tmp_path / "data"
    result = run("import-dir", str(long_scan), "--body", "scan", "--data-dir", str(data))
    assert result.exit_code == 0
    build = subprocess.Popen([sys.executable, "-c", BUILD.format(data=str(data))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    workers = set()
    while ocr_rows(data) < 40 and time.monotonic() < deadline and build.poll() is None:
        workers |= workers_of(build.pid)
        time.sleep(0.05)
    workers |= workers_of(build.pid)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    done_before = ocr_rows(data)
    assert 40 <= done_before < 150, done_before
    deadline = time.monotonic() + 10  # the workers and their Tesseracts die with the build
    while group_members(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not group_members(workers)

    again = run("build", "--data-dir", str(data), "--workers", "2")
    assert again.exit_code == 0, again.output
    # only the missing pages
    assert f"; {150 - done_before} pages OCRed as page jobs;" in again.output
    assert "(0 failed)" in again.output
    assert not job_dirs(build.pid)  # the killed build's temp dirs were swept
    db = sqlite_utils.Database(data / "ratsdaten.db")
    pages = list(db.query("select number, text from pages order by number"))
    assert len(pages) == 150
    right = sum(f"Seite {p['number']} von 150" in p["text"] for p in pages)
    assert right >= 147, [p["text"] for p in pages if str(p["number"]) not in p["text"]][:5]


def _slow_once(path, *_args):
    """Takes 2.5 s; logs its start and end, so the test can see what ran beside what."""
    started = time.time()
    time.sleep(2.5 if "slow" in path else 0.2)
    with open(Path(path).parent / "log", "a") as fh:
        fh.write(f"{Path(path).name} {started} {time.time()}\n")
    return {"result": {"pages": []}}


def _four_scanned_pages(path, profile, ocr, tables, known, inline):
    if len(known) < 4:
        return {"needs_ocr": [1, 2, 3, 4]}
    return {"result": {"pages": sorted(known)}, "known": known}


def _page_three_hangs(path, numbers):
    if 3 in numbers:
        time.sleep(30)
    return {"pages": {n: {"words": [[f"Seite {n}", 1, 1, 9, 3]]} for n in numbers}}


@pytest.mark.slow
def test_a_page_job_that_fails_is_split_and_only_the_bad_page_is_lost(tmp_path):
    store, stats, limits = MemoryPages(), {}, Limits(timeout=1.0, workers=2)
    [(_sha, outcome)] = extract_files([("scan", str(tmp_path / "scan.pdf"), None)], limits,
                                      local_executor(limits), store, stats=stats,
                                      file_task=_four_scanned_pages, page_task=_page_three_hangs)
    known = outcome["known"]
    assert [known[n]["words"][0][0] for n in (1, 2, 4)] == ["Seite 1", "Seite 2", "Seite 4"]
    assert known[3]["failure"]["kind"] == "timeout" and "retried alone" in \
        known[3]["failure"]["message"]
    assert stats["ocr_pages"] == 3 and stats["retried"] == 1


@pytest.mark.slow
def test_a_timeout_is_retried_alone_with_a_longer_limit(tmp_path):
    items = [(name, str(tmp_path / name), None) for name in ("slow", "fast1", "fast2", "fast3")]
    stats = {}
    limits = Limits(timeout=1.5, workers=2)
    outcomes = dict(extract_files(items, limits, local_executor(limits), MemoryPages(),
                                  stats=stats, file_task=_slow_once))
    assert all("result" in o for o in outcomes.values()), outcomes
    assert stats["retried"] == 1
    runs = [line.split() for line in (tmp_path / "log").read_text().splitlines()]
    [(_name, slow_start, _end)] = [r for r in runs if r[0] == "slow"]  # the first was killed
    assert all(float(end) <= float(slow_start) for name, _start, end in runs if name != "slow")


def test_timeout_recorded_after_retry_then_retry_failed_heals(sample_dir, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes((sample_dir / "files" / "0001.pdf").read_bytes())
    data = tmp_path / "data"
    run("import-dir", str(folder), "--body", "b", "--data-dir", str(data))
    first = run("build", "--data-dir", str(data), "--timeout", "0.001")
    assert first.exit_code == 1  # 1 of 1 new files failed
    assert "1 timeouts retried" in first.output and "recorded failures: 1 timeout" in first.output
    [failure] = sqlite_utils.Database(data / "ratsdaten.db")["failures"].rows
    assert "retried alone" in failure["message"]
    healed = run("build", "--data-dir", str(data), "--retry-failed", "timeout")
    assert healed.exit_code == 0, healed.output
    assert "1 files extracted" in healed.output and "1 failed files read again" in healed.output
    assert sqlite_utils.Database(data / "ratsdaten.db")["failures"].count == 0
    assert run("build", "--data-dir", str(data), "--retry-failed", "atlantis").exit_code == 2


def _spawn_and_hang(path):
    child = subprocess.Popen(["sleep", "600"])
    scratch = tempfile.NamedTemporaryFile(delete=False)
    Path(path).write_text(f"{os.getpid()} {child.pid} {scratch.name}")
    time.sleep(600)


def test_a_timed_out_job_leaves_no_process_and_no_temp_file(tmp_path):
    report = tmp_path / "pids"
    pool = Pool(Limits(timeout=2, workers=1))
    pool.submit("hang", _spawn_and_hang, (str(report),))
    [(_key, outcome)] = list(pool.results())
    assert outcome["failure"]["kind"] == "timeout"
    worker, grandchild, scratch = report.read_text().split()
    assert not alive(int(worker)) and not alive(int(grandchild))
    assert JOB_DIR_PREFIX in scratch and not Path(scratch).exists()
    assert not job_dirs(os.getpid())


HANG_UNDER_PARENT = """
import sys, time
from pathlib import Path
from etl.pdf.sandbox import Limits, Pool

def hang(path):
    import os
    Path(path).write_text(str(os.getpid()))
    time.sleep(600)

pool = Pool(Limits(timeout=600, workers=1))
pool.submit("hang", hang, (sys.argv[1],))
list(pool.results())
"""


def test_a_worker_dies_with_its_parent(tmp_path):
    report = tmp_path / "pid"
    parent = subprocess.Popen([sys.executable, "-c", HANG_UNDER_PARENT, str(report)])
    deadline = time.monotonic() + 60
    while not (report.exists() and report.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    worker = int(report.read_text())
    assert alive(worker)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)
    assert job_dirs(parent.pid)  # nobody was left to remove it: the next pool sweeps it
    remove_stale_job_dirs()
    assert not job_dirs(parent.pid)


def test_exit_code_follows_the_documented_20_percent_rule(sample_dir, tmp_path):
    def build_with(good: int, bad: int):
        folder, data = tmp_path / f"pdfs{good}{bad}", tmp_path / f"data{good}{bad}"
        folder.mkdir()
        for i in range(good):
            source = sample_dir / "files" / f"000{i + 1}.pdf"
            (folder / f"{i}.pdf").write_bytes(source.read_bytes())
        for i in range(bad):
            (folder / f"kaputt{i}.pdf").write_bytes(b"<html>Sitzung abgelaufen %d</html>" % i)
        run("import-dir", str(folder), "--body", "b", "--data-dir", str(data))
        return run("build", "--data-dir", str(data), "--workers", "2")

    two_of_two = build_with(0, 2)
    assert two_of_two.exit_code == 1 and "more than 20 %" in two_of_two.output
    one_of_five = build_with(4, 1)
    assert one_of_five.exit_code == 0, one_of_five.output  # exactly 20 %: not more


def test_stale_temp_database_removed_even_when_nothing_is_published(sample_dir, tmp_path):
    folder, data = tmp_path / "pdfs", tmp_path / "data"
    folder.mkdir()
    (folder / "a.pdf").write_bytes((sample_dir / "files" / "0001.pdf").read_bytes())
    run("import-dir", str(folder), "--body", "b", "--data-dir", str(data))
    assert run("build", "--data-dir", str(data)).exit_code == 0
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = data / f".ratsdaten.db.{dead.pid}.tmp"
    stale.write_bytes(b"half a database")
    again = run("build", "--data-dir", str(data))
    assert "nothing changed, database kept" in again.output and not stale.exists()
