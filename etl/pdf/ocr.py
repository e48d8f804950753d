"""OCR for pages without a usable text layer: Tesseract (German), once per page at the
scan's own resolution, again at 300 dpi only for a page that carries a form.

The page image (etl/pdf/scanimage.py: rendered at the resolution it was scanned at,
deskewed and despeckled) has its checkbox squares and stray specks painted white (so
option words come out clean; box states are read from the unpainted image) and goes to
Tesseract (etl/pdf/tesseract.py; one page through a pipe, the pages of a page job as files
in its temp directory, one Tesseract process for them: etl/pdf/ocrbatch.py), whose TSV
gives the words with their boxes; the page text is made from those words. Prose reads as
well at a scan's 200 dpi as at 300, but the small print and boxes of a cover-sheet form may
not (form benchmark on the earlier generator: 97.3 % instead of 99.46 % of fields), so a
page whose first-pass words hold a form's phrase as a label or heading (names_a_form), or
that shows several checkbox-like squares, is OCRed again at FORM_DPI. A scan coarser
than LOW_DPI is read once, at FORM_DPI, from its own pixels enlarged bicubically and
sharpened (render_for_ocr).
RATSDATEN_OCR_MIN_DPI fixes one floor for every page instead (0: always the scan's own).
"""

import os
from typing import NamedTuple

import numpy as np

from .boxfinder import Outlines, erase_boxes, find_boxes, ink_outlines
from .scanimage import (
    clean_scan,
    has_ink,
    render_for_ocr,
    scan_dpi,
    skew_angle,
    table_rules,
    turn_matrix,
    without_rules,
    without_specks,
)
from .tesseract import ink_frame, parse_tsv, tesseract_tsv
from .text import Word, group_lines, squash

FORM_DPI = 300  # what a form page is OCRed at (the small print needs it)
# A scan coarser than this is OCRed once, at FORM_DPI: at 150 dpi the first pass misses
# the form phrases on noisy pages (so they never got the form pass), and prose reads
# better enlarged too.
LOW_DPI = 200
_FLOOR = os.environ.get("RATSDATEN_OCR_MIN_DPI")  # set: one floor for all pages, no 2nd pass
OCR_DPI: int | None = int(_FLOOR) if _FLOOR else None
# change when OCRed words would come out better (not for work that only makes them
# cheaper, as reading only the inked part of a page: an archive's pages read again for
# the same accuracy would cost more than the change saves)
OCR_VERSION = (f"tesseract-tsv-7-{OCR_DPI}" if OCR_DPI is not None
               else "tesseract-tsv-7-per-page")
# Cover-sheet phrases of the Leipzig form; the extract stage adds every profile's
# form_markers() (add_form_markers).
LEIPZIG_FORM_MARKERS = ("Finanzielle Auswirkungen", "Beratungsfolge",
                        "Auswirkungen auf den Stellenplan",
                        "Klimawirkung", "Anlass der Vorlage", "Beschlussvorschlag",
                        "Eingereicht von")
_FORM_PHRASES = {m.lower() for m in LEIPZIG_FORM_MARKERS}
LABEL_TAIL = 3  # words a label may have after a form phrase that starts it
MIN_CHECKBOXES = 3  # this many box-like squares on a page make it a form
MIN_TEXT_CHARS = 20    # fewer characters than this on a page with ink: treat as a scan
# A prose page turned this little is read as scanned: on 19 generated pages it read as
# well as deskewed (3 vs 2 wrong words up to 0.6 degrees; 9 vs 4 up to 1.0)
AS_SCANNED_DEGREES = 0.6
MIN_INK_READ = 0.95  # share of such a page's ink inside the words read, else read again


class PageImages(NamedTuple):
    """A page made ready for OCR: `gray` deskewed and median-filtered (what the checkbox
    reader looks at), `text` what Tesseract reads, the form check's square count, and the
    turn that brings words read from `text` into `gray`'s frame (a prose page is read as
    scanned: tesseract_input)."""
    gray: np.ndarray
    text: np.ndarray
    scale: float
    angle: float
    squares: int
    text_turn: float = 0.0


def needs_ocr(page, text: str) -> bool:
    return len(text.strip()) < MIN_TEXT_CHARS and has_ink(page)


def ocr_dpi(page) -> float:
    """The first pass's resolution: the scan's own, FORM_DPI for a scan coarser than
    LOW_DPI, or not below a fixed floor if set."""
    if OCR_DPI is not None:
        return max(scan_dpi(page), OCR_DPI)
    dpi = scan_dpi(page)
    return float(FORM_DPI) if dpi < LOW_DPI else dpi  # one pass, enlarged: see LOW_DPI


