"""Reading a checkbox next to a label, whichever way the box and its tick are drawn.

Methods, tried in this order: an AcroForm widget's value (`widget`), a tick or
box character in the text layer (`text` for a letter X, `glyph` for symbols and
Wingdings/ZapfDingbats codes), strokes drawn inside a square (`vector`), and
ink inside a square on the rendered page (`raster`, also for scans).
"""

from dataclasses import dataclass

import numpy as np

from .boxfinder import BOX_MAX, faint_glyph_boxes, ink_outlines, outlined, split_stack
from .text import Word

TICK_LETTERS = {"X", "x"}
TICK_GLYPHS = set("☒☑✓✔✗✘■⊠⌧🗷🗹") | {"\uf078", "\uf0fb", "\uf0fc", "\uf0fd", "\uf0fe", "\uf06e"}
EMPTY_GLYPHS = set("☐❏❐❑❒□") | {"\uf06f", "\uf0a8", "\uf071", "\uf072", "\uf0a1"}
SEARCH_LEFT = 24.0   # how far left of its label a box may sit, in points
BOX_MIN = 4.5
RASTER_DPI = 200
INK_TICKED = 0.10
RASTER_REACH = 4.0  # points looked at above and below a region, for boxes its edge cuts
RASTER_BOX_MIN = 5.0  # points: smaller closed shapes on a scan are letters


@dataclass
class Checkbox:
    state: bool | None          # True ticked, False empty, None no box found
    bbox: list[float]           # [x0, y0, x1, y1], points, origin top left
    method: str
    confidence: float


def region_left_of(label: Word, reach: float = SEARCH_LEFT,
                   pad: float | None = None) -> tuple[float, float, float, float]:
    """Where the label's box may be: left of it, not reaching into the lines around it."""
    pad = label.height * 0.35 + 1.0 if pad is None else pad
    return (label.x0 - reach, label.top - pad, label.x0 + 0.5, label.bottom + pad)


def _inside(box, region, tolerance=0.5) -> bool:
    return (box[0] >= region[0] - tolerance and box[2] <= region[2] + tolerance
            and box[1] >= region[1] - tolerance and box[3] <= region[3] + tolerance)


def _overlaps(box, region) -> bool:
    return box[0] < region[2] and box[2] > region[0] and box[1] < region[3] and box[3] > region[1]


def from_widgets(widgets: list[tuple[list[float], bool]], region) -> Checkbox | None:
    """The widget in the region whose centre is nearest the label's middle."""
    middle = (region[1] + region[3]) / 2
    near = [(rect, checked) for rect, checked in widgets if _overlaps(rect, region)]
    if not near:
        return None
    rect, checked = min(near, key=lambda w: (abs((w[0][1] + w[0][3]) / 2 - middle), -w[0][2]))
    return Checkbox(checked, [round(v, 1) for v in rect], "widget", 0.99)


def from_text(words: list[Word], label: Word, region) -> Checkbox | None:
    """A tick letter or symbol, or an empty-box symbol, just left of the label."""
    candidates = [w for w in words if w is not label and _overlaps(w.bbox, region)
                  and w.x1 <= label.x0 + 1.0 and len(w.text) <= 2
                  and label.top - 2.5 <= w.mid_y <= label.bottom + 2.5]  # not the line above
    # A tick may be drawn over an empty box glyph, so any tick wins over a box.
    for word in sorted(candidates, key=lambda w: -w.x1):
        if set(word.text) & TICK_GLYPHS:
            return Checkbox(True, word.bbox, "glyph", 0.98)
        if word.text[-1] in TICK_LETTERS:
            return Checkbox(True, word.bbox, "text", 0.97)
    for word in sorted(candidates, key=lambda w: -w.x1):
        if word.text[-1] in EMPTY_GLYPHS:
            return Checkbox(False, word.bbox, "glyph", 0.95)
    return None


def from_vectors(paths: list[list[float]], region) -> Checkbox | None:
    """A drawn square in the region; ticked when other strokes lie inside it."""
    squares = [p for p in paths if _inside(p, region, 2.0) and _is_square(p)]
    if not squares:
        return None
    square = max(squares, key=lambda p: p[2])  # the box closest to the label
    inner = [p for p in paths if p is not square and _inside(p, square, 0.8)
             and (p[2] - p[0]) + (p[3] - p[1]) > 2.0]
    return Checkbox(bool(inner), [round(v, 1) for v in square], "vector", 0.95 if inner else 0.9)


