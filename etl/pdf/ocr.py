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


def deskew_angle(gray: np.ndarray, max_angle: float = 3.0, step: float = 0.1) -> float:
    """The rotation that makes text lines most horizontal (projection-profile search)."""
    import cv2

    small = cv2.resize(gray, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_angle, max_angle + step / 2, step):
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]))
        score = float(np.var(rotated.sum(axis=1)))
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def clean_scan(gray: np.ndarray) -> np.ndarray:
    """Deskewed and despeckled, as Tesseract and the checkbox reader both want it."""
    import cv2

    angle = deskew_angle(gray)
    if angle:
        centre = (gray.shape[1] / 2, gray.shape[0] / 2)
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        gray = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]),
                              flags=cv2.INTER_CUBIC, borderValue=255)
    return cv2.medianBlur(gray, 3)


def without_rules(gray: np.ndarray, scale: float) -> np.ndarray:
    """Table rules erased (they make Tesseract read cells as garbage); boxes stay."""
    import cv2

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    length = max(int(20 * scale), 10)  # longer than any checkbox side (about 8 pt)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    cleaned = gray.copy()
    cleaned[rules > 0] = 255
    return cleaned


JUNK = " |‘’'\"_~-—–.,:;!^`´°"


def ocr_words(page, page_number: int, lang: str = "deu") -> tuple[list[Word], np.ndarray, float]:
    """Words with boxes in PDF points (origin top left) of the cleaned page image, the
    image itself and its scale; checkbox reading works on that same image."""
    import pytesseract

    gray, scale = render_gray(page, OCR_DPI)
    gray = clean_scan(gray)
    data = pytesseract.image_to_data(without_rules(gray, scale), lang=lang, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        confidence = float(data["conf"][i])
        core = text.strip(JUNK)
        if not core or confidence < 0 or (confidence < 30 and len(core) < 3):
            continue
        text = text.lstrip(JUNK) or text
        x, y, w, h = (data[k][i] / scale for k in ("left", "top", "width", "height"))
        words.append(Word(text, x, y, x + w, y + h, page_number))
    return words, gray, scale


def words_to_text(words: list[Word]) -> str:
    from .text import group_lines

    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))
