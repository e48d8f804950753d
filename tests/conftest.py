import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SPEC = ROOT.parent / "shared" / "spec"


def corpus_path(*parts) -> Path:
    """A path in ../shared/corpus, or a skip with a clear reason when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real corpus not available: {path} is absent (see README, 'Real data')")
    return path


@pytest.fixture(scope="session")
def schema():
    path = SPEC / "extraction.schema.json"
    if not path.exists():
        pytest.skip(f"extraction schema not available: {path} is absent")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def validate(schema):
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)

    def check(result):
        errors = sorted(validator.iter_errors(result), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return check


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory):
    from etl.samples.council import write_sample

    out = tmp_path_factory.mktemp("sample")
    write_sample(out)
    return out


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """A data folder with the sample council synced from the local server and built."""
    from etl.demo import prepare_demo

    data_dir = tmp_path_factory.mktemp("demo-data")
    prepare_demo(data_dir, progress=False, oparl_port=0)
    return data_dir


@pytest.fixture(scope="session")
def demo_db(demo_data):
    return demo_data / "ratsdaten.db"


RUN_MARKER = "RATSDATEN_TEST_RUN"
# Job temp dirs (Tesseract writes none: it reads and answers through pipes) and the
# cluster's copies of files.
LEFTOVER_PATTERNS = ("ratsdaten-job-*", "ratsdaten-*.pdf")


def _marked_processes(marker: str) -> list[int]:
    """Live processes that inherited this run's marker (children, and orphans of them)."""
    found = []
    needle = f"{RUN_MARKER}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # multiprocessing's resource tracker (Dask's LocalCluster starts one) ends with
        # the interpreter that started it, i.e. with this one
        tracker = b"multiprocessing.resource_tracker" in (entry / "cmdline").read_bytes()
        if state != "Z" and not tracker:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="session", autouse=True)
def nothing_left_behind():
    """After the whole run no process started by it is alive and no job temp file is left.
    The run gets a temp dir of its own (TMPDIR), so other programs on the machine do
    not count."""
    marker = uuid.uuid4().hex
    os.environ[RUN_MARKER] = marker
    run_temp = tempfile.mkdtemp(prefix="ratsdaten-tests-")
    previous = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = run_temp
    yield
    deadline = time.monotonic() + 10
    while _marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = {pid: (Path(f"/proc/{pid}/cmdline").read_bytes()[:200] if Path(f"/proc/{pid}").exists()
                   else b"") for pid in _marked_processes(marker)}
    left = [p for pattern in LEFTOVER_PATTERNS for p in Path(run_temp).glob(pattern)]
    tempfile.tempdir = previous[1]
    if previous[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = previous[0]
    shutil.rmtree(run_temp, ignore_errors=True)  # pytest's own tmp_path dirs are in it too
    assert not alive, f"processes started by the tests still run: {alive}"
    assert not left, f"temp files left by the tests: {sorted(left)[:10]}"


# `make test-fast` leaves out tests marked slow: more than about 5 s on the shared
# 2-core machine, or needing a fixture that costs that much (a built demo, a synced
# council, every Erlangen PDF, the generated Leipzig papers extracted).
SLOW_FIXTURES = {"demo_data", "demo_db", "synced", "folder_data", "erlangen_outcomes",
                 "generated_hostile", "sample_results", "money_papers", "labelled"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