def add_form_markers(markers) -> None:
    """The extract stage registers its profiles' cover-sheet phrases (this layer knows none
    of the profiles)."""
    _FORM_PHRASES.update(m.lower() for m in markers)


def form_markers() -> tuple[str, ...]:
    return tuple(sorted(_FORM_PHRASES))


def names_a_form(words: list[Word]) -> bool:
    """A form phrase stands on the page as a form prints it: in cells of its own (a heading,
    a label) – from a cell's start to a cell's end, across the cells of a line and the lines
    below, or down the first cells of lines (a wrapped label with its options beside its
    first line). Prose that mentions a `Beschlussvorschlag` runs on after it: such a page is
    not read twice (a page of cover-sheet text set as prose named a form on 9 of 10 pages,
    by its cells on none; the form pages of 55 scanned tuning papers all still do but two
    goals pages, whose fields read the same either way)."""
    lines = _cells(words)
    streams = [_flat([cell for line in lines for cell in line]),
               _flat([line[0] for line in lines])]
    markers = {tuple(squash(w) for w in m.split()) for m in form_markers()}
    return any(_in_cells(*stream, marker) for stream in streams for marker in markers)


def _flat(cells: list[list[str]]) -> tuple[list[str], list[int], list[int]]:
    """A stream of cells as its words, where each cell starts, and where the cell of each
    word ends."""
    tokens: list[str] = []
    starts, cell_end = [], []
    for cell in cells:
        starts.append(len(tokens))
        tokens.extend(cell)
        cell_end.extend([len(tokens)] * len(cell))
    return tokens, starts, cell_end


def _in_cells(tokens: list[str], starts: list[int], cell_end: list[int],
              marker: tuple[str, ...]) -> bool:
    """The marker starts a cell and ends one, or leaves at most LABEL_TAIL words of it
    ('Gesamtkosten der' / 'Maßnahme')."""
    size = len(marker)
    return any(tuple(tokens[i:i + size]) == marker and cell_end[i + size - 1] - (i + size)
               <= LABEL_TAIL for i in starts)


def _cells(words: list[Word]) -> list[list[list[str]]]:
    """The page's lines, each as its cells (split where a gap is wider than 2.5 word
    spaces), each as its words, letters and digits only. Word spaces are the gaps
    narrower than a word is high (a line of a label and its options may have none)."""
    lines = group_lines(words)
    gaps = [b.x0 - a.x1 for line in lines for a, b in zip(line, line[1:], strict=False)]
    height = float(np.median([w.bottom - w.top for w in words])) if words else 10.0
    spaces = [g for g in gaps if g < height]
    column = max(8.0, 2.5 * float(np.median(spaces)) if spaces else height)
    cells = []
    for line in lines:
        found: list[list[str]] = []
        previous = None
        for word in line:
            if not (text := squash(word.text)):
                continue
            if previous is None or word.x0 - previous.x1 > column:
                found.append([])
            found[-1].append(text)
            previous = word
        if found:
            cells.append(found)
    return cells


def checkbox_count(gray: np.ndarray, scale: float, outlines: Outlines | None = None) -> int:
    """Square outlines of a checkbox's size (6-16 pt a side) in the cleaned page."""
    import cv2

    contours = (outlines if outlines is not None else ink_outlines(gray)).contours
    low, high, count = 6 * scale, 16 * scale, 0
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (low <= w <= high and low <= h <= high and 0.8 <= w / h <= 1.25):
            continue
        if cv2.contourArea(contour) >= 0.85 * w * h and len(
                cv2.approxPolyDP(contour, 0.08 * cv2.arcLength(contour, True), True)) == 4:
            count += 1
    return count


def second_pass_possible(dpi: float) -> bool:
    return OCR_DPI is None and dpi < FORM_DPI


def needs_form_dpi(words: list[Word], squares: int, dpi: float) -> bool:
    if not second_pass_possible(dpi):
        return False
    return names_a_form(words) or squares >= MIN_CHECKBOXES


def page_image(page, dpi: float, angle: float) -> tuple[np.ndarray, float]:
    """The cleaned page image OCR reads, and its scale from points to pixels."""
    gray, scale = render_for_ocr(page, dpi)
    return clean_scan(gray, angle), scale


def ocr_words(page, page_number: int, lang: str = "deu") -> tuple[list[Word], np.ndarray, float,
                                                                   dict]:
    """Words with boxes in PDF points of the cleaned page image, the image itself, its
    scale and how it was made ({"dpi", "angle", "passes"}: page_image remakes it)."""
    dpi = ocr_dpi(page)
    return form_pass(page, page_number, lang, _read_at(page, page_number, dpi, lang), dpi)


def _read_at(page, page_number: int, dpi: float, lang: str) -> tuple[list[Word], PageImages]:
    images = tesseract_input(page, dpi)
    return settled(read_words(images, page_number, lang), images, page_number, lang)


