"""Positioned text with pypdfium2: page text in reading order and words with boxes.

Boxes use PDF points with the origin at the top left of the page, as the
extraction contract asks: (x0, top, x1, bottom).
"""

import ctypes
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

_SKIP_CODEPOINTS = {0, 2, 0xFFFE, 0xFFFF}
# "Bau- und Finanzierungsbeschluss": a word ending in "-" before und/oder/bzw./sowie is an
# elided compound, its hyphen stays (the contract's rule); "," never follows a line break.
KEEP_HYPHEN = r"(?!(?:und|oder|sowie)\b|bzw\.)"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int

    @property
    def bbox(self) -> list[float]:
        return [round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)]

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


def raw_page_text(textpage) -> str:
    """The page's characters in pdfium's reading order, lines separated by \\n."""
    text = textpage.get_text_range()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_text(text: str) -> str:
    """NFC, hyphenation at line ends joined, whitespace folded (the contract's rule)."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    text = re.sub(r"(?<=[a-zäöüß])-\n" + KEEP_HYPHEN + r"(?=[a-zäöüß])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def page_words(textpage, page_number: int, page_height: float) -> list[Word]:
    """Words with boxes, split at white space and at jumps in position."""
    words: list[Word] = []
    chars: list[str] = []
    box = [0.0, 0.0, 0.0, 0.0]  # left, bottom, right, top of the current word
    rect = pdfium_c.FS_RECTF()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))

    def flush():
        if chars:
            words.append(Word("".join(chars), box[0], page_height - box[3],
                              box[2], page_height - box[1], page_number))
            chars.clear()

    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code == 2:  # pdfium's mark for a hyphen at a line end: it is printed, keep it
            code = ord("-")
        if code in _SKIP_CODEPOINTS or chr(code).isspace():
            flush()
            continue
        # Horizontally the loose box (the advance width), so "1." or "31.08." stay one
        # word; vertically the tight box, so lines set close together stay apart.
        if not (pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect)) and
                pdfium_c.FPDFText_GetCharBox(textpage, i, left, right, bottom, top)):
            continue
        x0, x1, y0, y1 = rect.left, rect.right, bottom.value, top.value
        if y1 - y0 < 0.5:  # a dot or a dash has almost no height: give it its line's
            middle_band = (rect.top - rect.bottom) * 0.2
            y0, y1 = rect.bottom + middle_band, rect.top - middle_band
        if chars and _starts_new_word(box, x0, y0, y1):
            flush()
        if not chars:
            box[:] = [x0, y0, x1, y1]
        else:
            box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
        chars.append(chr(code))
    flush()
    return words


def _starts_new_word(box, x0, y0, y1) -> bool:
    height = max(box[3] - box[1], y1 - y0, 1.0)
    same_line = abs((box[1] + box[3]) / 2 - (y0 + y1) / 2) < height * 0.6
    return not same_line or x0 - box[2] > height * 0.25 or x0 < box[0] - height


def squash(text: str) -> str:
    """Letters and digits only, lower case:
    'aktivierungs- pflichtig)?' == 'aktivierungspflichtig'."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[^0-9a-zäöüß§]", "", text)


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines (top to bottom, left to right)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.mid_y), w.x0)):
        for line in lines[-3:]:
            ref = line[0]
            if abs(ref.mid_y - word.mid_y) < max(ref.height, word.height) * 0.5:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: min(w.top for w in ln))
    return lines
