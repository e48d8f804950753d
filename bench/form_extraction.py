"""Cover-sheet extraction on generated Leipzig papers the reader was never tuned on.

Two sets, each scored field by field against the generator's truth:
- `house`: the fixed layout of the test fixtures (seed 2019), as measured before;
- `randomised`: domain-randomised layouts (etl/samples/layouts.py) from the seed family
  MEASURE_SEED, which no test and no tuning uses (tuning used seeds 7–11, the tests use
  31 and 500): accuracy per variation, per field, per form generation, born-digital and
  scanned (scans drawn per paper: 150–300 dpi, ±2°, blur, JPEG), seconds per paper, and
  the time spent in camelot.
"""

import random
import statistics
import tempfile
import time
from pathlib import Path

import etl.pdf.tables as tables_module
from etl.extract import extract_bytes, extract_task, preload
from etl.pdf.sandbox import Limits, run_sandboxed
from etl.samples.layouts import variation_groups
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scanvary import scan, scan_groups, scan_settings
from etl.samples.score import actual_fields, expected_fields, score, summarise

from .common import save

MEASURE_SEED = 9000


def timed_tables():
    """Wrap camelot's pass so its share of the time can be reported."""
    spent = {"seconds": 0.0, "calls": 0}
    original = tables_module.find_tables

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started
            spent["calls"] += 1

    tables_module.find_tables = wrapper
    return spent, lambda: setattr(tables_module, "find_tables", original)


def _born_digital(papers: list[dict], folder: Path, groups) -> tuple[list, list]:
    scores, seconds = [], []
    for index, paper in enumerate(papers):
        path = folder / f"{index:04d}.pdf"
        render_paper(paper, path)
        data = path.read_bytes()
        started = time.perf_counter()
        result = extract_bytes(data, tables=True)
        seconds.append(time.perf_counter() - started)
        scores.append((groups(paper), score(result, paper)))
    return scores, seconds


def _scanned(papers: list[dict], folder: Path, seed: int, workers: int,
             diffs: list | None = None) -> tuple[list, list]:
    rng = random.Random(f"scan:{seed}")
    settings = {}
    for index in range(len(papers)):
        settings[index] = scan_settings(rng)
        data = (folder / f"{index:04d}.pdf").read_bytes()
        (folder / f"scan-{index:04d}.pdf").write_bytes(scan(data, settings[index], seed=index))
    tasks = ((index, (str(folder / f"scan-{index:04d}.pdf"),)) for index in settings)
    preload()  # as the build does before it forks its jobs
    outcomes = dict(run_sandboxed(extract_task, tasks, Limits(workers=workers, timeout=600)))
    scores, seconds = [], []
    for index in settings:
        outcome = outcomes.get(index, {})
        groups = ["scan"] + scan_groups(settings[index]) + [
            f"method={papers[index]['checkbox_method']}"]
        if "result" not in outcome:  # a paper that failed or timed out: every field wrong
            scores.append((groups, {name: False for name in expected_fields(papers[index])}))
            if diffs is not None:
                diffs.append({"paper": index, "groups": groups,
                              "failed": outcome.get("failure", "no outcome")})
            continue
        scores.append((groups, score(outcome["result"], papers[index])))
        seconds.append(outcome.get("seconds", 0.0))
        if diffs is not None:
            diffs.append(_diff(index, groups, outcome["result"], papers[index]))
    return scores, seconds


def _diff(index: int, groups: list[str], result: dict, truth: dict) -> dict:
    """The fields a scanned paper got wrong: expected and read, for finding causes."""
    expected, actual = expected_fields(truth), actual_fields(result)
    wrong = [name for name, ok in score(result, truth).items() if not ok]
    return {"paper": index, "groups": groups,
            "wrong": {name: {"expected": expected[name], "got": actual[name]} for name in wrong}}


def _round(summary: dict) -> dict:
    return {"accuracy": round(summary["accuracy"], 4), "fields": summary["fields"],
            "per_group": {k: round(v, 4) for k, v in summary["per_group"].items()},
            "per_field": {k: round(v, 4) for k, v in summary["per_field"].items()}}


def run(papers: int = 200, scans: int = 20, seed: int = MEASURE_SEED, house: int = 40,
        workers: int = 2) -> dict:
    spent, restore = timed_tables()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            specs = generate_papers(seed, papers, randomised=True)
            born, seconds = _born_digital(
                specs, folder, lambda p: variation_groups(p["layout"], p["checkbox_method"])
                + [f"form={p['form']}"])
            house_specs = generate_papers(2019, house)
            (folder / "house").mkdir()
            house_scores, _house_seconds = _born_digital(house_specs, folder / "house",
                                                         lambda p: ["house"])
            scanned, scan_seconds = _scanned(specs[:scans], folder, seed, workers)
    finally:
        restore()
    born_summary, scan_summary = summarise(born), summarise(scanned) if scanned else None
    result = {
        "seed_family": seed, "documents": len(born), "scanned_documents": len(scanned),
        "born_digital": _round(born_summary),
        "scanned": _round(scan_summary) if scan_summary else None,
        "house_accuracy": round(summarise(house_scores)["accuracy"], 4),
        "weakest_fields_born_digital": sorted(born_summary["per_field"].items(),
                                              key=lambda kv: kv[1])[:5],
        "weakest_fields_scanned": sorted(scan_summary["per_field"].items(),
                                         key=lambda kv: kv[1])[:5] if scan_summary else [],
        "median_seconds_born_digital": round(statistics.median(seconds), 3),
        "median_seconds_scanned": round(statistics.median(scan_seconds), 2)
        if scan_seconds else None,
        "camelot_share_born_digital": round(spent["seconds"] / sum(seconds), 4),
    }
    save("form_extraction", result)
    return result


def run_scans(seed: int = MEASURE_SEED, scans: int = 20, workers: int = 2,
              diffs: bool = False) -> dict:
    """Only the scanned part, for a seed family of its own (`--scans SEED COUNT`): accuracy
    per dpi band, rotation, blur, JPEG, drawing method and field; with `--diffs` also every
    wrong field of every paper, expected beside read (saved as ..._diffs)."""
    wrong: list | None = [] if diffs else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        specs = generate_papers(seed, scans, randomised=True)
        for index, paper in enumerate(specs):
            render_paper(paper, folder / f"{index:04d}.pdf")
        scanned, seconds = _scanned(specs, folder, seed, workers, wrong)
    summary = summarise(scanned)
    result = {"seed_family": seed, "scanned_documents": len(scanned), "scanned": _round(summary),
              "weakest_fields_scanned": sorted(summary["per_field"].items(),
                                               key=lambda kv: kv[1])[:8],
              "median_seconds_scanned": round(statistics.median(seconds), 2)}
    save(f"form_extraction_scans_{seed}", result)
    if wrong is not None:
        save(f"form_extraction_scans_{seed}_diffs", {"seed_family": seed, "papers": wrong})
    return result


if __name__ == "__main__":
    import json
    import sys

    if sys.argv[1:2] == ["--scans"]:
        numbers = [int(a) for a in sys.argv[2:] if a != "--diffs"]
        print(json.dumps(run_scans(*numbers, diffs="--diffs" in sys.argv), indent=1,
                         ensure_ascii=False))
    else:
        print(json.dumps(run(*(int(a) for a in sys.argv[1:])), indent=1, ensure_ascii=False))
