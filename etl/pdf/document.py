"""One opened PDF: its pages' text (from the text layer or OCR) and words, read lazily."""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium

from .failures import PdfFailure
from .ocr import MIN_TEXT_CHARS, needs_ocr, ocr_words, page_image
from .preflight import open_document, sha256_of
from .tesseract import OcrFailed, tesseract_available, words_from_rows, words_to_text
from .text import Word, normalise_text, page_words, raw_page_text

GrayImage = tuple[np.ndarray, float]  # a page rendered to gray, and points to pixels


@dataclass
class Page:
    number: int
    width: float
    height: float
    raw_text: str
    method: str  # text, ocr or none ("scan" only while reading: waits for OCR)
    words: list[Word] | None = None
    made: GrayImage | Callable[[], GrayImage] | None = None  # of an OCRed page, or how to remake it

    @property
    def image(self) -> GrayImage | None:
        """The cleaned image an OCRed page's words come from (for the checkbox reader)."""
        if callable(self.made):
            self.made = self.made()
        return self.made

    @property
    def text(self) -> str:
        return normalise_text(self.raw_text)


class PagesNeedOcr(Exception):
    """More image-only pages than one job should OCR: they become page jobs."""

    def __init__(self, pages: list[int], total: int):
        super().__init__(f"{len(pages)} of {total} pages need OCR")
        self.pages, self.total = pages, total


@dataclass
class Document:
    data: bytes
    sha256: str
    pdf: pdfium.PdfDocument
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ocr_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.method == "ocr"]

    def words(self, number: int) -> list[Word]:
        """Words with boxes of page `number` (1-based), read on first use."""
        page = self.pages[number - 1]
        if page.words is None:
            pdf_page = self.pdf[number - 1]
            textpage = pdf_page.get_textpage()
            page.words = page_words(textpage, number, page.height)
        return page.words

    def close(self):
        self.pdf.close()


def read_document(data: bytes, ocr: bool = True, password: str | None = None,
                  known_ocr: dict | None = None, max_inline_ocr: int | None = None) -> Document:
    """Open a PDF and read every page's text, OCRing pages that are images only.

    `known_ocr` maps page numbers to page-job outcomes ({"words": rows} or
    {"failure": ...}); when more than `max_inline_ocr` image pages are not among
    them, PagesNeedOcr says which, before any of them is OCRed here."""
    pdf = open_document(data, password=password)
    doc = Document(data=data, sha256=sha256_of(data), pdf=pdf)
    known = known_ocr or {}
    can_ocr = ocr and tesseract_available()
    for index in range(len(pdf)):
        try:
            doc.pages.append(_text_page(pdf, index, index + 1 in known))
        except PdfFailure:
            raise
        except Exception as exc:  # pdfium raises plain errors on broken pages
            doc.warnings.append(f"page {index + 1} unreadable: {exc}")
            doc.pages.append(Page(index + 1, 0.0, 0.0, "", "none", []))
    scans = [p.number for p in doc.pages if p.method == "scan"]
    missing = [n for n in scans if n not in known]
    if can_ocr and max_inline_ocr is not None and len(missing) > max_inline_ocr:
        doc.close()
        raise PagesNeedOcr(missing, len(doc.pages))
    read = _ocr_together(doc.pdf, missing) if can_ocr and len(missing) > 1 else {}
    for number in scans:
        if number in read:
            words, gray, scale, _made = read[number]
            page = doc.pages[number - 1]
            doc.pages[number - 1] = Page(number, page.width, page.height, words_to_text(words),
                                         "ocr", words, (gray, scale))
        else:
            doc.pages[number - 1] = _ocr_page(doc, number, known.get(number), can_ocr)
    return doc


def _ocr_together(pdf, numbers: list[int], per_run: int = 4) -> dict:
    """The pages through one Tesseract process per `per_run` pages (their images are held
    until it ends); a run that fails is left out (then its pages are OCRed alone, and the
    page that fails has its own warning)."""
    from .ocrbatch import ocr_pages

    read: dict = {}
    for start in range(0, len(numbers), per_run):
        try:
            read.update(ocr_pages(pdf, numbers[start:start + per_run]))
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - page by page tells which page it was
            continue
    return read


def _text_page(pdf, index: int, known: bool) -> Page:
    page = pdf[index]
    width, height = page.get_size()
    raw = raw_page_text(page.get_textpage())
    number = index + 1
    if len(raw.strip()) >= MIN_TEXT_CHARS:
        return Page(number, width, height, raw, "text")
    if known or needs_ocr(page, raw):
        return Page(number, width, height, raw, "scan")
    return Page(number, width, height, raw, "text" if raw.strip() else "none")


def _ocr_page(doc: Document, number: int, cached: dict | None, can_ocr: bool) -> Page:
    page = doc.pages[number - 1]
    fallback = Page(number, page.width, page.height, page.raw_text,
                    "text" if page.raw_text.strip() else "none")
    if cached is not None and "failure" in cached:
        failure = cached["failure"]
        doc.warnings.append(f"page {number}: OCR failed ({failure['kind']}: "
                            f"{failure['message']})")
        return fallback
    if cached is not None:
        words = words_from_rows(cached["words"], number)
        made = cached.get("image") or {}
        remake = (lambda: page_image(doc.pdf[number - 1], made["dpi"], made["angle"])) \
            if "dpi" in made else None
        return Page(number, page.width, page.height, words_to_text(words), "ocr", words, remake)
    if not can_ocr:
        doc.warnings.append(f"page {number} is an image but tesseract is not installed")
        return fallback
    try:
        words, gray, scale, _made = ocr_words(doc.pdf[number - 1], number)
    except OcrFailed as exc:
        if exc.memory:
            raise MemoryError(str(exc)) from None
        doc.warnings.append(f"page {number}: {exc}")
        return fallback
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfium raises plain errors on broken pages
        doc.warnings.append(f"page {number} unreadable: {exc}")
        return fallback
    return Page(number, page.width, page.height, words_to_text(words), "ocr", words,
                (gray, scale))