def read_words(images: PageImages, page_number: int, lang: str) -> list[Word]:
    """Tesseract's words of the page's ink (ink_frame), in points on the whole page."""
    part, origin = ink_frame(images.text, images.scale)
    return parse_tsv(tesseract_tsv(part, images.scale * 72, lang), images.scale, page_number,
                     origin=origin)


def settled(words: list[Word], images: PageImages, page_number: int, lang: str
            ) -> tuple[list[Word], PageImages]:
    """The words of a page read as scanned, turned into the deskewed frame; if they leave
    ink unread, the page read again deskewed (Tesseract's layout analysis can drop whole
    blocks of a turned page: 14 % and 92 % of two pages' text at 1.6 and 2.3 degrees)."""
    if not images.text_turn:
        return words, images
    if ink_read(words, images.text, images.scale) >= MIN_INK_READ:
        return in_page_frame(words, images), images
    images = images._replace(text=without_specks(images.gray, images.scale), text_turn=0.0)
    return read_words(images, page_number, lang), images


def ink_read(words: list[Word], image: np.ndarray, scale: float) -> float:
    """The share of the image's ink that lies inside (or 2 px around) the words' boxes."""
    import cv2

    ink = cv2.threshold(image, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    inside = np.zeros(ink.shape, bool)
    for word in words:
        inside[max(0, int(word.top * scale) - 2):int(word.bottom * scale) + 3,
               max(0, int(word.x0 * scale) - 2):int(word.x1 * scale) + 3] = True
    return float(ink[inside].sum()) / max(1, int(ink.sum()))


def form_pass(page, page_number: int, lang: str, first: tuple[list[Word], PageImages],
              dpi: float) -> tuple[list[Word], np.ndarray, float, dict]:
    """The first pass's words, or a form page's words OCRed again at FORM_DPI."""
    words, images = first
    passes = 1
    if needs_form_dpi(words, images.squares, dpi):
        dpi, passes = max(dpi, FORM_DPI), 2
        words, images = _read_at(page, page_number, dpi, lang)
    return words, images.gray, images.scale, {"dpi": dpi, "angle": images.angle,
                                              "passes": passes}


def tesseract_input(page, dpi: float) -> PageImages:
    """The page deskewed and median-filtered (for the checkbox reader), and that with its
    rules, boxes and specks painted out for Tesseract. The box finder and the form check
    share one outline search. A page without boxes or rules that a form would be OCRed
    again (second_pass_possible), turned by at most AS_SCANNED_DEGREES, is read as scanned,
    only median-filtered and despeckled: Tesseract reads a turned copy 3-4 % dearer for
    the same characters (BENCHMARKS 9g). Its words are checked and turned afterwards
    (settled)."""
    import cv2

    scan, scale = render_for_ocr(page, dpi)
    angle = skew_angle(scan)
    gray = clean_scan(scan, angle)
    outlines = ink_outlines(gray)
    boxes = find_boxes(gray, scale, outlines)
    rules = table_rules(outlines.ink, scale)
    squares = checkbox_count(gray, scale, outlines) if dpi < FORM_DPI else 0
    if (0 < abs(angle) <= AS_SCANNED_DEGREES and not boxes and rules is None
            and second_pass_possible(dpi)):
        text = without_specks(cv2.medianBlur(scan, 3), scale)
        return PageImages(gray, text, scale, angle, squares, angle)
    text = without_specks(erase_boxes(without_rules(gray, rules), boxes), scale)
    return PageImages(gray, text, scale, angle, squares)


def in_page_frame(words: list[Word], images: PageImages) -> list[Word]:
    """Words read from a page as scanned, moved into the deskewed frame of `images.gray`:
    each box's centre turned as clean_scan turns the pixels, its height less what the
    slant added."""
    if not images.text_turn:
        return words
    turn = turn_matrix(images.gray.shape, images.text_turn)
    matrix = np.hstack([turn[:, :2], turn[:, 2:] / images.scale])  # the same turn in points
    # a word's box on a turned line is taller by up to its width times the slant; on
    # real words (not all letters reach up and down) 0.3-0.9 of that, measured
    slant = 0.6 * abs(np.sin(np.radians(images.text_turn)))
    moved = []
    for word in words:
        across, down = word.x1 - word.x0, word.bottom - word.top
        x, y = matrix @ ((word.x0 + word.x1) / 2, (word.top + word.bottom) / 2, 1.0)
        half_w, half_h = across / 2, max(down - across * slant, down / 2) / 2
        moved.append(Word(word.text, round(x - half_w, 2), round(y - half_h, 2),
                          round(x + half_w, 2), round(y + half_h, 2), word.page))
    return moved