def _is_square(box) -> bool:
    width, height = box[2] - box[0], box[3] - box[1]
    return (BOX_MIN <= width <= BOX_MAX and BOX_MIN <= height <= BOX_MAX
            and abs(width - height) < 2.5)


def from_raster(gray: np.ndarray, scale: float, region) -> Checkbox | None:
    """Find a square outline in the rendered region and measure the ink inside it.

    The region may reach into neighbouring lines (scans are skewed); the square
    whose centre is nearest the region's middle row wins.
    """
    import cv2

    x0, y0, x1, y1 = (int(round(v * scale)) for v in region)
    x0, y0 = max(x0, 0), max(y0, 0)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    if crop.min() > 160:  # nothing dark in the region at all
        return None
    # Whole boxes only: a box the region's edge cuts through is no square any more.
    reach = int(round(RASTER_REACH * scale))
    top = max(y0 - reach, 0)
    crop = cv2.medianBlur(gray[top:y1 + reach, x0:x1], 3)  # scanner speckle is not ink
    ink, contours, _level = ink_outlines(crop)
    middle = (y0 + y1) / 2 - top
    squares = [part for c in contours for part in split_stack(ink, cv2.boundingRect(c))]
    squares = [s for s in squares if _is_square([0, 0, s[2] / scale, s[3] / scale])
               and min(s[2], s[3]) / scale >= RASTER_BOX_MIN  # not a letter 'o'
               and abs(s[1] + s[3] / 2 - middle) <= (y1 - y0) * 0.3 + 2 * scale
               and outlined(ink, s)]
    if not squares:  # a small glyph box whose thin outline the threshold lost
        squares = [s for s in faint_glyph_boxes(gray[top:y1 + reach, x0:x1], ink, scale)
                   if abs(s[1] + s[3] / 2 - middle) <= (y1 - y0) * 0.3 + 2 * scale]
    if not squares:
        return None
    bx, by, bw, bh = min(squares, key=lambda s: (round(abs(s[1] + s[3] / 2 - middle) / 4), -s[0]))
    bbox = [(x0 + bx) / scale, (top + by) / scale, (x0 + bx + bw) / scale, (top + by + bh) / scale]
    return _middle_ink(ink[by:by + bh, bx:bx + bw], bbox)


def _middle_ink(box_ink: np.ndarray, bbox: list[float]) -> Checkbox:
    """The state from the middle of the box only: drop shadows and thick borders stay out,
    a tick crosses the middle."""
    height, width = box_ink.shape
    mx, my = max(2, int(width * 0.3)), max(2, int(height * 0.3))
    inner = box_ink[my:height - my, mx:width - mx]
    share = float((inner > 0).mean()) if inner.size else 0.0
    confidence = min(0.99, 0.6 + abs(share - INK_TICKED) * 3)
    return Checkbox(share > INK_TICKED, [round(v, 1) for v in bbox], "raster",
                    round(confidence, 3))


def read_checkbox_right(page_view, label: Word) -> Checkbox:
    """For forms that print the label first ('Ja ☒ Nein ☐'): the box right of the label."""
    mirrored = Word(label.text, label.x1 + SEARCH_LEFT, label.top, label.x1 + SEARCH_LEFT + 1,
                    label.bottom, label.page)
    return read_checkbox(page_view, mirrored)


def read_checkbox(page_view, label: Word) -> Checkbox:
    """The box for `label` on a page (see PageView) and its state."""
    region = region_left_of(label)
    for attempt in (lambda: from_widgets(page_view.widgets(), region),
                    lambda: None if page_view.is_ocr else from_text(page_view.words, label, region),
                    lambda: None if page_view.is_ocr else from_vectors(page_view.paths(), region),
                    lambda: _raster(page_view, label)):
        found = attempt()
        if found is not None:
            return found
    return Checkbox(None, [round(v, 1) for v in region], "raster", 0.3)


def _raster(page_view, label: Word) -> Checkbox | None:
    gray, scale = page_view.raster()
    region = region_left_of(label, pad=label.height)
    found = from_raster(gray, scale, region)
    if page_view.is_ocr:
        page_wide = from_found(gray, scale, region, page_view.boxes())
        return _region_or_page_wide(found, page_wide, page_view.boxes(), scale, label)
    if found is None:
        return found
    # On a page with a text layer a "square" under a letter is not a box.
    if any(_overlaps(w.bbox, found.bbox) for w in page_view.words if w is not label):
        return None
    return found


