"""OCR speed and yield: ratsdaten vs OCRmyPDF on the same image-only scans, one core each.

The scans are made by the project's own code (etl/samples/scan.py): dense German
prose set on A4 – real Leipzig council texts when ../shared/corpus is present,
generated sentences otherwise – rasterised at 200 dpi, each page slightly rotated,
with speckle. Both tools run as their own process pinned to one core (taskset),
alternately, in the same run; wall and CPU seconds are measured per tool.
Characters are counted without white space: ratsdaten's page texts, OCRmyPDF's
sidecar text; and both texts' words are aligned with the source text (difflib), counting
words read wrong or not read at all. This machine's speed drifts by 10-15 % within minutes
(the same image through Tesseract took 2.9-4.3 s), so each round runs the two tools back
to back and the ratio is also given per round and as the median of the rounds. ratsdaten
runs as it is (each page at the scan's own resolution, form pages again at 300 dpi: prose
pages are OCRed once; the texts are Leipzig papers, so its cover-sheet reader runs over
them too), with `--profile generic` (the OCR and the page texts alone, no cover-sheet
reader: what OCRmyPDF does), and unless the fourth argument is 0
(`python -m bench.ocr PAGES ROUNDS CORE 0`) also with RATSDATEN_OCR_MIN_DPI=300 (every
page at 300 dpi, the rule before) and with RATSDATEN_OCR_MIN_DPI=0 (every page at the
scan's own 200 dpi; for scanned forms see BENCHMARKS.md 9h and bench/ocr_forms.py).
"""

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

from etl.samples.scan import german_prose, prose_pdf, rasterize

from .common import CORPUS, save

OCRMYPDF_ARGS = ["-l", "deu", "--jobs", "1", "-q"]  # as measured in issue #16 (PDF/A output)


def prose(seed: int) -> tuple[str, str]:
    """Real Leipzig council texts: the 9 of the 306 papers of May 2023 that carry text
    (the others' content is the placeholder '<empty>', which until round 6 was all this
    scan showed, 10 pages of it); about 5,000 words, a 10-page scan's worth."""
    path = CORPUS / "leipzig" / "paper_texts_2023-05.json"
    if path.exists():
        papers = json.loads(path.read_text())
        texts = [" ".join((p.get("content") or "").split()) for p in papers]
        texts = [t for t in texts if t and t != "<empty>"]
        return " ".join(texts), f"Leipzig council texts (May 2023, the {len(texts)} with text)"
    return german_prose(seed, 2000), "generated German sentences"


def make_scan(pages: int, seed: int = 16) -> tuple[bytes, str]:
    text, source = prose(seed)
    return rasterize(prose_pdf(text, pages), dpi=200, angle=1.0, seed=seed), source


def words_wrong(read: str, truth: str) -> int:
    """Words of `read` that are not the source's word at that place, plus the source's
    words left out up to the last one read. The scan holds the source from its beginning
    and starts it over when it runs out, so each page (form feed apart) is aligned with
    the source just after where the page before ended: one alignment of the whole text
    let the longest run of the repeat claim the source's beginning and counted 4,900 words
    of a good read as missed (round 7)."""
    source = truth.split() * 3
    wrong, at = 0, 0
    for page in read.split("\f"):
        got = page.split()
        window = source[at:at + int(len(got) * 1.5) + 50]
        blocks = [b for b in SequenceMatcher(None, window, got, autojunk=False
                                             ).get_matching_blocks() if b.size]
        matched = sum(b.size for b in blocks)
        reached = max((b.a + b.size for b in blocks), default=0)
        wrong += (len(got) - matched) + (reached - matched)
        at += reached
    return wrong


def pinned(argv: list[str], core: int) -> list[str]:
    return (["taskset", "-c", str(core)] if shutil.which("taskset") else []) + argv


def measured(argv: list[str], env=None) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, env=env)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {done.stderr[-1500:]!r}")
    return wall, cpu, done


def chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def run_ratsdaten(scan: Path, core: int, min_dpi: int | None = None,
                  profile: str | None = None) -> dict:
    env = dict(os.environ, **({"RATSDATEN_OCR_MIN_DPI": str(min_dpi)} if min_dpi is not None
                              else {}))
    chosen = ["--profile", profile] if profile else []
    wall, cpu, done = measured(pinned([sys.executable, "-m", "etl.cli", "extract", "--no-tables",
                                       *chosen, "--timeout", "3600", str(scan)], core), env=env)
    result = json.loads(done.stdout)
    assert len(result["file"]["ocr_pages"]) == result["file"]["pages"]
    text = "\f".join(p["text"] for p in result["pages"])  # pages apart, as OCRmyPDF's
    return {"wall": wall, "cpu": cpu, "chars": chars(text), "text": text}


def run_ocrmypdf(scan: Path, core: int, folder: Path) -> dict:
    sidecar, output = folder / "sidecar.txt", folder / "ocrmypdf.pdf"
    wall, cpu, _done = measured(pinned([sys.executable, "-m", "ocrmypdf", *OCRMYPDF_ARGS,
                                        "--sidecar", str(sidecar), str(scan), str(output)], core))
    text = sidecar.read_text()
    return {"wall": wall, "cpu": cpu, "chars": chars(text), "text": text}


def summary(runs: list[dict], pages: int, truth: str) -> dict:
    best = min(runs, key=lambda r: r["wall"])
    return {"seconds_per_page": round(best["wall"] / pages, 2),
            "cpu_seconds_per_page": round(min(r["cpu"] for r in runs) / pages, 2),
            "pages_per_second_per_core": round(pages / best["wall"], 3),
            "characters": best["chars"], "words": len(best["text"].split()),
            "words_wrong_or_missed": words_wrong(best["text"], truth),
            "runs_wall_seconds": [round(r["wall"], 1) for r in runs]}


def run(pages: int = 10, repeats: int = 2, core: int = 0, floors: int = 1) -> dict:
    try:
        import ocrmypdf  # noqa: F401
    except ImportError:
        raise SystemExit("skipped: OCRmyPDF is not installed (pip install -e '.[bench]')") from None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data, source = make_scan(pages)
        scan = folder / "scan.pdf"
        scan.write_bytes(data)
        ours, floor, native, theirs, plain = [], [], [], [], []
        for _ in range(repeats):  # alternately, so all see the same machine load
            ours.append(run_ratsdaten(scan, core))
            theirs.append(run_ocrmypdf(scan, core, folder))  # next to ours: the speed drifts
            plain.append(run_ratsdaten(scan, core, profile="generic"))
            if floors:
                floor.append(run_ratsdaten(scan, core, min_dpi=300))
                native.append(run_ratsdaten(scan, core, min_dpi=0))
    truth = prose(16)[0]
    result = {"pages": pages, "text": source, "dpi": 200, "ratsdaten": summary(ours, pages, truth),
              "ocrmypdf": summary(theirs, pages, truth)}
    r, o = result["ratsdaten"], result["ocrmypdf"]
    paired = [round(a["cpu"] / b["cpu"], 3) for a, b in zip(ours, theirs, strict=True)]
    result["cpu_ratio_per_round"] = paired
    result["cpu_ratio_median_of_rounds"] = statistics.median(paired)
    result["wall_ratio_ratsdaten_vs_ocrmypdf"] = round(
        r["seconds_per_page"] / o["seconds_per_page"], 3)
    result["cpu_ratio_ratsdaten_vs_ocrmypdf"] = round(
        r["cpu_seconds_per_page"] / o["cpu_seconds_per_page"], 3)
    result["characters_difference"] = round(r["characters"] / o["characters"] - 1, 4)
    result["ocr_only_cpu_ratio_per_round"] = [
        round(a["cpu"] / b["cpu"], 3) for a, b in zip(plain, theirs, strict=True)]
    for key, runs in (("ratsdaten_ocr_only", plain), ("ratsdaten_at_300_dpi", floor),
                      ("ratsdaten_at_scan_dpi", native)):
        if not runs:
            continue
        result[key] = summary(runs, pages, truth)
        result[f"cpu_ratio_{key}_vs_ocrmypdf"] = round(
            result[key]["cpu_seconds_per_page"] / o["cpu_seconds_per_page"], 3)
    save("ocr", result)
    return result


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    print(json.dumps(run(*args), indent=1, ensure_ascii=False))
