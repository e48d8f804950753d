"""A scanned set built on 2 local workers and on a 2-worker Dask LocalCluster.

Documents: dense German prose on A4, rasterised at 200 dpi (as bench/ocr.py),
`docs` of `pages` pages each (default 50 × 20 = 1,000 pages: about 30 min per build
on 2 free cores); every one is longer than a file job OCRs itself, so every page is
a page job. Both builds start from the same imported state, without the table pass.
Reports wall seconds, pages per second, CPU seconds per page and the projected wall
time of 1,000 pages at that rate.
"""

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from etl.samples.scan import prose_pdf, rasterize

from .common import cli, run_measured, save
from .ocr import prose


def make_set(folder: Path, docs: int, pages: int) -> None:
    text, _source = prose(17)
    words = text.split()
    for index in range(docs):
        start = (index * 4000) % max(len(words) - 4000, 1)
        data = prose_pdf(" ".join(words[start:] + words[:start]), pages)
        (folder / f"scan-{index:03d}.pdf").write_bytes(rasterize(data, dpi=200, angle=1.0,
                                                                 seed=100 + index))


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(state: Path, target: Path, extra: list[str]) -> dict:
    shutil.copytree(state, target)
    before = cpu_of_children()
    run = run_measured(cli("build", "--data-dir", str(target), "--workers", "2", "--no-tables",
                           *extra))
    return {"seconds": run["seconds"], "cpu": cpu_of_children() - before,
            "summary": run["stdout"]}


def with_cluster(state: Path, target: Path) -> dict:
    import dask
    from distributed import LocalCluster

    before = cpu_of_children()
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            started = time.monotonic()
            result = timed_build(state, target, ["--scheduler", cluster.scheduler_address])
            result["seconds"] = round(time.monotonic() - started, 2)
    result["cpu"] = cpu_of_children() - before  # the workers are reaped when the cluster closes
    return result


def figures(run: dict, pages: int) -> dict:
    return {"seconds": run["seconds"], "pages_per_second": round(pages / run["seconds"], 3),
            "cpu_seconds_per_page": round(run["cpu"] / pages, 2),
            "projected_seconds_for_1000_pages": round(1000 * run["seconds"] / pages),
            "summary": run["summary"]}


def run(docs: int = 50, pages: int = 20) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder, state = Path(tmp) / "scans", Path(tmp) / "state"
        folder.mkdir()
        make_set(folder, docs, pages)
        run_measured(cli("import-dir", str(folder), "--body", "scans", "--data-dir", str(state)))
        total = docs * pages
        local = timed_build(state, Path(tmp) / "local", [])
        result = {"documents": docs, "pages": total, "dpi": 200,
                  "local_2_workers": figures(local, total)}
        try:
            result["dask_localcluster_2_workers"] = figures(
                with_cluster(state, Path(tmp) / "dask"), total)
        except ImportError:
            result["dask_localcluster_2_workers"] = "skipped: the cluster extra is not installed"
    save("ocr_scale", result)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(*[int(a) for a in sys.argv[1:]]), indent=1, ensure_ascii=False))
