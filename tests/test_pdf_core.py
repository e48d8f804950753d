"""The PDF reading layer on real, hostile and generated files."""

import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from etl.extract import extract_task
from etl.pdf.failures import FAILURE_KINDS
from etl.pdf.sandbox import Limits, run_sandboxed
from etl.samples.hostile import EXPECTED, hostile_files

from conftest import corpus_path


def end_state(outcome: dict) -> str:
    assert ("result" in outcome) != ("failure" in outcome), outcome.keys()
    if "failure" in outcome:
        assert outcome["failure"]["kind"] in FAILURE_KINDS
        return outcome["failure"]["kind"]
    return "text"


def run_all(paths, **limits):
    tasks = ((str(p), (str(p),)) for p in paths)
    return dict(run_sandboxed(extract_task, tasks, Limits(**limits)))


@pytest.fixture(scope="module")
def erlangen_outcomes():
    files = sorted(corpus_path("erlangen").glob("*.pdf"))
    return {Path(k).name: v for k, v in run_all(files, timeout=60).items()}


def test_every_erlangen_pdf_yields_text_or_a_recorded_failure(erlangen_outcomes, validate):
    assert len(erlangen_outcomes) == 72
    states = Counter(end_state(o) for o in erlangen_outcomes.values())
    failed = {Path(k).name: v.get("failure") or v.get("error")
              for k, v in erlangen_outcomes.items() if "result" not in v}
    assert states["text"] == 72, failed
    for outcome in erlangen_outcomes.values():
        if "result" in outcome:
            validate(outcome["result"])
    assert sum(o["result"]["file"]["pages"] for o in erlangen_outcomes.values()
               if "result" in o) == 315


@pytest.mark.parametrize("name, phrase", [
    ("SBR__2020-01-22_Einladung_Einladung_-oeffentlich-.pdf", "Gasthaus Güthlein"),
    ("SBR__2021-10-27_Niederschrift_Niederschrift_3_Sitzung_Buechenbach.pdf", "Niederschrift"),
    ("SBR__Anträge_Übersicht__STBR_Büchenbach_Antrag_BüchenbacherAnlage_Final.pdf",
     "Antrag: Neubau Büchenbacher Anlage"),
])
def test_erlangen_phrases(erlangen_outcomes, name, phrase):
    text = " ".join(p["text"] for p in erlangen_outcomes[name]["result"]["pages"])
    assert phrase in text


def test_erlangen_image_pages_are_ocred_and_recorded(erlangen_outcomes):
    ocred = {name: o["result"]["file"]["ocr_pages"] for name, o in erlangen_outcomes.items()
             if "result" in o and o["result"]["file"]["ocr_pages"]}
    assert ocred, "the image-heavy presentations have pages without a text layer"
    for name, pages in ocred.items():
        result = erlangen_outcomes[name]["result"]
        assert result["file"]["text_layer"] is False
        assert all(result["pages"][n - 1]["method"] == "ocr" for n in pages)


@pytest.mark.slow  # 231 s
def test_hostile_corpus_each_file_ends_in_one_state():
    root = corpus_path("hostile")
    files = sorted(root.rglob("*.pdf"))
    assert len(files) == 124
    outcomes = run_all(files, timeout=30, memory=1 << 30)
    states = {Path(k).relative_to(root).as_posix(): end_state(o) for k, o in outcomes.items()}
    assert len(states) == 124
    for name, state in states.items():
        if name.startswith("pypdf/") and name.endswith("-user-password.pdf"):
            assert state == "encrypted", name
        if name.startswith("pypdf/") and "empty-password" in name:
            assert state == "text", name
    assert Counter(states.values())["text"] >= 60


@pytest.fixture(scope="module")
def generated_hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_files().items():
        (folder / name).write_bytes(data)
    return folder


PARENT_SCRIPT = """
import json, sys
from pathlib import Path
from etl.extract import extract_task
from etl.pdf.sandbox import Limits, run_sandboxed
files = sorted(Path(sys.argv[1]).iterdir())
out = {}
for key, o in run_sandboxed(extract_task, ((p.name, (str(p),)) for p in files),
                            Limits(timeout=20, memory=1 << 30)):
    out[key] = {"state": o["failure"]["kind"] if "failure" in o else "text",
                "wall_seconds": o["wall_seconds"]}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the process that started us.
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"outcomes": out, "parent_mb": hwm / 1024}))
"""


def test_generated_hostile_files_end_in_their_expected_state(generated_hostile):
    """Run as its own parent process, so its memory is measured alone."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PARENT_SCRIPT, str(generated_hostile)],
                          capture_output=True, text=True, timeout=600, check=True)
    report = json.loads(done.stdout)
    got = {name: o["state"] for name, o in report["outcomes"].items()}
    assert set(got) == set(EXPECTED)
    for name, state in got.items():
        assert state in EXPECTED[name], f"{name}: {state}"
    assert all(o["wall_seconds"] < 20 + 5 for o in report["outcomes"].values())
    assert report["parent_mb"] < 300


def _hang(_path):
    time.sleep(600)


def _segfault(_path):
    os.kill(os.getpid(), signal.SIGSEGV)


def _eat_memory(_path):
    hog = bytearray(3 * 1024**3)
    return {"result": len(hog)}


def test_sandbox_contains_hangs_crashes_and_memory_hogs():
    tasks = [("hang", ("x",)), ("segv", ("x",)), ("hog", ("x",))]
    funcs = {"hang": _hang, "segv": _segfault, "hog": _eat_memory}

    def dispatch(path, key=None):
        return funcs[key](path)

    started = time.monotonic()
    results = {}
    for key, args in tasks:
        [(k, outcome)] = run_sandboxed(lambda p, key=key: dispatch(p, key), [(key, args)],
                                       Limits(timeout=3, memory=1 << 30, workers=1))
        results[k] = outcome["failure"]["kind"]
    assert results == {"hang": "timeout", "segv": "crash", "hog": "memory"}
    assert time.monotonic() - started < 3 + 5 + 5


def test_pool_uses_several_workers_and_keeps_every_result(sample_dir):
    files = sorted((sample_dir / "files").glob("*.pdf"))[:6]
    outcomes = run_all(files, workers=2)
    assert sorted(outcomes) == sorted(str(f) for f in files)
    assert all(end_state(o) == "text" for o in outcomes.values())
