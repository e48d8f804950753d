"""Reading a checkbox next to a label, whichever way the box and its tick are drawn.

Methods, tried in this order: an AcroForm widget's value (`widget`), a tick or
box character in the text layer (`text` for a letter X, `glyph` for symbols and
Wingdings/ZapfDingbats codes), strokes drawn inside a square (`vector`), and
ink inside a square on the rendered page (`raster`, also for scans).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .text import Word

TICK_LETTERS = {"X", "x"}
TICK_GLYPHS = set("☒☑✓✔✗✘■⊠⌧🗷🗹") | {"\uf078", "\uf0fb", "\uf0fc", "\uf0fd", "\uf0fe", "\uf06e"}
EMPTY_GLYPHS = set("☐❏❐❑❒□") | {"\uf06f", "\uf0a8", "\uf071", "\uf072", "\uf0a1"}
SEARCH_LEFT = 24.0   # how far left of its label a box may sit, in points
BOX_MIN, BOX_MAX = 4.5, 16.0
RASTER_DPI = 200
INK_TICKED = 0.10
RASTER_REACH = 4.0  # points looked at above and below a region, for boxes its edge cuts
RASTER_BOX_MIN = 5.0  # points: smaller closed shapes on a scan are letters
FIND_BOX_MIN = 5.0  # points: the smallest box find_boxes paints out before OCR
GLYPH_BOX_MIN, GLYPH_BOX_MAX = 4.0, 9.0  # points: a shadowed glyph box on a light threshold
FILLED_BOX_MIN = 6.0  # points: a ticked box filled with ink (bold letters blur to blobs)
ISOLATION = 1.5  # points of white beside a box (letters sit closer to their neighbours)
SPECK_ROWS = 0.2  # share of a box's rows that specks beside it may darken


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
    _threshold, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    middle = (y0 + y1) / 2 - top
    squares = [part for c in contours for part in split_stack(ink, cv2.boundingRect(c))]
    squares = [s for s in squares if _is_square([0, 0, s[2] / scale, s[3] / scale])
               and min(s[2], s[3]) / scale >= RASTER_BOX_MIN  # not a letter 'o'
               and abs(s[1] + s[3] / 2 - middle) <= (y1 - y0) * 0.3 + 2 * scale
               and _outlined(ink, s)]
    if not squares:  # a small glyph box whose thin outline the threshold lost
        squares = [s for s in _faint_glyph_boxes(gray[top:y1 + reach, x0:x1], ink, scale)
                   if abs(s[1] + s[3] / 2 - middle) <= (y1 - y0) * 0.3 + 2 * scale]
    if not squares:
        return None
    bx, by, bw, bh = min(squares, key=lambda s: (round(abs(s[1] + s[3] / 2 - middle) / 4), -s[0]))
    # The middle of the box only: drop shadows and thick borders; a tick crosses the middle.
    mx, my = max(2, int(bw * 0.3)), max(2, int(bh * 0.3))
    inner = ink[by + my: by + bh - my, bx + mx: bx + bw - mx]
    share = float((inner > 0).mean()) if inner.size else 0.0
    ticked = share > INK_TICKED
    confidence = min(0.99, 0.6 + abs(share - INK_TICKED) * 3)
    bbox = [(x0 + bx) / scale, (top + by) / scale, (x0 + bx + bw) / scale, (top + by + bh) / scale]
    return Checkbox(ticked, [round(v, 1) for v in bbox], "raster", round(confidence, 3))


def ink_outlines(gray: np.ndarray) -> tuple[np.ndarray, Sequence]:
    """The page's ink (Otsu) and the outlines of its shapes: the box finder and the OCR's
    form check look at the same ones."""
    import cv2

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    return ink, cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0]


def find_boxes(gray: np.ndarray, scale: float, outlines: tuple | None = None
               ) -> list[tuple[int, int, int, int]]:
    """Checkbox squares on a page image, as pixel rectangles (x, y, w, h), before OCR:
    a closed outline of 5-16 pt with ink in all four corners and along its sides (letters
    such as 'o', 'n', 'D' fail one of these). Precision over recall: a box missed stays
    in the image as before, a letter taken for a box would be lost to OCR."""
    import cv2

    ink, contours = outlines if outlines is not None else ink_outlines(gray)
    low, high = FIND_BOX_MIN * scale, BOX_MAX * scale
    found = []
    for contour in contours:
        rect = cv2.boundingRect(contour)
        if not low <= min(rect[2], rect[3]) <= high:
            continue  # the parts of a stack keep its short side: none of them is a box
        for x, y, w, h in split_stack(ink, rect):
            if low <= w <= high and low <= h <= high and 0.75 <= w / h <= 1.33 and _isolated(
                    ink, (x, y, w, h), scale) and (_box_shaped(ink, (x, y, w, h), scale)
                                                   or _shadowed_box(ink, (x, y, w, h), scale)):
                found.append((x, y, w, h))
    found += _faint_glyph_boxes(gray, ink, scale)
    kept: list[tuple[int, int, int, int]] = []
    for rect in sorted(found, key=lambda r: -r[2] * r[3]):  # the outline, not its hole
        if not any(rect[0] >= k[0] - 1 and rect[1] >= k[1] - 1 and rect[0] + rect[2]
                   <= k[0] + k[2] + 1 and rect[1] + rect[3] <= k[1] + k[3] + 1 for k in kept):
            kept.append(rect)
    return kept


def _faint_glyph_boxes(gray: np.ndarray, ink: np.ndarray, scale: float,
                       level: float | None = None) -> list:
    """Small ZapfDingbats '❏' boxes (4-9 pt) whose thin outline a blurred scan greys out
    (170-210 on white), so the page's threshold keeps only the dark drop shadow, an 'L'
    (OCR reads 'a', '3', 'u', '%'). Looked for on a lighter threshold: a closed square
    there whose right and lower sides are dark in the page's threshold too."""
    import cv2

    if level is None:
        level = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    light = cv2.threshold(gray, min(230.0, (level + 255) / 2), 255, cv2.THRESH_BINARY_INV)[1]
    contours, _ = cv2.findContours(light, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    low, high = GLYPH_BOX_MIN * scale, GLYPH_BOX_MAX * scale
    found = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if low <= w <= high and low <= h <= high and 0.8 <= w / h <= 1.25 and _isolated(
                light, (x, y, w, h), scale) and _glyph_box(light, ink, (x, y, w, h)):
            found.append((x, y, w, h))
    return found


def _glyph_box(light: np.ndarray, ink: np.ndarray, rect) -> bool:
    """Box-shaped on the light threshold (sides, a square corner, closed), with the drop
    shadow along the right and lower side in the dark one - darker there than along the
    left and upper side, where a round letter ('o', '0') is as dark as on the other - and
    offset, so the lower left corner is white (a filled square, a logo's, is not), and the
    thin outline's upper left corner is grey (a filled square's is ink)."""
    x, y, w, h = rect
    faint, dark = light[y:y + h, x:x + w] > 0, ink[y:y + h, x:x + w] > 0
    band = max(2, int(round(min(w, h) * 0.2)))
    shadow = (dark[:, -band:].any(1).mean(), dark[-band:].any(0).mean())
    heavier = (dark[:, -band:].sum() >= 1.5 * dark[:, :band].sum()  # a tick's cross
               and dark[-band:].sum() >= dark[:band].sum())  # may darken the upper side
    left, top = int(np.argmax(faint.mean(0) >= 0.7)), int(np.argmax(faint.mean(1) >= 0.7))
    upper = np.asarray(faint[top:top + band].any(axis=0))
    side = np.asarray(faint[:, left:left + band].any(axis=1))
    outline = (upper[:int(w * 0.8)].mean(), side[:int(h * 0.8)].mean())  # from the box's
    # top side, not from the rectangle's: a tick's cross sticks out above
    corner = faint[top:top + 3, left:left + 3].mean()  # blur rounds a corner
    tip = max(1, band // 2)
    notch = not faint[-tip:, :tip].any()  # the shadow is offset: lower left stays white
    thin = dark[:band, :band].mean() <= 0.5  # the outline's upper left is grey, not ink
    hollow = (~dark[band:-band, band:-band]).mean() >= 0.08  # white inside, beside a tick
    return (min(shadow) >= 0.7 and heavier and notch and thin and hollow
            and min(outline) >= 0.8
            and corner >= 0.3
            and _closed_share(light, (x, y + top, w, h - top)) >= 0.8)  # not a tick above


def _shadowed_box(ink: np.ndarray, rect, scale: float) -> bool:
    """A box with a drop shadow (ZapfDingbats '❏', 5-6 pt): the shadow along its right and
    lower side leaves the corners of the whole shape empty, but the box itself - as wide
    as its top side, as high as its left side - is box-shaped."""
    x, y, w, h = rect
    box = ink[y:y + h, x:x + w] > 0
    band = max(2, int(round(min(w, h) * 0.15)))
    columns, rows = np.flatnonzero(box[:band].any(0)), np.flatnonzero(box[:, :band].any(1))
    if not len(columns) or not len(rows):
        return False
    inner = (x, y, int(columns[-1]) + 1, int(rows[-1]) + 1)
    return (inner[2] < 0.93 * w and inner[3] < 0.93 * h
            and min(inner[2], inner[3]) >= FIND_BOX_MIN * scale * 0.8
            and _box_shaped(ink, inner, scale))


def split_stack(ink: np.ndarray, rect) -> list[tuple[int, int, int, int]]:
    """A rectangle at least 1.35 times as long as wide, cut at its cross rules into the
    boxes between them: on a coarse or blurred scan the boxes of rows set one below the
    other (or side by side) merge into one outline, which is no square. A cross rule is a
    line of the mask inked over 3/4 of the width (a tick crosses less). Any other rectangle
    comes back as it is."""
    x, y, w, h = rect
    if max(w, h) < 1.35 * min(w, h):
        return [rect]
    mask = ink[y:y + h, x:x + w] > 0
    cover = mask.mean(axis=1) if h > w else mask.mean(axis=0)
    edge = ink.shape[0] if h > w else ink.shape[1]
    if (y if h > w else x) > 0:  # an outline's ends are rules too, unless the image cuts it
        cover[0] = 1.0
    if (y + h if h > w else x + w) < edge:
        cover[-1] = 1.0
    rules = np.flatnonzero(cover >= 0.75)
    if len(rules) < 3:
        return [rect]
    bands, start = [], rules[0]  # runs of rule lines: (first, last)
    for previous, current in pairwise(rules):
        if current > previous + 1:
            bands.append((start, previous))
            start = current
    bands.append((start, rules[-1]))
    parts = [(int(a[0]), int(b[1]) + 1) for a, b in pairwise(bands)]
    if not parts:
        return [rect]
    if h > w:
        return [(x, y + first, w, end - first) for first, end in parts]
    return [(x + first, y, end - first, h) for first, end in parts]


def _box_shaped(ink: np.ndarray, rect, scale: float) -> bool:
    x, y, w, h = rect
    box = ink[y:y + h, x:x + w] > 0
    if box.mean() > 0.6 and min(w, h) < FILLED_BOX_MIN * scale:
        return False  # a blob this small is a bold letter blurred shut, not a ticked box
    band = max(2, int(round(min(w, h) * 0.15)))
    corners = (box[:band, :band], box[:band, -band:], box[-band:, :band], box[-band:, -band:])
    inked = sum(corner.any() for corner in corners)
    if inked < 3 or inked == 3 and box.mean() <= 0.6:  # a box ticked by an overprinted
        return False  # glyph ('❏' and 'X') is a blob whose shadowed corner may stay white
    sides = sorted((box[:band].any(0).mean(), box[-band:].any(0).mean(),
                    box[:, :band].any(1).mean(), box[:, -band:].any(1).mean()))
    return sides[0] >= 0.5 and sides[1] >= 0.8 and _closed_share(ink, rect) >= 0.85


def _isolated(ink: np.ndarray, rect, scale: float) -> bool:
    """No ink within 1.5 pt left or right of it: a box stands apart from its option's word
    (forms leave a space), a letter ('B', 'O') touches its neighbours at letter spacing
    over much of its height, a scanner's speck beside a box only over a few rows."""
    x, y, w, h = rect
    reach = max(2, int(round(ISOLATION * scale)))
    rows = ink[y + 1:y + h - 1]
    left, right = rows[:, max(0, x - reach):x], rows[:, x + w:x + w + reach]
    most = max(2, int(h * SPECK_ROWS))
    return int((left > 0).any(1).sum()) <= most and int((right > 0).any(1).sum()) <= most


def _closed_share(ink: np.ndarray, rect) -> float:
    """Share of the rectangle not reachable from outside: about 1 for a closed outline
    (gaps of a pixel or two closed first), low for a letter open at a side ('n', 'u')."""
    import cv2

    x, y, w, h = rect
    crop = np.zeros((h + 4, w + 4), np.uint8)
    crop[2:-2, 2:-2] = ink[y:y + h, x:x + w]
    crop = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    cv2.floodFill(crop, np.zeros((h + 6, w + 6), np.uint8), (0, 0), 128)
    return float((crop[2:-2, 2:-2] != 128).mean())


def erase_boxes(gray: np.ndarray, boxes, margin: float = 0.15) -> np.ndarray:
    """The image with the boxes (and a tick reaching a little beyond them) painted white:
    Tesseract then reads 'ja', not 'Xja', 'nein]' or '&'."""
    if not boxes:
        return gray
    out = gray.copy()
    for x, y, w, h in boxes:
        pad = max(1, int(round(max(w, h) * margin)))
        out[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad] = 255
    return out


def _outlined(ink: np.ndarray, rect) -> bool:
    """A box is drawn as four straight sides: three of four side bands are mostly ink (a
    letter's bounding rectangle is not), allowing for a scan's slight rotation."""
    x, y, w, h = rect
    band = max(2, int(round(min(w, h) * 0.15)))
    box = ink[y:y + h, x:x + w] > 0
    if box.mean() > 0.55:  # a box filled by its tick (blurred scans): no letter is that dark
        return True
    sides = (box[:band, :].any(axis=0), box[-band:, :].any(axis=0),
             box[:, :band].any(axis=1), box[:, -band:].any(axis=1))
    return sum(side.mean() >= 0.6 for side in sides) >= 3


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
    if found is None and page_view.is_ocr:
        return from_found(gray, scale, region, page_view.boxes())
    if found is None or page_view.is_ocr:
        return found
    # On a page with a text layer a "square" under a letter is not a box.
    if any(_overlaps(w.bbox, found.bbox) for w in page_view.words if w is not label):
        return None
    return found


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
    mx, my = max(2, int(w * 0.3)), max(2, int(h * 0.3))
    share = float((ink[my:h - my, mx:w - mx] > 0).mean())
    confidence = min(0.99, 0.6 + abs(share - INK_TICKED) * 3)
    return Checkbox(share > INK_TICKED, [round(v / scale, 1) for v in (x, y, x + w, y + h)],
                    "raster", round(confidence, 3))


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
