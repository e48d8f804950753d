"""Cover-sheet extraction on the generated Leipzig set: field accuracy per checkbox drawing
method, born-digital and scanned, seconds per document, and time spent in camelot."""

import statistics
import tempfile
import time
from pathlib import Path

import etl.pdf.tables as tables_module
from etl.extract import extract_bytes
from etl.samples.council import write_sample
from etl.samples.scan import rasterize
from etl.samples.score import score, summarise

from .common import save


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


def run(papers: int = 80, scans: int = 8, seed: int = 2019) -> dict:
    import json

    spent, restore = timed_tables()
    try:
        with tempfile.TemporaryDirectory() as folder:
            write_sample(Path(folder), seed=seed, papers=papers)
            truth = json.loads((Path(folder) / "truth.json").read_text())
            born, seconds = [], []
            for fid, paper in sorted(truth.items()):
                data = (Path(folder) / "files" / f"{fid}.pdf").read_bytes()
                started = time.perf_counter()
                result = extract_bytes(data, tables=True)
                seconds.append(time.perf_counter() - started)
                born.append((paper["checkbox_method"], score(result, paper)))
            scanned, scan_seconds = [], []
            for fid, paper in sorted(truth.items())[:scans]:
                data = rasterize((Path(folder) / "files" / f"{fid}.pdf").read_bytes(),
                                 seed=int(fid))
                started = time.perf_counter()
                result = extract_bytes(data, tables=True)
                scan_seconds.append(time.perf_counter() - started)
                scanned.append((f"scan-{paper['checkbox_method']}", score(result, paper)))
    finally:
        restore()
    born_summary, scan_summary = summarise(born), summarise(scanned)
    total = sum(seconds) + sum(scan_seconds)
    result = {
        "documents": len(born), "scanned_documents": len(scanned),
        "born_digital_accuracy": round(born_summary["accuracy"], 4),
        "scanned_accuracy": round(scan_summary["accuracy"], 4),
        "accuracy_per_method": {**{k: round(v, 4) for k, v in born_summary["per_group"].items()},
                                **{k: round(v, 4) for k, v in scan_summary["per_group"].items()}},
        "accuracy_per_field": {k: round(v, 4) for k, v in born_summary["per_field"].items()},
        "weakest_scan_fields": sorted(scan_summary["per_field"].items(), key=lambda kv: kv[1])[:5],
        "median_seconds_born_digital": round(statistics.median(seconds), 3),
        "documents_per_second_born_digital": round(len(seconds) / sum(seconds), 1),
        "median_seconds_scanned": round(statistics.median(scan_seconds), 2),
        "camelot_seconds": round(spent["seconds"], 2),
        "camelot_share": round(spent["seconds"] / total, 4) if total else 0.0,
    }
    save("form_extraction", result)
    return result


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1, ensure_ascii=False))
