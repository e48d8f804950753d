"""Real Karlsruhe papers into a sync state, as a sync and extraction would leave them.

The papers are those of the hand-labelled files (tests/data/karlsruhe_labels.jsonl) that
carry an amount or a CO2-Relevanz tick. Each paper comes with its real OParl object from
../shared/corpus/karlsruhe/papers.jsonl.gz and *all* its files (Antrag, Stellungnahme,
Anlagen …), each rendered from its archived text and run through the real extractor, so
the loader has to find the cover sheet among them as it does in production. The labels
only say what the labelled file prints; nothing here reads a label's values.
"""

import gzip
import hashlib
import json

from bench.karlsruhe_coverage import CORPUS, read_labels, texts_by_id
from etl import EXTRACTOR_VERSION
from etl.extract import extract_bytes
from etl.samples.textpdf import text_to_pdf
from etl.state import now_iso, pack_result, register_body

from conftest import corpus_path

AMOUNTS = ("total_cost", "total_income", "annual_cost", "annual_income")
_CACHE: dict = {}  # one pass over the archive and one extraction per test session


def wanted(label: dict) -> bool:
    fields = label["fields"]
    return any(fields.get(name) for name in AMOUNTS) or fields.get("co2_relevant") is not None


def labelled_papers() -> list[tuple[dict, dict]]:
    """(label, OParl paper object) for every label with an amount or a CO2 tick."""
    if "papers" not in _CACHE:
        corpus_path("karlsruhe", "papers.jsonl.gz")
        labels = {lb["file_id"]: lb for lb in read_labels() if wanted(lb)}
        pairs = []
        with gzip.open(CORPUS / "papers.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                paper = json.loads(line)
                for item in paper.get("auxiliaryFile") or []:
                    if isinstance(item, dict) and item.get("id") in labels:
                        pairs.append((labels.pop(item["id"]), paper))
        assert not labels, f"labelled files without a paper in the archive: {list(labels)[:3]}"
        _CACHE["papers"] = pairs
    return _CACHE["papers"]


def extracted() -> dict[str, tuple[str, dict]]:
    """file id -> (sha256 of the rendered PDF, extraction result), for every file of the
    labelled papers that has a text in the archive."""
    if "results" not in _CACHE:
        corpus_path("karlsruhe", "file_texts.jsonl.gz")
        ids = {f["id"] for _label, p in labelled_papers() for f in p.get("auxiliaryFile") or []}
        results = {}
        for file_id, text in texts_by_id(ids).items():
            if text.strip():
                data = text_to_pdf(text)
                results[file_id] = (hashlib.sha256(data).hexdigest(), extract_bytes(data))
        _CACHE["results"] = results
    return _CACHE["results"]


def write_karlsruhe_state(state, papers: list[dict]) -> int:
    """Karlsruhe's papers (of labelled_papers) with their files stored and extracted;
    returns the files written."""
    register_body(state, "karlsruhe", "Stadt Karlsruhe", "oparl",
                  url="https://web1.karlsruhe.de/oparl/bodies/0001", profile="karlsruhe")
    results = extracted()
    for paper in papers:
        state["oparl_objects"].insert({"id": paper["id"], "body": "karlsruhe", "type": "Paper",
                                       "modified": paper.get("modified"), "deleted": 0,
                                       "json": json.dumps(paper), "fetched_at": now_iso()})
        for item in paper.get("auxiliaryFile") or []:
            if item["id"] not in results:
                continue  # no text in the archive: not downloaded, as a sync would leave it
            sha, result = results[item["id"]]
            state["stored_files"].insert({"file_id": item["id"], "body": "karlsruhe",
                                          "sha256": sha, "path": f"files/{sha}.pdf",
                                          "size": result["file"]["size"],
                                          "stored_at": now_iso()})
            state["extractions"].insert({"sha256": sha, "extractor_version": EXTRACTOR_VERSION,
                                         "result": pack_result(result),
                                         "extracted_at": now_iso()}, replace=True)
    return sum(f["id"] in results for p in papers for f in p.get("auxiliaryFile") or [])


def write_karlsruhe_meetings(state, papers: list[dict]) -> list[dict]:
    """The meetings the papers' consultations name, from the archive; returns them."""
    wanted = {c.get("meeting") for p in papers for c in p.get("consultation") or []
              if isinstance(c, dict)}
    found = []
    with gzip.open(CORPUS / "meetings.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            meeting = json.loads(line)
            if meeting["id"] in wanted:
                found.append(meeting)
                state["oparl_objects"].insert({"id": meeting["id"], "body": "karlsruhe",
                                               "type": "Meeting",
                                               "modified": meeting.get("modified"),
                                               "deleted": 0, "json": json.dumps(meeting),
                                               "fetched_at": now_iso()})
    return found
