"""How well the karlsruhe profile reads the real Karlsruhe form.

Two measurements on real file texts, each rendered to a PDF with the project's own
renderer (boxes where the text shows them) and extracted as the pipeline does:
- `run`: a stratified sample (by year) of texts with the "Finanzielle Auswirkungen"
  block, each result classified as complete or by what is missing (the old figure);
- `score_labels`: every field of the hand-labelled files (tests/data/karlsruhe_labels.jsonl,
  labelled by reading the texts) compared with what the profile read, per field.
  The labels appended last (from HOLDOUT_FROM on) were kept unseen during development.
"""

import functools
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
LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "karlsruhe_labels.jsonl"
HOLDOUT_FROM = 70  # labels from line 71 on were not looked at while the profile was written
YEAR = re.compile(r"\b(20\d{2})/\d{4}\b")


def form_texts(corpus: Path = CORPUS) -> list[dict]:
    found = []
    with gzip.open(corpus / "file_texts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record.get("text") or ""
            if "Finanzielle Auswirkungen" in text and "Gesamtkosten" in text:
                year = YEAR.search(text[:3000])
                printed = year.group(1) if year else (record.get("fileModified") or "")[:4]
                found.append({"id": record["id"], "text": text, "year": printed})
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


def run(size: int = 300, workers: int = 2, seed: int = 1, labels: bool = True) -> dict:
    """The old "complete" figure on a stratified sample and, with `labels`, the accuracy
    per field on the hand-labelled files beside it."""
    report = run_complete(size, workers, seed)
    if labels and LABELS.exists():
        report["labels"] = label_summary()
    return report


def label_summary() -> dict:
    all_labels = read_labels()
    texts = label_texts()
    parts = {"all": all_labels, "dev": all_labels[:HOLDOUT_FROM],
             "holdout": all_labels[HOLDOUT_FROM:]}
    summary = {}
    for name, chosen in parts.items():
        scored = score_labels(chosen, texts)
        summary[name] = {"files": scored["files"], "fields": scored["fields"],
                         "right": scored["right"], "accuracy": round(scored["accuracy"], 4)}
        if name == "all":
            summary["per_field"] = {f: f"{v['right']}/{v['of']}"
                                    for f, v in scored["per_field"].items()}
            summary["wrong"] = scored["wrong"]
    return summary


def run_complete(size: int = 300, workers: int = 2, seed: int = 1) -> dict:
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


def read_labels(path: Path = LABELS) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def texts_by_id(ids: set[str], corpus: Path = CORPUS) -> dict[str, str]:
    """The texts of the given file ids, streaming the archive once and stopping when all
    are found (the archive is ~90 MB compressed)."""
    found: dict[str, str] = {}
    quoted = {json.dumps(i): i for i in ids}
    with gzip.open(corpus / "file_texts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            key = line[line.find('"id"') + 5:].lstrip().split(",", 1)[0]
            if key in quoted:
                found[quoted[key]] = json.loads(line).get("text") or ""
                if len(found) == len(ids):
                    break
    return found


@functools.lru_cache(maxsize=1)
def label_texts() -> dict[str, str]:
    """The texts of all labelled files, read once per process (tests share it)."""
    return texts_by_id({label["file_id"] for label in read_labels()})


def extract_text(text: str) -> dict:
    from etl.extract import extract_bytes

    return extract_bytes(text_to_pdf(text))


AMOUNT_FIELDS = ("total_cost", "total_income", "annual_cost", "annual_income")
EXTRA_FIELDS = ("measure_kind", "financing", "budget_available", "co2_relevant",
                "co2_direction", "co2_extent", "iq_relevant", "corridor_topic",
                "local_council_hearing", "municipal_companies_consulted")


def got_value(result: dict, field: str):
    """What the extraction says for one labelled field, in the label's shape."""
    fin = result["financial_impact"]
    extra = fin.get("extra") or {}
    if field == "has_financial_impact":
        return fin["has_financial_impact"]
    if field in AMOUNT_FIELDS:
        eur, text = extra.get(f"{field}_eur"), extra.get(f"{field}_text")
        return {"eur": eur} if eur is not None else ({"text": text} if text else None)
    if field == "counter_financing":
        return extra.get("counter_financing") or []
    return extra.get(field)


def _words(text) -> str:
    return " ".join(re.sub(r"[^\w€.,/-]+", " ", str(text).lower()).split())


def matches(field: str, expected, got) -> bool:
    if field in AMOUNT_FIELDS and expected and got:
        if "eur" in expected:
            return got.get("eur") is not None and abs(got["eur"] - expected["eur"]) < 0.01
        return "text" in got and _words(got["text"]) == _words(expected["text"])
    if field == "counter_financing":
        return len(expected) == len(got or []) and all(
            _words(g).startswith(_words(e)[:40]) or _words(e).startswith(_words(g)[:40])
            for e, g in zip(expected, got, strict=True))
    if field == "corridor_topic" and expected and got:
        return _words(expected) == _words(got)
    return expected == got


def score_labels(labels: list[dict], texts: dict[str, str]) -> dict:
    """Per-field and overall accuracy; `wrong` lists each miss (file, field, expected, got)."""
    per_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong, results = [], {}
    for label in labels:
        result = results[label["file_id"]] = extract_text(texts[label["file_id"]])
        for field, expected in label["fields"].items():
            got = got_value(result, field)
            ok = matches(field, expected, got)
            per_field[field][0] += ok
            per_field[field][1] += 1
            if not ok:
                wrong.append((label["file_id"].rsplit("/", 1)[1], field, expected, got))
    right = sum(r for r, _n in per_field.values())
    total = sum(n for _r, n in per_field.values())
    return {"files": len(labels), "fields": total, "right": right,
            "accuracy": right / total if total else 0.0,
            "per_field": {f: {"right": r, "of": n, "accuracy": r / n}
                          for f, (r, n) in sorted(per_field.items())},
            "wrong": wrong, "results": results}


def run_labels(part: str = "all") -> dict:
    """Score the labels: part 'dev' (the first HOLDOUT_FROM), 'holdout' (the rest) or 'all'."""
    labels = read_labels()
    chosen = {"dev": labels[:HOLDOUT_FROM], "holdout": labels[HOLDOUT_FROM:],
              "all": labels}[part]
    return score_labels(chosen, texts_by_id({lb["file_id"] for lb in chosen}))


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:2] == ["labels"]:
        report = run_labels(sys.argv[2] if len(sys.argv) > 2 else "all")
        report["wrong"] = report["wrong"][:200]
        del report["results"]
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(json.dumps(run(), indent=1, ensure_ascii=False))
