"""Grids of a form read by their header words: each row a record, each cell by column.

The header words ('von', 'bis', 'Höhe', 'wo') give the columns' left edges; a row is a
line with a row label, and the lines below it whose cells continue it. On a scan a cell
whose text breaks its format is read again on its own (reread.py).
"""

import difflib
import re
from dataclasses import replace

from ..pdf.text import Word
from .amounts import parse_amount
from .bands import squash
from .form import Line, fold, parse_when
from .gridamounts import amount_mended, join, scanned_join
from .gridsplit import glued_apart
from .leipzig_spec import GRID_COLUMNS, GRID_STOPS
from .lines import join_hyphenated
from .reread import PAD_PT, checked, reread, reread_words

Spare = dict[str, tuple[str, str]]  # a header cell's other word: its column, the text before


def columns(lines: list[Line], at: int, spare: Spare | None = None
            ) -> tuple[dict[str, float], int] | None:
    """x of a grid's value columns from its header words ('von', 'bis', 'Höhe', 'wo'), on
    the header line or, when header cells wrap, on it and the next line; a word OCR lost
    replaced by another word of its cell (`spare`: 'veranschlagt' for 'wo')."""
    spans = {span: header_words(lines, at, span, spare) for span in (1, 2)}
    for span, found in spans.items():
        if len(found) == 4 and found["from"] < found["to"] < found["amount"] < found["position"]:
            return found, at + span - 1
    for span, found in spans.items():  # OCR may lose the shortest header word, 'bis':
        if set(found) == {"from", "amount", "position"} and (  # placed by the rows
                found["from"] < found["amount"] < found["position"]):
            return place_to(found, lines[at + span:at + span + 12]), at + span - 1
    for span, found in spans.items():  # or 'von' (9954-009), placed by the rows too
        if set(found) == {"to", "amount", "position"} and (
                found["to"] < found["amount"] < found["position"]):
            placed = place_from(found, lines[at + span:at + span + 12])
            if placed:
                return placed, at + span - 1
    return None


def header_words(lines: list[Line], at: int, span: int,
                 spare: Spare | None = None) -> dict[str, float]:
    words = [(w, n == 0) for n, ln in enumerate(lines[at:at + span])
             if ln.page == lines[at].page for w in ln.words]
    found: dict[str, float] = {}
    spared: dict[str, float] = {}
    for word, first in words:
        text = fold(word.text).lstrip("|[](") or fold(word.text)
        key = GRID_COLUMNS.get(text) or GRID_COLUMNS.get(text[1:]) or (
            "amount" if text.startswith("höhe") else None)
        if key and key not in found:
            found[key] = word.x0
        elif key is None and spare and text in spare and spare[text][0] not in spared:
            spared[spare[text][0]] = cell_start(word, spare[text][1], first)
    return {**spared, **found}


def cell_start(word: Word, before: str, first: bool) -> float:
    """Where a header cell starts, from a later word of it: at the word when it begins a
    line of the wrapped cell ('wo' / 'veranschlagt'), else as far left of it as the text
    before it in the cell takes, by the word's own letter width."""
    if not before or not first:
        return word.x0
    return word.x0 - (len(before) + 1) * (word.x1 - word.x0) / max(len(word.text), 1)


def place_to(found: dict[str, float], rows: list[Line]) -> dict[str, float]:
    """The 'bis' column's left edge when its header word is lost: where the second date of
    a row starts between 'von' and 'Höhe' (a row's single date is its 'von'), else just
    left of 'Höhe' (no row has a 'bis')."""
    seconds = []
    for line in rows:
        dates = [w for w in line.words if found["from"] - 4 <= w.x0 < found["amount"] - 4
                 and parse_when(w.text.strip(".,")) is not None]
        if len(dates) >= 2:
            seconds.append(dates[1].x0)
    return {**found, "to": min(seconds) - 2 if seconds else found["amount"] - 5}


