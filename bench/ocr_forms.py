"""Scanned-form accuracy per OCR resolution rule, as measured for BENCHMARKS.md "9.".

The fixed-layout Leipzig set of the form benchmark (seed 2019): the first 8 of its
80 papers rasterised by etl/samples/scan.py (200 dpi, slight rotation, speckle) and
extracted with the table pass, scored field by field against the generator's truth.
Each rule runs as its own process pinned to one core: the per-page rule (default:
the scan's own dpi, 300 dpi again for form pages) and a fixed floor
(RATSDATEN_OCR_MIN_DPI=300, the rule before; 0, always the scan's own dpi).
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import save


def measure(papers: int, scans: int, seed: int) -> dict:
    import etl.pdf.ocr as ocr
    from etl.extract import extract_bytes
    from etl.samples.council import write_sample
    from etl.samples.scan import rasterize
    from etl.samples.score import score, summarise

    passes = {"pages": 0, "second_passes": 0}
    original = ocr.needs_form_dpi

    def counted(*args):
        again = original(*args)
        passes["pages"] += 1
        passes["second_passes"] += again
        return again

    ocr.needs_form_dpi = counted
    scanned = []
    with tempfile.TemporaryDirectory() as folder:
        write_sample(Path(folder), seed=seed, papers=papers)
        truth = json.loads((Path(folder) / "truth.json").read_text())
        for fid, paper in sorted(truth.items())[:scans]:
            data = rasterize((Path(folder) / "files" / f"{fid}.pdf").read_bytes(), seed=int(fid))
            result = extract_bytes(data, tables=True)
            scanned.append((f"scan-{paper['checkbox_method']}", score(result, paper)))
    summary = summarise(scanned)
    return {"accuracy": round(summary["accuracy"], 4), **passes,
            "weakest_fields": sorted(summary["per_field"].items(), key=lambda kv: kv[1])[:3]}


def run_rule(floor: str | None, core: int, papers: int, scans: int, seed: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "RATSDATEN_OCR_MIN_DPI"}
    if floor is not None:
        env["RATSDATEN_OCR_MIN_DPI"] = floor
    pin = ["taskset", "-c", str(core)] if shutil.which("taskset") else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([*pin, sys.executable, "-m", "bench.ocr_forms", "--inner", str(papers),
                           str(scans), str(seed)], capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-1500:])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {**json.loads(done.stdout.splitlines()[-1]), "cpu_seconds": round(cpu, 1)}


def run(scans: int = 8, seed: int = 2019, core: int = 0, papers: int = 80) -> dict:
    result = {"seed": seed, "scanned_papers": scans,
              "per_page": run_rule(None, core, papers, scans, seed),
              "floor_300": run_rule("300", core, papers, scans, seed),
              "floor_0": run_rule("0", core, papers, scans, seed)}
    save("ocr_forms", result)
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        print(json.dumps(measure(*(int(a) for a in sys.argv[2:]))))
    else:
        print(json.dumps(run(*(int(a) for a in sys.argv[1:])), indent=1, ensure_ascii=False))
