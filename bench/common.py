"""Helpers shared by the benchmarks: timing child processes and writing results."""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "bench"
CORPUS = ROOT.parent / "shared" / "corpus"


def run_measured(argv: list[str], **kwargs) -> dict:
    """Run a command; its wall time and the peak RSS of its largest process (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {done.stderr[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_mb": round(max(peak, before) / 1024, 1),
            "stdout": done.stdout.strip().splitlines()[-1:] if done.stdout else []}


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "etl.cli", *args]


def save(name: str, result: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return path


def need_corpus(*parts) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        raise SystemExit(f"skipped: {path} is absent (the real corpus lives in ../shared/corpus)")
    return path