def place_from(found: dict[str, float], rows: list[Line]) -> dict[str, float] | None:
    """The 'von' column's left edge when its header word is lost: where the rows' first
    dates left of 'bis' start; None when no row has one (no grid to place it by)."""
    firsts = []
    for line in rows:
        dates = [w for w in line.words if w.x0 < found["to"] - 4
                 and parse_when(w.text.strip(".,")) is not None]
        if dates:
            firsts.append(dates[0].x0)
    return {**found, "from": min(firsts) - 2} if firsts else None


def cells_of(line: Line, edges: list[tuple[str, float]]) -> dict[str, list]:
    """A line's words by column. A word counts where it starts, a little inside: OCR may
    draw a word's box several points left of its ink (speckle, a rule's remains)."""
    cells: dict[str, list] = {name: [] for name, _x in edges}
    for word in line.words:
        name = None
        at = word.x0 + min((word.x1 - word.x0) / 2, 12)
        for col, x in edges:
            if at >= x - 4:
                name = col
        if name:
            cells[name].append(word)
    return cells


def text_of(words: list) -> str:
    return join_hyphenated(" ".join(w.text for w in words))


# lines a grid may span: five follow-up rows whose 'wo veranschlagt' cells wrap over four
# or five lines each ('Sachkonto / 42710000 / (Personal- / und / Sachkosten)') take 26
GRID_LINES = 36


def stop_at(lines: list[Line], start: int) -> int:
    for i in range(start, min(start + GRID_LINES, len(lines))):
        if any(squash(lines[i].text).startswith(squash(s)[:14]) for s in GRID_STOPS):
            return i
    return min(start + GRID_LINES, len(lines))


def find_header(lines, start: int, stop: int, with_word: str | None = None,
                spare: Spare | None = None):
    for i in range(start, min(stop, len(lines))):
        found = columns(lines, i, spare)
        if found and (with_word is None or with_word in squash(  # header cells may wrap
                " ".join(ln.text for ln in lines[max(0, i - 1):found[1] + 3]))):
            return found
    return None


SPECKS = "‚,'‘’`´.:;"  # what OCR makes of a speck beside a cell's digits
POSITION_NUMBER = re.compile(r"\(?\d+(?:\.\d+)*\)?[,;]?|\d{1,2}\.\d{1,2}\.\d{4}")
POSITION_PREFIXES = ("PSP", "Sachkonto")  # what the form's 'wo veranschlagt' cells start with
POSITION_WORD = re.compile(r"\(?[A-Za-zÄÖÜäöüß]+-?\)?")  # 'Sachkonto', '(Personal-', 'und'


def is_position(text: str) -> bool:
    """'PSP 1.100.31.5.0.01', 'Sachkonto 42710000 (Personal- und Sachkosten)': numbers and
    plain words; a mark in or after a word ('und’', 'Personal-.'), a prefix that is not the
    form's ('vse 1.100…') or a number split in two ('7.0001 734.705.100') breaks it."""
    tokens = text.split()
    numbers = [any(c.isdigit() for c in token) for token in tokens]
    if tokens and not numbers[0] and tokens[0] not in POSITION_PREFIXES:
        return False
    if any(a and b and not t.startswith("(") for a, b, t in zip(numbers, numbers[1:], tokens[1:],
                                                                strict=False)):
        return False
    return all(POSITION_NUMBER.fullmatch(token) if number else POSITION_WORD.fullmatch(token)
               for token, number in zip(tokens, numbers, strict=True))


CELL_FORMATS = {"from": lambda t: parse_when(t) is not None,
                "to": lambda t: parse_when(t) is not None,
                "amount": lambda t: parse_amount(t) is not None,
                "position": is_position}
DOTTED = re.compile(r"\d+(?:[.:]\d+)+")


