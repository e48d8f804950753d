"""Extraction on a Dask distributed cluster (`ratsdaten build --scheduler tcp://HOST:8786`).

File jobs and page jobs go to the cluster as they go to the local pool: each is
a pure function of (file bytes, arguments, code version). A file's bytes are
scattered once and shared by its page jobs. On the worker a job still runs in
a sandboxed child process, so a hostile file cannot take the worker down. Dask
workers must be allowed to start child processes: set
DASK_DISTRIBUTED__WORKER__DAEMON=False on them.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import EXTRACTOR_VERSION
from ..extract import preload
from .sandbox import Limits, run_sandboxed


def run_remote(func, data: bytes, args: tuple, limits: Limits,
               extractor_version: str = EXTRACTOR_VERSION) -> dict:
    """Runs on a cluster worker: the bytes go to a temp file, a sandboxed child reads them."""
    if extractor_version != EXTRACTOR_VERSION:
        raise RuntimeError(f"worker runs extractor {EXTRACTOR_VERSION}, "
                           f"the build asked for {extractor_version}")
    preload()
    with tempfile.NamedTemporaryFile(prefix="ratsdaten-", suffix=".pdf", delete=False) as fh:
        fh.write(data)
    try:
        [(_key, outcome)] = run_sandboxed(func, [(0, (fh.name, *args))],
                                          Limits(limits.timeout, limits.memory, workers=1))
        outcome.pop("path", None)
        return outcome
    finally:
        os.unlink(fh.name)


@dataclass
class DaskExecutor:
    """The executor interface of etl/pdf/jobs.py on a distributed Client."""

    client: Any  # a distributed.Client
    limits: Limits
    data: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    done: Any = None  # a distributed.as_completed

    def __post_init__(self):
        from distributed import as_completed

        self.done = as_completed()

    def submit(self, key, func, args, timeout: float, alone: bool = False) -> None:
        path, rest = args[0], tuple(args[1:])
        if path not in self.data:
            self.data[path] = self.client.scatter(Path(path).read_bytes())
        future = self.client.submit(run_remote, func, self.data[path], rest,
                                    Limits(timeout, self.limits.memory, 1), EXTRACTOR_VERSION,
                                    pure=False)
        self.keys[future] = key
        self.done.add(future)

    def forget(self, path: str) -> None:
        self.data.pop(path, None)

    def results(self):
        for future in self.done:
            key = self.keys.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker is recorded, not fatal
                outcome = {"failure": {"kind": "crash", "stage": "cluster",
                                       "message": f"{type(exc).__name__}: {exc}"[:500]}}
            future.release()
            yield key, outcome


def run_on_cluster(scheduler: str, pending, limits: Limits, store, tables: bool = True,
                   stats: dict | None = None):
    """Yield (sha256, outcome) for (sha256, path, profile) items, computed on the cluster."""
    from distributed import Client

    from .jobs import extract_files

    with Client(scheduler, timeout="30s") as client:
        yield from extract_files(pending, limits, DaskExecutor(client, limits), store,
                                 tables=tables, stats=stats)
