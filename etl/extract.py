"""One PDF to the extraction contract: a pure function of (bytes, options, code version)."""

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any

from . import EXTRACTOR_VERSION, profiles
from .contract import empty_result
from .pdf import ocr
from .pdf.document import PagesNeedOcr, read_document
from .pdf.failures import PdfFailure

TABLE_SECONDS = 20  # the table pass may not cost a file its text: it is cut off first

# scanned pages naming a cover sheet are OCRed a second time, finer
ocr.add_form_markers(m for name in profiles.PROFILES for m in profiles.form_markers(name))


@contextmanager
def time_limit(seconds: int):
    """Raise TimeoutError in this (worker) process after `seconds` (pure-Python parsers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def preload(words: bool = True) -> None:
    """What every job would load again, loaded once in the process that forks them:
    OpenCV, and the German word list (`words`: a city profile may read a scan's running
    text; 0.35 CPU-s a scanned file otherwise)."""
    from .pdf.process import preload_libraries
    from .profiles import lexicon

    preload_libraries()
    if words:
        lexicon.words()


def extract_bytes(data: bytes, profile: str | None = None, ocr: bool = True,
                  tables: bool = False, known_ocr: dict | None = None,
                  max_inline_ocr: int | None = None) -> dict:
    """The contract object for one PDF; raises PdfFailure when it cannot be read, and
    PagesNeedOcr when more pages need OCR than `max_inline_ocr` (see read_document)."""
    doc = read_document(data, ocr=ocr, known_ocr=known_ocr, max_inline_ocr=max_inline_ocr)
    try:
        result = empty_result(doc.sha256, len(data), len(doc.pages))
        result["file"]["ocr_pages"] = doc.ocr_pages
        result["file"]["text_layer"] = not doc.ocr_pages
        result["pages"] = [{"number": p.number, "text": p.text, "method": p.method}
                           for p in doc.pages]
        if doc.pages and not any(p.text for p in doc.pages):
            raise PdfFailure("empty_text", "no page has any text (and OCR found none)", "text")
        name = profiles.choose(doc, profile)
        result["file"]["profile"] = name
        profiles.PROFILES["generic"].fill(doc, result)
        if name != "generic":
            _fill_city_fields(profiles.PROFILES[name], name, doc, result)
        if tables:
            from .pdf.tables import find_tables, ruled_pages
            markers = profiles.form_markers(name)  # its grids are read as form fields
            form_pages = {p.number for p in doc.pages
                          if any(marker in p.text for marker in markers)}
            pages = [n for n in ruled_pages(doc) if n not in form_pages]
            try:
                with time_limit(TABLE_SECONDS):
                    result["tables"] = find_tables(data, doc, pages) if pages else []
            except TimeoutError:
                result["file"]["warnings"].append(
                    f"table pass stopped after {TABLE_SECONDS} s; text and form are complete")
        result["file"]["warnings"] = doc.warnings + result["file"]["warnings"]
        return result
    finally:
        doc.close()


def _fill_city_fields(profile, name: str, doc, result: dict) -> None:
    """The city profile's fields; a bug it trips over on a strange document (tuning scan
    8761-014: 'Status;' crashed the Leipzig header) is a warning on the file, which keeps its
    text and the fields read so far, not a failed file."""
    try:
        profile.fill(doc, result)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        result["file"]["warnings"].append(
            f"{name}: the profile stopped, its fields may be incomplete "
            f"({type(exc).__name__}: {exc})"[:300])


def extract_task(path: str, profile: str | None = None, ocr: bool = True,
                 tables: bool = True, known_ocr: dict | None = None,
                 max_inline_ocr: int | None = None) -> dict:
    """The unit of work for the pool: never raises, returns result or failure with timings,
    or `needs_ocr` (the pages to OCR as page jobs before the file is read again)."""
    started = time.monotonic()
    outcome: dict[str, Any] = {"path": path, "extractor_version": EXTRACTOR_VERSION}
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        outcome["result"] = extract_bytes(data, profile=profile, ocr=ocr, tables=tables,
                                          known_ocr=known_ocr, max_inline_ocr=max_inline_ocr)
    except PagesNeedOcr as need:
        outcome["needs_ocr"] = need.pages
    except PdfFailure as failure:
        outcome["failure"] = failure.as_dict()
    except MemoryError:
        outcome["failure"] = {"kind": "memory", "stage": "extract", "message": "out of memory"}
    except Exception as exc:  # hostile input must never end a run
        outcome["failure"] = {"kind": "parse_error", "stage": "extract",
                              "message": f"{type(exc).__name__}: {exc}"[:500]}
    outcome["seconds"] = round(time.monotonic() - started, 3)
    return outcome


def ocr_page_task(path: str, numbers: list[int]) -> dict:
    """A page job: the words with boxes of image-only pages, {"pages": {number: {"words",
    "image"}}}, through one Tesseract process (never raises)."""
    from .pdf.ocrbatch import ocr_pages
    from .pdf.preflight import open_document
    from .pdf.tesseract import OcrFailed, words_as_rows

    started = time.monotonic()
    outcome: dict[str, Any] = {}
    try:
        with open(path, "rb") as fh:
            pdf = open_document(fh.read())
        try:
            read = ocr_pages(pdf, list(numbers))
        finally:
            pdf.close()
        share = round((time.monotonic() - started) / max(1, len(numbers)), 3)
        outcome["pages"] = {number: {"words": words_as_rows(words), "image": made,
                                     "seconds": share}
                            for number, (words, _gray, _scale, made) in read.items()}
    except OcrFailed as exc:
        outcome["failure"] = {"kind": "memory" if exc.memory else "parse_error",
                              "stage": "ocr", "message": str(exc)[:500]}
    except PdfFailure as failure:
        outcome["failure"] = failure.as_dict()
    except MemoryError:
        outcome["failure"] = {"kind": "memory", "stage": "ocr", "message": "out of memory"}
    except Exception as exc:  # noqa: BLE001 - hostile input must never end a run
        outcome["failure"] = {"kind": "parse_error", "stage": "ocr",
                              "message": f"{type(exc).__name__}: {exc}"[:500]}
    outcome["seconds"] = round(time.monotonic() - started, 3)
    return outcome
