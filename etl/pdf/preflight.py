"""Cheap checks before any parser touches a file: is it a PDF, can we open it, is it sane."""

import hashlib
from dataclasses import dataclass

import pypdfium2 as pdfium

from ..sniff import looks_like_html
from .failures import PdfFailure

MAX_PAGES = 500
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_RENDER_PIXELS = 40_000_000
MAGIC_WINDOW = 1024


@dataclass
class Preflight:
    sha256: str
    size: int
    pages: int


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_bytes(data: bytes) -> None:
    """Reject what is not a PDF before a parser sees it."""
    if not data:
        raise PdfFailure("not_pdf", "empty file (0 bytes)", "preflight")
    if len(data) > MAX_FILE_BYTES:
        raise PdfFailure("parse_error", f"file too large ({len(data)} bytes)", "preflight")
    if b"%PDF-" not in data[:MAGIC_WINDOW]:
        what = "an HTML page" if looks_like_html(data) else "no %PDF- header"
        raise PdfFailure("not_pdf", f"not a PDF: {what}", "preflight")


def open_document(data: bytes, password: str | None = None, max_pages: int = MAX_PAGES):
    """Open with pdfium (empty password first); map its errors onto failure classes."""
    check_bytes(data)
    try:
        pdf = pdfium.PdfDocument(data, password=password or "")
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise PdfFailure("encrypted", "encrypted and the password is unknown", "open") from None
        raise PdfFailure("parse_error", f"pdfium cannot open it: {exc}", "open") from None
    try:  # must happen before pages are loaded, or widget values are not readable
        pdf.init_forms()
    except Exception:  # noqa: BLE001 - a broken form is no reason to lose the text
        pass
    pages = len(pdf)
    if pages > max_pages:
        pdf.close()
        raise PdfFailure("too_many_pages", f"{pages} pages, more than the cap of {max_pages}",
                         "open")
    return pdf


def render_scale(width_pt: float, height_pt: float, dpi: int = 200,
                 max_pixels: int = MAX_RENDER_PIXELS) -> float:
    """The render scale for a page, lowered so no bitmap exceeds max_pixels."""
    scale = dpi / 72.0
    pixels = max(width_pt, 1) * max(height_pt, 1) * scale * scale
    if pixels > max_pixels:
        scale *= (max_pixels / pixels) ** 0.5
    return scale