def position_cell(view, lines: list[Line], parts: list[list], left: float) -> str:
    """A scan's 'wo veranschlagt' cell: a prefix the page pass dropped read again
    (lost_prefix); a cell that is no clean position even mended (position_as_read) read
    again from the column's left edge, keeping a prefix its first reading had ('»» 1.100…'
    read again 'PSP 1.100…', never '1.100…'), then mended."""
    parts = lost_hyphens(view, [p for p in lost_prefix(view, lines, parts, left) if p])
    first = text_of(parts[0]).split()[:1]
    # a prefix misread ('P8P', '»»'), not a number misread ('1:2:00:11.:121:01', nor one
    # with letters in it, '1:200.J11:1=1z01': a number starts with a digit)
    prefixed = bool(first) and not first[0][:1].isdigit() and (
        any(c.isalpha() for c in first[0]) or not any(c.isdigit() for c in first[0]))

    def valid(text: str) -> bool:
        mended = position_as_read(text)
        return is_position(mended) and (not prefixed or mended.split()[0] in POSITION_PREFIXES
                                         ) and as_numbered(mended)

    def join(texts: list[str]) -> str:
        return join_hyphenated(" ".join(texts))

    span = (left - 2, max(w.x1 for p in parts for w in p) + 2)
    text = checked(view, parts, valid, join)  # the words' own boxes, then the column's width
    if not valid(text):  # (a box OCR drew round a misread prefix may cut it: '»»' for PSP)
        text = checked(view, parts, valid, join, span)
    if not valid(text) and prefixed and len(parts) > 1 and not any(
            c.isdigit() for c in text_of(parts[0])):  # a wrapped prefix line: no digit in it
        number = text_of(parts[1]).split()[0]
        again = reread(view, parts[0], lambda t: as_prefix(t.split()[0], number) is not None,
                       span)
        if again:
            text = join([again] + [text_of(p) for p in parts[1:]])
    if not valid(text) and valid(joined := split_joined(text)):
        text = joined
    return position_as_read(text)


def split_joined(text: str) -> str:
    """A position whose number a scan's wide glyph gap split, as read the same on its own
    ('Sachkonto 427 10000', 'PSP 7.000 1734.705.100'), joined: no position has two numbers
    in a row (is_position), so it is one."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


CONJUNCTIONS = ("und", "oder", "bis", "sowie")  # a hyphen of a shared compound part before them


def lost_hyphens(view, parts: list[list]) -> list[list]:
    """A position cell's lines with the hyphen OCR's page pass dropped at a wrapped line's
    end read again ('(Personal-' / 'und Sachkosten)' read '(Personal'): the line's last
    word before a conjunction on the next line, with a letter's width more on its right,
    taken only when it reads as the word and a hyphen."""
    out = [list(p) for p in parts]
    for line, after in zip(out, out[1:], strict=False):
        word = line[-1]
        if not word.text[-1:].isalpha() or after[0].text not in CONJUNCTIONS:
            continue
        if _reads_hyphened(view, word):
            line[-1] = replace(word, text=word.text + "-")
    return out


def _reads_hyphened(view, word: Word) -> bool:
    wide = 1.5 * (word.x1 - word.x0) / len(word.text)
    hyphened = word.text + "-"
    return reread(view, [word], lambda t: t.replace(" ", "") == hyphened,
                  (word.x0 - PAD_PT, word.x1 + wide)) is not None


def as_numbered(text: str) -> bool:
    """The form's numbering after a prefix: a PSP element's first group is one digit
    ('1.100.31.5.0.01', '7.0001734.705.100'), a Sachkonto has eight digits. Checked on a
    scan only, to read a cell again ('PSP 11.100.31.5.0.01', a digit added: 9954-004);
    a cell that never reads so is kept as read."""
    tokens = text.split()
    if len(tokens) < 2:
        return True
    number = tokens[1]
    if tokens[0] == "PSP":
        return re.fullmatch(r"\d\.\d.*", number) is not None
    if tokens[0] == "Sachkonto":
        return re.fullmatch(r"\d{8}", number) is not None
    return True


def as_prefix(token: str, number: str) -> str | None:
    """The form's prefix `token` is a misreading of, before `number`, or None."""
    letters = "".join(c for c in token if c.isalpha())
    if token in POSITION_PREFIXES:
        return token
    if DOTTED.fullmatch(number.rstrip(",;:.")) and 1 <= len(letters) <= 3 \
            and set(letters.lower()) & {"p", "s"}:
        return "PSP"
    if difflib.SequenceMatcher(None, letters.lower(), "sachkonto").ratio() >= 0.75:
        return "Sachkonto"
    return None


