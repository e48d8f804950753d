"""A scanned grid's amount cell with its number or unit lost by OCR's page pass, read
again from the scan (reread.py) and taken only when it is then an amount."""

import re

from .amounts import parse_amount
from .lines import join_hyphenated
from .ocrfix import correct_text
from .reread import reread

UNIT = re.compile(r"T\S?€|€|EUR|Tsd|TEUR")
# a number without its unit: '250', '1.250' for '1.250 T€', '12,5' for '12,5 T€' (held-out
# 9959-137, -045: a thousandth of the sum)
BARE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def amount_mended(view, parts: list[list], text: str, edges) -> str:
    """A scan's amount cell with a number or unit the page pass lost read again: a unit
    without its number (unit_only), or a bare number whose unit was dropped ('8' for
    '8 T€', '250' for '250 T€', '1.250' for '1.250 T€': each passes as an amount in
    EUR), read again to the next column and taken only when it is the same number with a
    unit."""
    xs = dict(edges)
    if parse_amount(text) is None:
        return unit_only(view, parts, xs["amount"]) or text
    if len(parts) != 1 or not BARE_NUMBER.fullmatch(text):
        return text
    right = min((x for _n, x in edges if x > xs["amount"]), default=None)
    if right is None:
        return text

    def valid(t: str) -> bool:
        number = BARE_NUMBER.match(t)
        return bool(number and number[0] == text and UNIT.search(t)) and (
            parse_amount(t) is not None)

    return reread(view, parts[0], valid, (parts[0][0].x0 - 2, right - 2)) or text


def unit_only(view, parts: list[list], left: float) -> str | None:
    """An amount cell whose number OCR's page pass lost or read as a letter ('8 T€' read
    'sT€', '64 Tsd. EUR' read 'Tsd. EUR'): a line with a unit and no digit, which
    `checked` leaves (it reads again only lines with a digit), read again from the
    column's left edge, and taken only when the cell is then an amount."""
    texts = [join([w.text for w in p]) for p in parts]
    for i, part in enumerate(parts):
        if any(c.isdigit() for c in texts[i]) or not UNIT.search(texts[i]):
            continue

        def valid(t: str, i: int = i) -> bool:
            return parse_amount(scanned_join(texts[:i] + [t] + texts[i + 1:])) is not None

        again = reread(view, part, valid, (left - 2, max(w.x1 for w in part) + 2))
        if again:
            return scanned_join(texts[:i] + [again] + texts[i + 1:])
    return None


def join(texts: list[str]) -> str:
    return join_hyphenated(" ".join(texts))


def scanned_join(texts: list[str]) -> str:
    """A scan's cell lines joined, then corrected: a rule may span them ('38.400,50' over
    '©', its € on the next line: tuning scan 8765-039, the amount lost); a column's rule
    read at a number's end ('1.250.000,00|': a cell read again has its rules) or a speck
    read as a mark before it left out."""
    text = re.sub(r"(?<=\d)\|(?=\s|$)", "", join(texts))
    return correct_text(re.sub(r"^[‚,'‘’`]+(?=\d)", "", text))  # '‚12.500 EUR': 9959-089
