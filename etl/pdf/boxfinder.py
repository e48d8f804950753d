"""Checkbox squares on a page image, found from pixels alone: before OCR (so that their
outlines are painted out of what Tesseract reads) and for the raster reader in
checkbox.py when the region's own threshold loses a box."""

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np

BOX_MAX = 16.0  # points: the largest checkbox side
FIND_BOX_MIN = 5.0  # points: the smallest box find_boxes paints out before OCR
GLYPH_BOX_MIN, GLYPH_BOX_MAX = 4.0, 9.0  # points: a shadowed glyph box on a light threshold
FILLED_BOX_MIN = 6.0  # points: a ticked box filled with ink (bold letters blur to blobs)
ISOLATION = 1.5  # points of white beside a box (letters sit closer to their neighbours)
SPECK_ROWS = 0.2  # share of a box's rows that specks beside it may darken


class Outlines(NamedTuple):
    ink: np.ndarray  # the image thresholded at its Otsu level, ink white
    contours: Sequence
    level: float


def ink_outlines(gray: np.ndarray) -> Outlines:
    """The page's ink (Otsu) and the outlines of its shapes: the box finder, its glyph-box
    pass and the OCR's form check look at the same ones."""
    import cv2

    level, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return Outlines(ink, cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0], level)


def find_boxes(gray: np.ndarray, scale: float, outlines: Outlines | None = None
               ) -> list[tuple[int, int, int, int]]:
    """Checkbox squares on a page image, as pixel rectangles (x, y, w, h), before OCR:
    a closed outline of 5-16 pt with ink in all four corners and along its sides (letters
    such as 'o', 'n', 'D' fail one of these). Precision over recall: a box missed stays
    in the image as before, a letter taken for a box would be lost to OCR."""
    import cv2

    outlines = outlines if outlines is not None else ink_outlines(gray)
    ink, contours = outlines.ink, outlines.contours
    low, high = FIND_BOX_MIN * scale, BOX_MAX * scale
    found = []
    for contour in contours:
        rect = cv2.boundingRect(contour)
        if not low <= min(rect[2], rect[3]) <= high:
            continue  # the parts of a stack keep its short side: none of them is a box
        parts = split_stack(ink, rect)
        for x, y, w, h in parts:
            if not (low <= w <= high and low <= h <= high and 0.75 <= w / h <= 1.33):
                continue  # the cheap tests first: most outlines are letters
            if len(parts) > 1 and _letter_stem(ink, rect, (x, y, w, h)):
                continue
            if _isolated(ink, (x, y, w, h), scale) and (
                    _box_shaped(ink, (x, y, w, h), scale)
                    or _shadowed_box(ink, (x, y, w, h), scale)):
                found.append((x, y, w, h))
    found += faint_glyph_boxes(gray, ink, scale, outlines.level)
    kept: list[tuple[int, int, int, int]] = []
    for rect in sorted(found, key=lambda r: -r[2] * r[3]):  # the outline, not its hole
        if not any(rect[0] >= k[0] - 1 and rect[1] >= k[1] - 1 and rect[0] + rect[2]
                   <= k[0] + k[2] + 1 and rect[1] + rect[3] <= k[1] + k[3] + 1 for k in kept):
            kept.append(rect)
    return kept


def faint_glyph_boxes(gray: np.ndarray, ink: np.ndarray, scale: float,
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


def _letter_stem(ink: np.ndarray, rect, part) -> bool:
    """A part of a letter that split_stack cut ('d', 'b', 'p', 'q': a bowl and its stem,
    whose bowl is box-shaped at 5 pt): above or below the part the outline's ink is one
    upright stroke at its left or right side - not a stack's next box, nor a tick, which
    slants - so the part is no box (OCR lost 'wird' to 'wir', 'bzw.' to 'zw.')."""
    x, y, w, h = rect
    mask = ink[y:y + h, x:x + w] > 0
    top, bottom = part[1] - y, part[1] - y + part[3]
    for rest in (mask[:max(0, top - 2)], mask[bottom + 2:]):  # not the rule it was cut at
        rows = rest[rest.any(1)]
        if len(rows) < 0.3 * part[3]:
            continue
        columns = np.flatnonzero(rows.any(0))
        span = int(columns[-1] - columns[0] + 1)
        widest = max(int(np.flatnonzero(r)[-1] - np.flatnonzero(r)[0] + 1) for r in rows)
        if span <= 0.4 * w and span <= widest + 2 and (
                columns[0] >= 0.55 * w or columns[-1] <= 0.45 * w):
            return True
    return False


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
    return (sides[0] >= 0.5 and sides[1] >= 0.8 and _closed_share(ink, rect) >= 0.85
            and not _two_bowls(box))


def _two_bowls(box: np.ndarray) -> bool:
    """A 'B' (or '8'): two holes, one above the other, each about as wide all the way down.
    An empty box has one hole; a cross in a box cuts it into triangles, whose width runs
    down to a point (Helvetica 'B' of 'Bürgerhaushalt' was taken for a box and painted
    out: tuning scans 8761-015, 8764-034)."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (~box).astype(np.uint8), connectivity=4)
    h, w = box.shape
    holes = [n for n in range(1, count) if stats[n, 0] > 0 and stats[n, 1] > 0
             and stats[n, 0] + stats[n, 2] < w and stats[n, 1] + stats[n, 3] < h]
    if len(holes) != 2:
        return False
    upper, lower = sorted(holes, key=lambda n: stats[n, 1])
    if stats[upper, 1] + stats[upper, 3] > stats[lower, 1]:
        return False
    for n in (upper, lower):
        widths = (labels == n).sum(axis=1)
        widths = widths[widths > 0][1:-1]
        if not len(widths) or widths.max() < 0.4 * w or widths.min() < 0.6 * widths.max():
            return False
    return True


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


def outlined(ink: np.ndarray, rect) -> bool:
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
