"""Files and their scanned pages as sandboxed jobs, with retries for what timed out.

A file job reads the text layer and OCRs up to INLINE_OCR_PAGES image pages
itself. A scan with more becomes page jobs of up to PAGES_PER_JOB missing pages
each (one Tesseract process for them, etl/pdf/ocrbatch.py), with the full time and
memory limit per page; a page job that fails is split into one job per page, so a
bad page costs only itself. Every page result goes to a page store as it comes
(the build's is the state database, so a killed build resumes mid-document),
and when the last page is in, the file job runs again on the stored words.
A job that timed out is retried once, alone and with RETRY_FACTOR times the
limit, before its timeout is recorded.

The executor is a local sandbox Pool or a Dask cluster (etl/pdf/cluster.py):
anything with `submit(key, func, args, timeout, alone)` and `results()`.
"""

from dataclasses import dataclass, field

from ..extract import extract_task, ocr_page_task, preload
from .sandbox import Limits

INLINE_OCR_PAGES = 4
PAGES_PER_JOB = 4  # one Tesseract start for up to this many pages; a failure splits them
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

    def submit_pages(sha: str, numbers: tuple, alone: bool = False) -> None:
        executor.submit(("page", sha, numbers, alone), page_task, (files[sha].path, numbers),
                        limits.timeout * len(numbers) * (RETRY_FACTOR if alone else 1), alone)

    for sha in files:
        submit_file(sha)
    for key, outcome in executor.results():
        kind, sha, *rest = key
        alone = rest[-1]
        failure = outcome.get("failure")
        if failure and kind == "page" and len(rest[0]) > 1:  # a bad page costs only itself
            for number in rest[0]:
                submit_pages(sha, (number,))
            continue
        if failure and failure["kind"] == "timeout" and not alone:
            stats["retried"] += 1
            (submit_file(sha, True) if kind == "file" else submit_pages(sha, rest[0], True))
            continue
        if failure and alone:
            failure["message"] += f" (also when retried alone with {RETRY_FACTOR}x the time)"
        if kind == "page":
            _store_pages(store, sha, rest[0], outcome, stats)
            files[sha].waiting.difference_update(rest[0])
            if not files[sha].waiting:
                files[sha].pages_done = True
                submit_file(sha)
        elif "needs_ocr" in outcome:
            files[sha].waiting = set(outcome["needs_ocr"])
            for numbers in page_batches(outcome["needs_ocr"], limits.workers):
                submit_pages(sha, numbers)
        else:
            outcome.pop("path", None)
            if hasattr(executor, "forget"):
                executor.forget(files[sha].path)
            yield sha, outcome


def page_batches(numbers: list[int], workers: int) -> list[tuple]:
    """The pages in runs of at most PAGES_PER_JOB, but not fewer runs than workers."""
    count = min(len(numbers), max(-(-len(numbers) // PAGES_PER_JOB), workers))
    size = -(-len(numbers) // max(1, count))
    return [tuple(numbers[i:i + size]) for i in range(0, len(numbers), size)]


def _store_pages(store, sha: str, numbers: tuple, outcome: dict, stats: dict) -> None:
    pages = outcome.get("pages") or {number: outcome for number in numbers}  # a failure
    for number in numbers:
        page = pages[number]
        store.put(sha, number, page)
        stats["ocr_pages"] += "words" in page
        stats["ocr_form_pages"] += page.get("image", {}).get("passes") == 2


def local_executor(limits: Limits, words: bool = True):
    from .sandbox import Pool

    preload(words)
    return Pool(limits)
