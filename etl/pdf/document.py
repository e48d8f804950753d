"""One opened PDF: its pages' text (from the text layer or OCR) and words, read lazily."""

from dataclasses import dataclass, field

from .failures import PdfFailure
from .ocr import MIN_TEXT_CHARS, needs_ocr, ocr_words, tesseract_available, words_to_text
from .preflight import open_document, sha256_of
from .text import Word, normalise_text, page_words, raw_page_text


@dataclass
class Page:
    number: int
    width: float
    height: float
    raw_text: str
    method: str  # text, ocr or none
    words: list[Word] | None = None
    image: tuple | None = None  # (gray array, scale) of an OCRed page, cleaned

    @property
    def text(self) -> str:
        return normalise_text(self.raw_text)


@dataclass
class Document:
    data: bytes
    sha256: str
    pdf: object
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


def read_document(data: bytes, ocr: bool = True, password: str | None = None) -> Document:
    """Open a PDF and read every page's text, OCRing pages that are images only."""
    pdf = open_document(data, password=password)
    doc = Document(data=data, sha256=sha256_of(data), pdf=pdf)
    can_ocr = ocr and tesseract_available()
    for index in range(len(pdf)):
        try:
            doc.pages.append(_read_page(pdf, index, can_ocr, doc.warnings))
        except PdfFailure:
            raise
        except Exception as exc:  # pdfium raises plain errors on broken pages
            doc.warnings.append(f"page {index + 1} unreadable: {exc}")
            doc.pages.append(Page(index + 1, 0.0, 0.0, "", "none", []))
    return doc


def _read_page(pdf, index: int, can_ocr: bool, warnings: list[str]) -> Page:
    page = pdf[index]
    width, height = page.get_size()
    raw = raw_page_text(page.get_textpage())
    number = index + 1
    if len(raw.strip()) >= MIN_TEXT_CHARS:
        return Page(number, width, height, raw, "text")
    if needs_ocr(page, raw):
        if not can_ocr:
            warnings.append(f"page {number} is an image but tesseract is not installed")
        else:
            words, gray, scale = ocr_words(page, number)
            return Page(number, width, height, words_to_text(words), "ocr", words, (gray, scale))
    return Page(number, width, height, raw, "text" if raw.strip() else "none")
