"""OCR for pages without a usable text layer: Tesseract (German), once per page at the
scan's own resolution, again at 300 dpi only for a page that carries a form.

The page is rendered at the resolution it was scanned at (the embedded image's dpi),
deskewed and despeckled, its checkbox squares and stray specks painted white (so option
words come out clean; box states are read from the unpainted image), handed to Tesseract
(one page through a pipe; the pages of a page job as files in its temp directory, one
Tesseract process for them: etl/pdf/ocrbatch.py) and read back as TSV, which gives the
words with their boxes; the page text is made from those words. Prose reads as well at a
scan's 200 dpi as at 300, but the small print and boxes of a cover-sheet form may not
(form benchmark on the earlier generator: 97.3 % instead of 99.46 % of fields), so a page
whose first-pass words name a form, or that shows several checkbox-like squares, is OCRed
again at FORM_DPI. A scan coarser than LOW_DPI is read once, at FORM_DPI, from its own
pixels enlarged bicubically and sharpened (render_for_ocr).
RATSDATEN_OCR_MIN_DPI fixes one floor for every page instead (0: always the scan's own).
Tesseract gets one thread (OMP_THREAD_LIMIT=1): parallelism comes from workers.
"""

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pypdfium2.raw as pdfium_c

from .boxfinder import Outlines, erase_boxes, find_boxes, ink_outlines
from .preflight import render_scale
from .text import Word

FORM_DPI = 300  # what a form page is OCRed at (the small print needs it)
# A scan coarser than this is OCRed once, at FORM_DPI: at 150 dpi the first pass misses
# the form phrases on noisy pages (so they never got the form pass), and prose reads
# better enlarged too.
LOW_DPI = 200
_FLOOR = os.environ.get("RATSDATEN_OCR_MIN_DPI")  # set: one floor for all pages, no 2nd pass
OCR_DPI: int | None = int(_FLOOR) if _FLOOR else None
# change when OCRed words would come out differently
OCR_VERSION = (f"tesseract-tsv-7-{OCR_DPI}" if OCR_DPI is not None
               else "tesseract-tsv-7-per-page")
# Cover-sheet phrases of the Leipzig form; the extract stage adds every profile's
# form_markers() (add_form_markers).
LEIPZIG_FORM_MARKERS = ("Finanzielle Auswirkungen", "Beratungsfolge", "Stellenplan",
                        "Klimawirkung", "Anlass der Vorlage", "Beschlussvorschlag",
                        "Eingereicht von")
_FORM_PHRASES = {m.lower() for m in LEIPZIG_FORM_MARKERS}
MIN_CHECKBOXES = 3  # this many box-like squares on a page make it a form
DEFAULT_DPI = 300      # pages without an embedded image (text drawn as outlines)
MIN_DPI, MAX_DPI = 150, 400
SHARPEN = 0.5  # unsharp-mask amount after enlarging a coarse scan
SPECK_PT, SPECK_GAP_PT = 1.2, 4.0  # a speck's largest side; its distance from any letter
MIN_TEXT_CHARS = 20    # fewer characters than this on a page with ink: treat as a scan
INK_FRACTION = 0.0005  # share of dark pixels that makes a page "not blank"
MAX_IMAGE_OBJECTS = 200
# A prose page turned this little is read as scanned: on 19 generated pages it read as
# well as deskewed (3 vs 2 wrong words up to 0.6 degrees; 9 vs 4 up to 1.0)
AS_SCANNED_DEGREES = 0.6
MIN_INK_READ = 0.95  # share of such a page's ink inside the words read, else read again
TESSERACT_SECONDS = 600  # a backstop only: the sandbox's limit ends a job first


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


class OcrFailed(RuntimeError):
    """Tesseract ended without a result; `memory` tells whether it ran out of it."""

    def __init__(self, message: str, memory: bool = False):
        super().__init__(message)
        self.memory = memory


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def render_gray(page, dpi: float) -> tuple[np.ndarray, float]:
    """The page as a grayscale array, and the scale from points to pixels."""
    width, height = page.get_size()
    scale = render_scale(width, height, round(dpi))  # dpi values are whole numbers
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


def scan_dpi(page) -> float:
    """The resolution of the page's largest embedded image as placed on the page, i.e.
    what it was scanned at; rendering finer only interpolates pixels that do not exist."""
    best, best_area = None, 0.0
    for index, obj in enumerate(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,),
                                                 max_depth=2)):
        if index >= MAX_IMAGE_OBJECTS:
            break
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area > best_area:
            meta = obj.get_metadata()
            if meta.horizontal_dpi > 0:
                best, best_area = max(meta.horizontal_dpi, meta.vertical_dpi), area
    if best is None:
        return DEFAULT_DPI
    return float(min(MAX_DPI, max(MIN_DPI, round(best))))


