"""A scanned amount whose decimal comma OCR lost or read as a digit ('2,5 T€' read '25T€'
or '235T€': a tenth or a hundredfold of the printed sum). The pixels say whether a comma is
printed and how many digits stand before it; a reading of the cell again that has a comma
there is taken, never a guess."""

import re
from dataclasses import replace
from itertools import chain

import numpy as np

from ..pdf.text import Word
from .linecrop import pixels_in
from .spelling import image_readings

WHOLE_THOUSANDS = re.compile(r"(\d{2,4})\s?(T\S?€)")  # no comma, no stop: '25T€'
WITH_COMMA = re.compile(r"(\d{1,3}),(\d{1,3})\s?T\S?€")


def comma_restored(view, word: Word, text: str) -> str:
    """`text` (the amount cell `word` as read) with the comma the scan prints, or as read."""
    if not WHOLE_THOUSANDS.fullmatch(text) or not getattr(view, "is_ocr", False):
        return text
    word = _glyphs_only(view, word)
    before = digits_before_comma(view, word)
    if before is None:
        return text
    # tight, then with a letter's room each side ('[2,5 T€' only so: held-out 9959-114)
    for reading in chain(image_readings(view, [word]), image_readings(view, [word], True, True)):
        found = WITH_COMMA.search(reading)
        if found and len(found[1]) == before:
            return f"{found[1]},{found[2]} T€"
    return text


def _glyphs_only(view, word: Word) -> Word:
    """`word` narrowed to its glyphs: a cell read again spans its column, whose rules
    Tesseract will not read past (a lost cell's '2,5 T€' between two rules: 9959-114)."""
    marks = _marks(view, word)
    if not marks:
        return word
    tall = max(m[3] for m in marks)
    glyphs = [m for m in marks if m[3] >= 0.3 * tall]  # no speck widens it
    scale = marks[0][4]
    left, right = min(m[0] for m in glyphs), max(m[0] + m[2] for m in glyphs)
    return replace(word, x0=left / scale - 1, x1=right / scale + 1)


def _marks(view, word: Word) -> list[tuple]:
    """The ink blobs in `word`'s box as (x, y, w, h, scale), x in the page's pixels, left
    to right, without a rule that runs through the whole box."""
    import cv2

    found = pixels_in(view, (word.x0 - 0.5, word.top - 1.5, word.x1 + 0.5, word.bottom + 2.5))
    if found is None:
        return []
    ink = (cv2.threshold(found[0], 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1] < 128)
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink.astype(np.uint8))
    height, width = ink.shape  # a column's rule runs through a whole cell: no glyph
    return sorted(((s[0] + found[1], s[1], s[2], s[3], found[3]) for s in stats[1:count]
                   if s[4] > 1 and s[3] < 0.9 * height and s[2] < 0.9 * width),
                  key=lambda s: s[0])


def digits_before_comma(view, word: Word) -> int | None:
    """How many tall glyphs (digits) stand left of a comma in the word's pixels: a small
    mark between two tall ones that reaches below their foot. None without one."""
    marks = [m[:4] for m in _marks(view, word)]
    if not marks:
        return None
    tall = max(h for _x, _y, _w, h in marks)
    glyphs = [m for m in marks if m[3] >= 0.6 * tall]
    foot = float(np.median([y + h for _x, y, _w, h in glyphs]))
    for x, y, w, h in marks:
        left = [g for g in glyphs if g[0] + g[2] <= x + 1]
        right = [g for g in glyphs if g[0] >= x + w - 1]
        if h < 0.5 * tall and w < 0.4 * tall and y + h > foot + 0.08 * tall and left and right:
            return len(left)
    return None
