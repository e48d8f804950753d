"""Files and their scanned pages as sandboxed jobs, with retries for what timed out.

A file job reads the text layer and OCRs up to INLINE_OCR_PAGES image pages
itself. A scan with more becomes one page job per missing page, each with the
full time and memory limit; every page result goes to a page store as it comes
(the build's is the state database, so a killed build resumes mid-document),
and when the last page is in, the file job runs again on the stored words.
A job that timed out is retried once, alone and with RETRY_FACTOR times the
limit, before its timeout is recorded.

The executor is a local sandbox Pool or a Dask cluster (etl/pdf/cluster.py):
anything with `submit(key, func, args, timeout, alone)` and `results()`.
"""

from dataclasses import dataclass, field

from ..extract import extract_task, ocr_page_task
from .sandbox import Limits

INLINE_OCR_PAGES = 4
RETRY_FACTOR = 3


@dataclass
class MemoryPages:
    """A page store that forgets (for `ratsdaten extract`)."""

    pages: dict = field(default_factory=dict)

    def get(self, sha256: str) -> dict:
        return dict(self.pages.get(sha256, {}))

    def put(self, sha256: str, number: int, outcome: dict) -> None:
        self.pages.setdefault(sha256, {})[number] = outcome


@dataclass
class _File:
    path: str
    profile: str | None
    waiting: set = field(default_factory=set)
    pages_done: bool = False


def extract_files(items, limits: Limits, executor, store, tables: bool = True,
                  stats: dict | None = None, ocr: bool = True, file_task=extract_task,
                  page_task=ocr_page_task):
    """Yield (sha256, outcome) for each (sha256, path, profile) item as its file finishes."""
    stats = stats if stats is not None else {}
    stats.setdefault("ocr_pages", 0)
    stats.setdefault("ocr_form_pages", 0)  # OCRed a second time at 300 dpi (a form)
    stats.setdefault("retried", 0)
    files = {sha: _File(str(path), profile) for sha, path, profile in items}

    def submit_file(sha: str, alone: bool = False) -> None:
        item = files[sha]
        inline = None if item.pages_done else INLINE_OCR_PAGES
        executor.submit(("file", sha, alone), file_task,
                        (item.path, item.profile, ocr, tables, store.get(sha), inline),
                        limits.timeout * (RETRY_FACTOR if alone else 1), alone)

    def submit_page(sha: str, number: int, alone: bool = False) -> None:
        executor.submit(("page", sha, number, alone), page_task, (files[sha].path, number),
                        limits.timeout * (RETRY_FACTOR if alone else 1), alone)

    for sha in files:
        submit_file(sha)
    for key, outcome in executor.results():
        kind, sha, *rest = key
        alone = rest[-1]
        failure = outcome.get("failure")
        if failure and failure["kind"] == "timeout" and not alone:
            stats["retried"] += 1
            (submit_file(sha, True) if kind == "file" else submit_page(sha, rest[0], True))
            continue
        if failure and alone:
            failure["message"] += f" (also when retried alone with {RETRY_FACTOR}x the time)"
        if kind == "page":
            store.put(sha, rest[0], outcome)
            stats["ocr_pages"] += "words" in outcome
            stats["ocr_form_pages"] += outcome.get("image", {}).get("passes") == 2
            files[sha].waiting.discard(rest[0])
            if not files[sha].waiting:
                files[sha].pages_done = True
                submit_file(sha)
        elif "needs_ocr" in outcome:
            files[sha].waiting = set(outcome["needs_ocr"])
            for number in outcome["needs_ocr"]:
                submit_page(sha, number)
        else:
            outcome.pop("path", None)
            if hasattr(executor, "forget"):
                executor.forget(files[sha].path)
            yield sha, outcome


def local_executor(limits: Limits):
    from .process import preload_libraries
    from .sandbox import Pool

    preload_libraries()
    return Pool(limits)
