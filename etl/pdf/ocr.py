"""OCR for pages without a usable text layer: Tesseract (German) on a pdfium rendering."""

import shutil

import numpy as np

from .preflight import render_scale
from .text import Word

OCR_DPI = 300
MIN_TEXT_CHARS = 20   # fewer characters than this on a page with ink: treat as a scan
INK_FRACTION = 0.0005  # share of dark pixels that makes a page "not blank"


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def render_gray(page, dpi: int) -> tuple[np.ndarray, float]:
    """The page as a grayscale array, and the scale from points to pixels."""
    width, height = page.get_size()
    scale = render_scale(width, height, dpi)
    bitmap = page.render(scale=scale, grayscale=True)
    array = bitmap.to_numpy().copy()
    if array.ndim == 3:
        array = array[:, :, 0]
    return array, scale


def has_ink(page) -> bool:
    gray, _ = render_gray(page, 72)
    return (gray < 180).mean() > INK_FRACTION


def needs_ocr(page, text: str) -> bool:
    return len(text.strip()) < MIN_TEXT_CHARS and has_ink(page)


def ocr_words(page, page_number: int, lang: str = "deu") -> list[Word]:
    """Recognise the page's words with their boxes in PDF points (origin top left)."""
    import pytesseract

    gray, scale = render_gray(page, OCR_DPI)
    data = pytesseract.image_to_data(gray, lang=lang, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text or float(data["conf"][i]) < 0:
            continue
        x, y, w, h = (data[k][i] / scale for k in ("left", "top", "width", "height"))
        words.append(Word(text, x, y, x + w, y + h, page_number))
    return words


def words_to_text(words: list[Word]) -> str:
    from .text import group_lines

    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))
