"""Extraction on a Dask distributed cluster (`ratsdaten build --scheduler tcp://HOST:8786`).

The task sent to the cluster is a pure function of (file bytes, options, code
version). On the worker it still runs in a sandboxed child process, so a
hostile file cannot take the worker down. Dask workers must be allowed to
start child processes: set DASK_DISTRIBUTED__WORKER__DAEMON=False on them.
"""

import os
import tempfile

from .. import EXTRACTOR_VERSION
from ..extract import extract_task
from .sandbox import Limits, run_sandboxed


def extract_bytes_sandboxed(data: bytes, profile, ocr: bool, tables: bool, limits: Limits,
                            extractor_version: str = EXTRACTOR_VERSION) -> dict:
    """Runs on a cluster worker: the bytes go to a temp file, a sandboxed child reads them."""
    if extractor_version != EXTRACTOR_VERSION:
        raise RuntimeError(f"worker runs extractor {EXTRACTOR_VERSION}, "
                           f"the build asked for {extractor_version}")
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as fh:
        fh.write(data)
    try:
        [(_key, outcome)] = run_sandboxed(extract_task, [(0, (fh.name, profile, ocr, tables))],
                                          Limits(limits.timeout, limits.memory, workers=1))
        return outcome
    finally:
        os.unlink(fh.name)


def run_on_cluster(scheduler: str, pending, limits: Limits, tables: bool = True):
    """Yield (sha256, outcome) for (sha256, path, profile) items, computed on the cluster."""
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for sha256, path, profile in pending:
            with open(path, "rb") as fh:
                data = fh.read()
            future = client.submit(extract_bytes_sandboxed, data, profile, True, tables, limits,
                                   EXTRACTOR_VERSION, key=f"extract-{EXTRACTOR_VERSION}-{sha256}",
                                   pure=False)
            futures[future] = sha256
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker is recorded, not fatal
                outcome = {"failure": {"kind": "crash", "stage": "cluster",
                                       "message": f"{type(exc).__name__}: {exc}"[:500]}}
            outcome.pop("path", None)
            yield futures[future], outcome