def render_for_ocr(page, dpi: float) -> tuple[np.ndarray, float]:
    """The page at `dpi` for OCR. A page scanned coarser than that is rendered at its own
    resolution, its speckle removed there (a speckle enlarged is a blot no 3x3 median
    removes), enlarged bicubically and sharpened: on 150 dpi scans Tesseract then finds
    95 % of the words instead of 84 % (pdfium's enlargement plus a median at 300 dpi)."""
    import cv2

    native = scan_dpi(page)
    if dpi <= native + 1:
        return render_gray(page, dpi)
    gray, scale = render_gray(page, native)
    width, height = page.get_size()
    factor = render_scale(width, height, round(dpi)) / scale
    if factor <= 1.01:
        return gray, scale
    gray = cv2.resize(despeckle(gray), None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    soft = cv2.GaussianBlur(gray, (0, 0), factor)  # unsharp mask over one scan pixel
    return cv2.addWeighted(gray, 1 + SHARPEN, soft, -SHARPEN, 0), scale * factor


def despeckle(gray: np.ndarray, contrast: int = 20) -> np.ndarray:
    """Single-pixel specks (darker or lighter than all eight neighbours by `contrast`)
    replaced by their 3x3 median; unlike a median over the whole page this keeps the one
    pixel wide strokes of small print at 150 dpi."""
    import cv2

    ring = np.ones((3, 3), np.uint8)
    ring[1, 1] = 0
    darkest, lightest = cv2.erode(gray, ring).astype(np.int16), cv2.dilate(gray, ring)
    value = gray.astype(np.int16)
    speck = (value < darkest - contrast) | (value > lightest.astype(np.int16) + contrast)
    out = gray.copy()
    out[speck] = cv2.medianBlur(gray, 3)[speck]
    return out


def table_rules(gray: np.ndarray, scale: float) -> np.ndarray | None:
    """The pixels of table rules (lines longer than any checkbox side), or None."""
    import cv2

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    length = max(int(20 * scale), 10)  # longer than any checkbox side (about 8 pt)
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    rules = cv2.bitwise_or(cv2.morphologyEx(ink, cv2.MORPH_OPEN, across),
                           cv2.morphologyEx(ink, cv2.MORPH_OPEN, down))
    return rules if rules.any() else None


def without_rules(gray: np.ndarray, rules: np.ndarray | None) -> np.ndarray:
    """Table rules erased (they make Tesseract read cells as garbage); boxes stay."""
    import cv2

    if rules is None:
        return gray
    cleaned = gray.copy()
    cleaned[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return cleaned


def without_specks(gray: np.ndarray, scale: float) -> np.ndarray:
    """Specks far from any letter painted white: blobs under SPECK_PT a side with no larger
    ink within SPECK_GAP_PT (a full stop in Courier stands 3 pt from its digits). A scan's
    speckle (on a JPEG a single pixel smears into a blot no median removes) makes
    Tesseract's page layout take columns of short words ('nein', 'ja') for noise and drop
    them; a full stop or an i's dot sits by its letters."""
    import cv2

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.zeros(count, bool)
    side = SPECK_PT * scale
    small[1:] = (stats[1:, cv2.CC_STAT_WIDTH] <= side) & (stats[1:, cv2.CC_STAT_HEIGHT] <= side)
    if not small[1:].any():
        return gray
    reach = 2 * max(1, int(round(SPECK_GAP_PT * scale))) + 1
    letters = cv2.dilate(((labels > 0) & ~small[labels]).astype(np.uint8),
                         np.ones((reach, reach), np.uint8))
    # a blob any pixel of which is near a letter stays whole (bincount: unique sorts)
    near = np.bincount(labels[letters > 0], minlength=count) > 0
    specks = (small & ~near)[labels]
    cleaned = gray.copy()
    cleaned[cv2.dilate(specks.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return cleaned


def _die_with_parent() -> None:
    from .process import die_with_parent

    die_with_parent()


PAGE_ARGS = ("--psm", "3", "-c", "tessedit_do_invert=0", "tsv")  # no white-on-black text
LINE_ARGS = ("--psm", "7")  # one line of text, plain


def tesseract_tsv(gray: np.ndarray, dpi: float, lang: str = "deu") -> str:
    """Tesseract's TSV for a grayscale image, sent as PGM on stdin (no temp image file)."""
    return _tesseract("stdin", pgm_bytes(gray), dpi, lang)


def tesseract_line(gray: np.ndarray, dpi: float, seconds: float, lang: str = "deu") -> str:
    """Tesseract's plain text for an image of one line."""
    return _tesseract("stdin", pgm_bytes(gray), dpi, lang, LINE_ARGS, seconds)


def tesseract_tsv_files(paths: list[str], dpi: float, lang: str = "deu") -> str:
    """One Tesseract run over several image files (its page_num column tells them apart)."""
    listing = Path(paths[0]).with_name("pages.txt")
    listing.write_text("".join(f"{p}\n" for p in paths))
    return _tesseract(str(listing), None, dpi, lang)


def pgm_bytes(gray: np.ndarray) -> bytes:
    height, width = gray.shape
    return b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(gray).tobytes()


def _tesseract(source: str, data: bytes | None, dpi: float, lang: str,
               args: tuple = PAGE_ARGS, seconds: float = TESSERACT_SECONDS) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            ["tesseract", source, "stdout", "--dpi", str(int(dpi)), "-l", lang, *args],
            input=data, capture_output=True, env=env, timeout=seconds,
            preexec_fn=_die_with_parent)
    except MemoryError:
        raise
    except OSError as exc:
        raise OcrFailed(f"tesseract did not start: {exc}", memory=exc.errno == 12) from None
    if done.returncode != 0:
        memory = done.returncode == -signal.SIGABRT or b"alloc" in done.stderr
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(f"tesseract failed ({done.returncode}): {message[0][:200]}", memory)
    return done.stdout.decode("utf-8", "replace")


JUNK = " |‘’'\"_~-—–.,:;!^`´°"


def parse_tsv(tsv: str, scale: float, page_number: int, image: int = 1) -> list[Word]:
    """Words with boxes in PDF points (origin top left) of the TSV's `image`-th image;
    marks and low-confidence scraps that Tesseract reads from speckle and lines are dropped."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or cells[1] != str(image):
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        core = text.strip(JUNK)
        if not core or confidence < 0 or (confidence < 30 and len(core) < 3):
            continue
        text = text.lstrip(JUNK) or text
        x0, y0, x1, y1 = (round(v / scale, 2) for v in _corners(cells[6:10]))
        words.append(Word(text, x0, y0, x1, y1, page_number))
    return words


def _corners(cells: list[str]) -> tuple[int, int, int, int]:
    left, top, width, height = (int(c) for c in cells)
    return left, top, left + width, top + height


def words_as_rows(words: list[Word]) -> list[list]:
    """Words as plain lists, for the page cache and the pipe (boxes already rounded)."""
    return [[w.text, w.x0, w.top, w.x1, w.bottom] for w in words]


def words_from_rows(rows: list[list], page_number: int) -> list[Word]:
    return [Word(str(r[0]), float(r[1]), float(r[2]), float(r[3]), float(r[4]), page_number)
            for r in rows]


def skew_angle(gray: np.ndarray, max_angle: float = 3.0) -> float:
    """The rotation (degrees) that makes text lines horizontal: the angle whose shear
    packs the ink into the fewest rows, coarse then fine, on a small copy of the page."""
    import cv2

    small = cv2.resize(gray, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(small < 160)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 60_000:  # a sample is as good for the histogram and much cheaper
        pick = np.random.default_rng(0).choice(len(xs), 60_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - small.shape[1] / 2.0

    def packed(angle: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-max_angle, max_angle + 0.01, 0.5), key=packed)
    best = max(np.arange(best - 0.4, best + 0.41, 0.1), key=packed)
    return round(float(best), 2)


def clean_scan(gray: np.ndarray, angle: float) -> np.ndarray:
    """Deskewed and despeckled, as Tesseract and the checkbox reader both want it."""
    import cv2

    if angle:
        centre = (gray.shape[1] / 2, gray.shape[0] / 2)
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        gray = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]),
                              flags=cv2.INTER_CUBIC, borderValue=255)
    return cv2.medianBlur(gray, 3)


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
    text = " ".join(" ".join(w.text for w in words).lower().split())
    return any(marker in text for marker in form_markers())


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
    words = parse_tsv(tesseract_tsv(images.text, images.scale * 72, lang), images.scale,
                      page_number)
    return settled(words, images, page_number, lang)


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
    return parse_tsv(tesseract_tsv(images.text, images.scale * 72, lang), images.scale,
                     page_number), images


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
    rules = table_rules(gray, scale)
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
    import cv2

    if not images.text_turn:
        return words
    height, width = images.gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), images.text_turn, 1.0)
    matrix[:, 2] /= images.scale  # the same turn in points
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



def words_to_text(words: list[Word]) -> str:
    from .text import group_lines

    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))