def _region_or_page_wide(found: Checkbox | None, page_wide: Checkbox | None, boxes,
                         scale: float, label: Word) -> Checkbox | None:
    """The region's own box, or the page-wide search's box in the region when the region's
    box is none the page-wide search found (a closed letter the region's threshold took for
    a box: tuning scan 8771-032, the 'a' of a 'ja' OCR lost, read ticked right of 'wenn')
    or when the page-wide box sits clearly nearer the label's middle (the region's
    threshold lost a faint glyph box and kept the next line's ticked one: 8771-013)."""
    if found is None or page_wide is None:
        return found or page_wide
    x0, y0, x1, y1 = (v * scale for v in found.bbox)
    if not any(min(x1, b[0] + b[2]) - max(x0, b[0]) > 0.5 * (x1 - x0)
               and min(y1, b[1] + b[3]) - max(y0, b[1]) > 0.5 * (y1 - y0) for b in boxes):
        return page_wide

    def off(box: Checkbox) -> float:
        return abs((box.bbox[1] + box.bbox[3]) / 2 - label.mid_y)

    return page_wide if off(page_wide) < off(found) - 0.4 * label.height else found


def trim_to_label(word: Word, label: str) -> Word | None:
    """The part of `word` that is `label`: OCR often glues the box to it ('Onein')."""
    text = word.text.rstrip(".,:;")
    if text == label:
        return word
    if text.endswith(label) and 0 < len(text) - len(label) <= 3:
        width = (word.x1 - word.x0) * len(label) / max(len(word.text), 1)
        return Word(label, word.x1 - width, word.top, word.x1, word.bottom, word.page)
    return None


def read_checkbox_in(page_view, region) -> Checkbox:
    """The box inside `region` (a grid cell: no label beside it) and its state."""
    words = [] if page_view.is_ocr else [w for w in page_view.words if _overlaps(w.bbox, region)]
    marks = [w for w in words if len(w.text) <= 2]
    for attempt in (lambda: from_widgets(page_view.widgets(), region),
                    lambda: _text_mark(marks),
                    lambda: None if page_view.is_ocr else from_vectors(page_view.paths(), region),
                    lambda: _raster_in(page_view, region)):
        found = attempt()
        if found is not None:
            if found.method == "raster" and any(len(w.text) > 2 for w in words):
                continue  # a "square" under a word is a letter, not a box
            return found
    return Checkbox(None, [round(v, 1) for v in region], "raster", 0.3)


def _raster_in(page_view, region) -> Checkbox | None:
    gray, scale = page_view.raster()
    found = from_raster(gray, scale, region)
    if found is None and page_view.is_ocr:
        return from_found(gray, scale, region, page_view.boxes())
    return found


def from_found(gray: np.ndarray, scale: float, region, boxes) -> Checkbox | None:
    """A box the page-wide search found (find_boxes) in the region, when the region's own
    threshold lost it (a small glyph box on a coarse scan: the region's words set the
    level); its state from the middle of the box, thresholded on the box alone."""
    import cv2

    middle = (region[1] + region[3]) / 2 * scale
    inside = [b for b in boxes if _inside([v / scale for v in (b[0], b[1], b[0] + b[2],
                                                               b[1] + b[3])], region, 1.0)
              and abs(b[1] + b[3] / 2 - middle) <= (region[3] - region[1]) * 0.3 * scale
              + 2 * scale]
    if not inside:
        return None
    x, y, w, h = min(inside, key=lambda b: (round(abs(b[1] + b[3] / 2 - middle) / 4), -b[0]))
    ink = cv2.threshold(gray[y:y + h, x:x + w], 0, 255,
                        cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    return _middle_ink(ink, [v / scale for v in (x, y, x + w, y + h)])


def _text_mark(marks: list[Word]) -> Checkbox | None:
    for word in marks:
        if set(word.text) & TICK_GLYPHS:
            return Checkbox(True, word.bbox, "glyph", 0.98)
        if word.text[-1] in TICK_LETTERS:
            return Checkbox(True, word.bbox, "text", 0.97)
    for word in marks:
        if word.text[-1] in EMPTY_GLYPHS:
            return Checkbox(False, word.bbox, "glyph", 0.95)
    return None
