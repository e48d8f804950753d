"""How well the karlsruhe profile reads the real Karlsruhe form.

A stratified sample (by year) of real file texts that carry the "Finanzielle
Auswirkungen" block is rendered to PDFs with the project's own renderer (boxes
where the text shows them) and extracted; each result is classified.
"""

import gzip
import json
import random
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from etl.extract import extract_task
from etl.pdf.sandbox import Limits, run_sandboxed
from etl.samples.textpdf import text_to_pdf

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "karlsruhe"
YEAR = re.compile(r"\b(20\d{2})/\d{4}\b")


def form_texts(corpus: Path = CORPUS) -> list[dict]:
    found = []
    with gzip.open(corpus / "file_texts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record.get("text") or ""
            if "Finanzielle Auswirkungen" in text and "Gesamtkosten" in text:
                year = YEAR.search(text[:3000])
                found.append({"id": record["id"], "text": text,
                              "year": year.group(1) if year else (record.get("fileModified") or "")[:4]})
    return found


def stratified(records: list[dict], size: int, seed: int = 1) -> list[dict]:
    by_year = defaultdict(list)
    for record in records:
        by_year[record["year"]].append(record)
    rng = random.Random(seed)
    years = sorted(by_year)
    chosen = []
    while len(chosen) < size and any(by_year.values()):
        for year in years:
            if by_year[year] and len(chosen) < size:
                chosen.append(by_year[year].pop(rng.randrange(len(by_year[year]))))
    return chosen


def marked_financial_impact(text: str) -> bool | None:
    """The tick the text itself shows next to 'Finanzielle Auswirkungen', if any."""
    at = text.find("Finanzielle Auswirkungen")
    window = text[at:at + 120]
    match = re.search(r"Ja\s*([☒☐])\s*Nein\s*([☒☐])", window)
    if not match:
        return None
    return {("☒", "☐"): True, ("☐", "☒"): False}.get((match.group(1), match.group(2)))


def classify(text: str, result: dict | None, failure: dict | None) -> dict:
    if failure or result is None:
        return {"complete": False, "pattern": f"extraction failed: {failure and failure['kind']}"}
    fin = result["financial_impact"]
    extra = fin.get("extra")
    expected = marked_financial_impact(text)
    if result["file"]["profile"] != "karlsruhe":
        return {"complete": False, "pattern": "layout not recognised (profile generic)"}
    if extra is None:
        return {"complete": False, "pattern": "financial block not found"}
    if extra.get("amounts_unassigned"):
        return {"complete": False, "pattern": "amount columns ambiguous (empty cells lost in text)"}
    if expected is not None and fin["has_financial_impact"] is not expected:
        return {"complete": False, "pattern": "ja/nein tick read wrong"}
    if not result["paper"]["reference"]:
        return {"complete": False, "pattern": "header: no Vorlage-Nr. found"}
    return {"complete": True, "pattern": "complete", "tick_checked": expected is not None}


def run(size: int = 300, workers: int = 2, seed: int = 1) -> dict:
    sample = stratified(form_texts(), size, seed)
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, record in enumerate(sample):
            path = Path(folder) / f"{index:04d}.pdf"
            path.write_bytes(text_to_pdf(record["text"]))
            paths[str(path)] = record
        outcomes = dict(run_sandboxed(extract_task, ((p, (p,)) for p in paths),
                                      Limits(workers=workers, timeout=120)))
    rows = [classify(paths[p]["text"], o.get("result"), o.get("failure"))
            for p, o in outcomes.items()]
    patterns = Counter(r["pattern"] for r in rows)
    return {"sample": len(rows), "complete": sum(r["complete"] for r in rows),
            "ticks_checked": sum(bool(r.get("tick_checked")) for r in rows),
            "years": dict(sorted(Counter(r["year"] for r in sample).items())),
            "patterns": dict(patterns.most_common())}


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run(), indent=1, ensure_ascii=False))