def lost_prefix(view, lines: list[Line], parts: list[list], left: float) -> list[list]:
    """A position cell's words by line, with a prefix OCR's page pass dropped read again:
    Tesseract drops a short word standing apart ('PSP' above its wrapped number, or left
    of it with a gap); the gap is read on its own (reread.reread_words) and taken only when
    it reads as the form's prefix."""
    if not parts or not any(parts):
        return parts
    first = next(i for i, p in enumerate(parts) if p)
    number = parts[first][0]
    if not number.text[:1].isdigit():
        return parts
    if first == 1 and not parts[0]:  # the prefix's line left empty, the number wrapped
        at, box = 0, (left - 2, lines[0].bbox[1] - 1, max(w.x1 for w in parts[1]) + 2,
                      lines[0].bbox[3] + 1)
    elif first == 0 and number.x0 > left + 12:  # a gap left of the number
        at, box = 0, (left - 2, number.top - 1, number.x0 - 1, number.bottom + 1)
    else:
        return parts
    found = reread_words(view, box)
    prefix = as_prefix(found[0].text, number.text) if len(found) == 1 else None
    if prefix is None:
        return parts
    out = [list(p) for p in parts]
    out[at] = [replace(found[0], text=prefix)] + out[at]
    return out


def position_as_read(text: str) -> str:
    """A scan's 'wo veranschlagt' cell whose marks OCR misread even when read again: a
    prefix misread is the form's ('sSachkanto' Sachkonto; 'vse', 'par', '»s' before a dotted
    PSP number: no other prefix has three letters or fewer), a colon inside a dotted
    number a full stop, marks after a word or the number ('und’', '42710000:') or before
    its opening bracket ('“(Personal-', '\\(Personal-') left out, a brace or square bracket
    that a round one closes ('{Personal- … Sachkosten)') a round one, and a mark-only
    token after the number (a speck: '3/6,') dropped."""
    tokens = text.split()
    if len(tokens) >= 2 and any(c.isalpha() for c in tokens[0]):  # 'P8P' too
        tokens[0] = as_prefix(tokens[0], tokens[1]) or tokens[0]
    out: list[str] = []
    for n, token in enumerate(tokens):
        if any(c.isdigit() for c in token):
            if out and _speck(token) and any(POSITION_NUMBER.fullmatch(t) for t in out):
                continue  # a speck after the number
            token = re.sub(r"(?<=\d):(?=\d)", ".", token)
            token = re.sub(r"^[!|\[\]]+(?=\d)", "", token)  # a rule's remains: '!1.100…'
            token = token.rstrip(",;:.") if n == len(tokens) - 1 or "(" not in token else token
        elif n > 0:
            token = re.sub(r"(?<=[A-Za-zÄÖÜäöüß-])[.,’'‘`]+(?=\)?$)", "", token)
            token = re.sub(r"^[“”„‚‘’'\"`\\]+(?=\()", "", token)  # a speck before '(Personal-'
            if ")" in text and "(" not in text:  # '{Personal- und Sachkosten)'
                token = re.sub(r"^[{\[](?=[A-Za-zÄÖÜäöüß])", "(", token)
        out.append(token)
    return " ".join(out)


def _speck(token: str) -> bool:
    """A token after a position's number that is a speck ('3/6,'), not the rest of a number
    OCR split ('1.: 700::31.5.0401' for 1.100.31.5.0.01: dropped, 'PSP 1' passed)."""
    bare = token.rstrip(",;:.")
    return (not any(c.isalpha() for c in token) and sum(c.isdigit() for c in token) <= 2
            and not POSITION_NUMBER.fullmatch(bare) and not DOTTED.fullmatch(bare))


# a cell Tesseract's page pass may drop, and the cells that show its row is filled
LOST_BESIDE = {"amount": ("from", "to"), "from": ("amount",)}
RULE_MARKS = "|[]"  # the column's rule at a cut-out's edge ('[2024', '|2024': 9953-104)


