"""The published database: shape, idempotent/incremental/atomic builds, versions, search."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils
from click.testing import CliRunner

from etl.cli import cli
from etl.db.fingerprint import fingerprint, table_dumps
from etl.db.rows import split_reference
from etl.db.shape import ensure_db_shape
from etl.db.versions import word_diff


def dump(path) -> dict:
    return table_dumps(path)


@pytest.fixture()
def folder_data(sample_dir, tmp_path):
    """A data dir with four sample PDFs imported as a folder."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("0001.pdf", "0002.pdf", "0003.pdf", "0004.pdf"):
        shutil.copy(sample_dir / "files" / name, folder / name)
    data = tmp_path / "data"
    CliRunner().invoke(cli, ["import-dir", str(folder), "--body", "ordner",
                             "--data-dir", str(data)])
    return folder, data


def build(data, *extra):
    result = CliRunner().invoke(cli, ["build", "--data-dir", str(data), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_shape_declares_foreign_keys_with_indexes():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    pages = db["pages"]
    assert {fk.other_table for fk in pages.foreign_keys} == {"files", "papers"}
    indexed = {tuple(i.columns) for i in pages.indexes}
    assert ("file_id",) in indexed and ("paper_id",) in indexed
    assert db["budget_lines"].columns_dict["amount_eur"] is float


def test_build_twice_gives_identical_dumps(demo_data, tmp_path):
    first = dump(demo_data / "ratsdaten.db")
    copy = tmp_path / "copy"
    shutil.copytree(demo_data, copy)
    build(copy, "--force")
    assert dump(copy / "ratsdaten.db") == first
    assert fingerprint(copy / "ratsdaten.db") == fingerprint(demo_data / "ratsdaten.db")
    assert len(first["papers"]) == 40 and len(first["pages"]) > 120


def test_rebuild_extracts_only_new_or_changed_files(folder_data, sample_dir):
    folder, data = folder_data
    assert "4 files extracted" in build(data)
    before = (data / "ratsdaten.db").stat().st_mtime_ns
    again = build(data)
    assert "0 files extracted" in again and "nothing changed, database kept" in again
    assert (data / "ratsdaten.db").stat().st_mtime_ns == before  # nothing to publish
    assert "database published" in build(data, "--force")
    shutil.copy(sample_dir / "files" / "0005.pdf", folder / "0005.pdf")
    CliRunner().invoke(cli, ["import-dir", str(folder), "--body", "ordner",
                             "--data-dir", str(data)])
    assert "1 files extracted" in build(data)
    assert sqlite_utils.Database(data / "ratsdaten.db")["papers"].count == 5


KILL_SCRIPT = "from etl.cli import cli; cli(['build', '--data-dir', {data!r}, '--workers', '1'])"


@pytest.mark.parametrize("delay", [0.05, 0.4, 0.9, 1.6])
def test_kill_9_during_build_leaves_the_previous_database(folder_data, sample_dir, delay):
    folder, data = folder_data
    build(data)
    before = dump(data / "ratsdaten.db")
    for name in ("0005.pdf", "0006.pdf", "0007.pdf"):
        shutil.copy(sample_dir / "files" / name, folder / name)
    CliRunner().invoke(cli, ["import-dir", str(folder), "--body", "ordner",
                             "--data-dir", str(data)])
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT.format(data=str(data))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = sqlite_utils.Database(data / "ratsdaten.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db["papers"].count in (4, 7)
    if db["papers"].count == 4:
        assert dump(data / "ratsdaten.db") == before
    build(data)
    assert sqlite_utils.Database(data / "ratsdaten.db")["papers"].count == 7
    assert not list(data.glob(".ratsdaten.db.*.tmp"))


@pytest.mark.parametrize("reference, base, suffix", [
    ("VI-A-05385-NF-02", "VI-A-05385", "NF-02"),
    ("VII-DS-08561", "VII-DS-08561", None),
    ("VI-A-05394-VSP-01", "VI-A-05394", "VSP-01"),
    ("VII-A-01234-ÄA-01", "VII-A-01234", "ÄA-01"),
    ("0815/2023", "0815/2023", None),
])
def test_split_reference(reference, base, suffix):
    assert split_reference(reference) == (base, suffix)


def test_word_diff():
    assert word_diff("im Jahr 2019 ein Konzept vorlegen", "im Jahr 2020 ein Konzept vorlegen") == [
        ["=", "im Jahr"], ["-", "2019"], ["+", "2020"], ["=", "ein Konzept vorlegen"]]


def test_versions_of_one_reference_in_order_with_diffs(demo_db):
    db = sqlite_utils.Database(demo_db)
    base = db.execute("select base_reference from papers where version_suffix = 'NF-02' "
                      "order by 1 limit 1").fetchone()[0]
    rows = list(db.query(
        "select p.reference, v.version_order, v.diff from paper_versions v "
        "join papers p on p.id = v.paper_id where v.base_reference = :base "
        "and (v.version_suffix is null or v.version_suffix like 'NF-%') "
        "order by v.version_order", {"base": base}))
    assert [r["reference"] for r in rows] == [base, f"{base}-NF-01", f"{base}-NF-02"]
    assert rows[0]["diff"] is None
    diff = json.loads(rows[1]["diff"])
    assert set(diff) == {"resolution", "sections"}
    added = " ".join(words for op, words in diff["resolution"] if op == "+")
    assert "Ende des Jahres" in added or "Stadtbezirksbeiräte" in added


def search(db, table, query):
    return db.execute(f"select count(*) from [{table}] where [{table}] match ?",
                      [query]).fetchone()[0]


def test_fts_handles_german_text():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    db["pages"].insert_all([
        {"id": "a", "number": 1, "text": "Änderung der Straßenbahnlinie über die Brücke"},
        {"id": "b", "number": 1, "text": "Weiterentwicklung der Strategischen Sozialplanung"},
        {"id": "c", "number": 1, "text": "Rad- und Fußverkehr im Leipziger Süden"},
    ])
    from etl.db.shape import enable_search
    enable_search(db, full_text_trigram=True)
    assert search(db, "pages_fts", "änderung") == 1       # case folds umlauts
    assert search(db, "pages_fts", "ÄNDERUNG") == 1
    assert search(db, "pages_fts", "straßenbahnlinie") == 1  # ß kept
    assert search(db, "pages_fts", "Bar") == 0            # no umlaut folding: Bär is not Bar
    assert search(db, "pages_fts", "Fußverkehr") == 1     # a hyphenated pair: both words
    assert search(db, "pages_fts", "Rad") == 1
    assert search(db, "pages_fts", "Planung") == 0        # word index: no compound parts
    assert search(db, "pages_trigram", "planung") == 1    # trigram index: compound parts
    assert search(db, "pages_trigram", "straßenbahn") == 1


def test_agenda_items_link_their_paper(demo_db):
    db = sqlite_utils.Database(demo_db)
    items = list(db.query("select a.paper_id, c.paper_id as via from agenda_items a "
                          "left join consultations c on c.agenda_item_id = a.id"))
    assert items and all(i["paper_id"] and i["paper_id"] == i["via"] for i in items)


def test_karlsruhe_agenda_items_link_papers_through_consultation_urls(tmp_path):
    import gzip
    import json

    from etl.db.load import load_all
    from etl.db.shape import ensure_db_shape
    from etl.state import now_iso, open_state, register_body

    from conftest import corpus_path

    folder = corpus_path("karlsruhe")
    papers = []
    with gzip.open(folder / "papers.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            paper = json.loads(line)
            if any(isinstance(c, dict) for c in paper.get("consultation") or []):
                papers.append(paper)
            if len(papers) == 30:
                break
    wanted = {c["meeting"] for p in papers for c in p["consultation"] if isinstance(c, dict)}
    with gzip.open(folder / "meetings.jsonl.gz", "rt", encoding="utf-8") as fh:
        meetings = [m for m in map(json.loads, fh) if m["id"] in wanted]
    state = open_state(tmp_path)
    register_body(state, "karlsruhe", "Karlsruhe", "oparl")
    state["oparl_objects"].insert_all(
        [{"id": o["id"], "body": "karlsruhe", "type": o["type"].rsplit("/", 1)[-1],
          "modified": o.get("modified"), "deleted": 0, "json": json.dumps(o),
          "fetched_at": now_iso()} for o in papers + meetings], pk="id")
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    load_all(db, state)
    expected = {c["agendaItem"]: p["id"] for p in papers for c in p["consultation"]
                if isinstance(c, dict) and c.get("agendaItem")}
    linked = {r["id"]: r["paper_id"] for r in db.query(
        "select id, paper_id from agenda_items where paper_id is not null")}
    assert len(expected) >= 30
    assert {k: expected[k] for k in linked} == linked
    assert set(expected) & set(linked) == set(expected) & {r["id"] for r in db["agenda_items"].rows}
    assert len(linked) >= 20


def test_legislative_terms_embedded_in_the_body_are_loaded(demo_db):
    rows = [(t["name"], t["start_date"], t["end_date"])
            for t in sqlite_utils.Database(demo_db)["legislative_terms"].rows]
    assert rows == [("VII. Wahlperiode", "2019-08-01", "2024-07-31")]


def test_a_section_longer_than_the_site_reads_is_stored_in_parts():
    # Karlsruhe has a 260,675-character section; the site reads no value over 256 kB
    from etl.db.result_rows import MAX_TEXT_CHARS, in_parts

    words = [f"Wort{i} Straßenbahnhaltestelle" for i in range(9000)]
    long_text = "\n".join(" ".join(words[i:i + 12]) for i in range(0, 9000, 12))
    parts = in_parts([{"heading": "Anlage 3", "text": long_text, "page": 4},
                      {"heading": "Fazit", "text": "kurz", "page": 9}])
    assert 4 * MAX_TEXT_CHARS < len(long_text) < 5 * MAX_TEXT_CHARS and len(parts) == 6
    assert [p["heading"] for p in parts[:3]] == ["Anlage 3", "Anlage 3 (Fortsetzung 2)",
                                                 "Anlage 3 (Fortsetzung 3)"]
    assert parts[-1] == {"heading": "Fazit", "text": "kurz", "page": 9}
    assert all(len(p["text"].encode()) < 256_000 for p in parts)
    assert " ".join(" ".join(p["text"].split()) for p in parts[:5]) == " ".join(long_text.split())
    db = sqlite3.connect(":memory:")
    db.execute("create table t (text)")
    db.executemany("insert into t values (:text)", parts)
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 256_000)
    assert sum(len(t) for (t,) in db.execute("select text from t")) > 3 * MAX_TEXT_CHARS