def lost_cell(view, row: dict, edges, name: str) -> list:
    """A scan's amount or 'von' cell left empty beside a row's other values: Tesseract's
    page pass drops a short word standing apart ('5 T€'; '2024' of a Courier grid, held-out
    scan 9953-104); the cell is read on its own as one line (reread.reread) and taken when
    it reads as the cell's format."""
    if view is None or not view.is_ocr or not any(row["cells"].get(k)
                                                   for k in LOST_BESIDE[name]):
        return []
    xs = dict(edges)
    right = min((x for _n, x in edges if x > xs[name]), default=xs[name] + 90)
    first = row["lines"][0]
    cell = Word("", xs[name] - 2, first.bbox[1], right - 2, first.bbox[3], first.page)
    found = reread(view, [cell], lambda t: CELL_FORMATS[name](t.strip(RULE_MARKS)),
                   (cell.x0, cell.x1))
    return [replace(cell, text=found.strip(RULE_MARKS))] if found else []


def row_texts(row: dict, edges, views) -> dict[str, str]:
    """A grid row's cell texts; a cell whose text breaks its format ('2O22', '2,5sT€',
    'PSP 1..1.00..31- 5.0.01') is read again from the scan (reread.py)."""
    texts = {}
    row = apart(row, edges, views)
    for name, words in row["cells"].items():
        if name in LOST_BESIDE and not words and len({ln.page for ln in row["lines"]}) == 1:
            words = lost_cell(views.get(row["lines"][0].page), row, edges, name)
            texts[name] = text_of(words)
            continue
        if name not in CELL_FORMATS or not words or len({ln.page for ln in row["lines"]}) > 1:
            texts[name] = text_of(words)
            continue
        parts = [cells_of(line, edges)[name] for line in row["lines"]]
        view = views.get(row["lines"][0].page)
        scan = view is not None and view.is_ocr
        if name == "position" and scan:
            texts[name] = position_cell(view, row["lines"], parts, dict(edges)["position"])
            continue
        parts = [p for p in parts if p]
        valid = CELL_FORMATS[name]
        if name in ("from", "to") and scan:  # '2024.' read again is the year (9954-011)
            valid = _unspecked
        texts[name] = checked(view, parts, valid, scanned_join if scan else join)
        if name == "amount" and scan:
            texts[name] = amount_mended(view, parts, texts[name], edges)
        if name in ("from", "to") and scan:
            texts[name] = texts[name].strip(SPECKS)  # '‚2022', '2022.': a speck read as a mark
    return texts


def _unspecked(text: str) -> bool:
    return parse_when(text.strip(SPECKS)) is not None


def apart(row: dict, edges, views) -> dict:
    """`row` with its words glued across a column edge read again (gridsplit.py)."""
    view = views.get(row["lines"][0].page)
    if view is None or not view.is_ocr or len({ln.page for ln in row["lines"]}) > 1:
        return row
    lines = glued_apart(view, row["lines"], [x for _n, x in edges])
    if lines is None:
        return row
    cells: dict[str, list] = {name: [] for name in row["cells"]}
    for line in lines:
        for name, words in cells_of(line, edges).items():
            cells[name] = cells.get(name, []) + words
    return {**row, "cells": cells, "lines": lines}


def is_record(cells: dict) -> bool:
    """A filled row has an amount or a year; words spilled from a flattened text do not."""
    return any(f(cells[k]) is not None for f, k in ((parse_amount, "amount"),
                                                   (parse_when, "from"), (parse_when, "to")))


def merge(row: dict, cells: dict, line: Line) -> None:
    for name, words in cells.items():
        row["cells"][name] = row["cells"][name] + words
    row["lines"].append(line)


def bbox_of(lines: list[Line]) -> list[float]:
    same = [ln.bbox for ln in lines if ln.page == lines[0].page]
    return [min(b[0] for b in same), min(b[1] for b in same),
            max(b[2] for b in same), max(b[3] for b in same)]
