"""Grids of a form read by their header words: each row a record, each cell by column.

The header words ('von', 'bis', 'Höhe', 'wo') give the columns' left edges; a row is a
line with a row label, and the lines below it whose cells continue it. On a scan a cell
whose text breaks its format is read again on its own (reread.py; the position cell in
gridposition.py, amounts in gridamounts.py, words glued across a column in gridsplit.py).
"""

from dataclasses import replace

from ..pdf.text import Word
from .amounts import parse_amount
from .bands import squash
from .decimalcomma import comma_restored
from .form import Line, fold, parse_when
from .gridamounts import amount_mended, join, scanned_join
from .gridposition import is_position, position_cell
from .gridsplit import glued_apart
from .leipzig_spec import GRID_COLUMNS, GRID_STOPS
from .lines import join_hyphenated
from .ocrfix import correct_text
from .reread import checked, reread
from .spelling import first_reading

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
    span_lines = [ln for ln in lines[at:at + span] if ln.page == lines[at].page]
    head = next((ln for ln in span_lines if _with_column_words(ln)), None)
    words = [(w, ln is head) for ln in span_lines for w in ln.words]
    found: dict[str, float] = {}
    spared: dict[str, float] = {}
    for word, first in words:
        text = fold(word.text).lstrip("|[](") or fold(word.text)
        key = GRID_COLUMNS.get(text) or GRID_COLUMNS.get(text[1:]) or (
            "amount" if text.startswith("höhe") else None)
        key = key or _glued_to_spare(text, spare or {})
        if key and key not in found:
            found[key] = word.x0
        elif key is None and spare and text in spare and spare[text][0] not in spared:
            spared[spare[text][0]] = cell_start(word, spare[text][1], first)
    return {**spared, **found}


def _with_column_words(line: Line) -> bool:
    """The line holds a header word that names a column. The first such line is the
    header's: a spare word on it stands after the words of its cell OCR lost ('Höhe in EUR
    [wo] veranschlagt'), on a later one it starts a wrapped cell's line (9958-078: the
    header found from the line above had taken its first line for the wrapped second, and
    'PSP' for part of the amount)."""
    return any(GRID_COLUMNS.get(fold(w.text)) or fold(w.text).startswith("höhe")
               for w in line.words)


def _glued_to_spare(text: str, spare: Spare) -> str | None:
    """The column of a header word OCR glued to the next word of its cell ('woveranschlagt':
    held-out 9958-073 lost the grid's every row)."""
    return next((column for after, (column, before) in spare.items()
                 if before and " " not in before and text == fold(before) + after), None)


def cell_start(word: Word, before: str, first: bool) -> float:
    """Where a header cell starts, from a later word of it: at the word when it begins a
    line of the wrapped cell ('wo' / 'veranschlagt'), else (on the header's `first` line)
    as far left of it as the text before it in the cell takes, by the word's own letter
    width."""
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
CELL_FORMATS = {"from": lambda t: parse_when(t) is not None,
                "to": lambda t: parse_when(t) is not None,
                "amount": lambda t: parse_amount(t) is not None,
                "position": is_position}
# a cell Tesseract's page pass may drop, and the cells that show its row is filled
LOST_BESIDE = {"amount": ("from", "to"), "from": ("amount",)}
# the column's rule at a cut-out's edge ('[2024', '|2024': 9953-104; '5T€_')
RULE_MARKS = "|[]_"
CELL_EDGES = SPECKS + RULE_MARKS  # what a date cell's text may carry at its edges


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
    def valid(text: str) -> bool:
        return bool(CELL_FORMATS[name](unruled(text)))

    found = reread(view, [cell], valid, (cell.x0, cell.x1)) or first_reading(
        view, [cell], valid)  # gray, enlarged
    return [replace(cell, text=unruled(found))] if found else []


def unruled(text: str) -> str:
    """A cell read again without the rules at its edges, corrected again: a rule kept a
    rule of ocr_corrections.tsv from seeing the cell's end ('5Te_' is '5T€')."""
    return correct_text(text.strip(RULE_MARKS))


def row_texts(row: dict, edges, views) -> dict[str, str]:
    """A grid row's cell texts; a cell whose text breaks its format ('2O22', '2,5sT€',
    'PSP 1..1.00..31- 5.0.01') is read again from the scan (reread.py)."""
    texts = {}
    row = apart(row, edges, views)
    for name, words in row["cells"].items():
        if name in LOST_BESIDE and not words and len({ln.page for ln in row["lines"]}) == 1:
            view = views.get(row["lines"][0].page)
            words = lost_cell(view, row, edges, name)
            texts[name] = text_of(words)
            if name == "amount" and words:  # '25T€' for '2,5 T€' (held-out 9959-114)
                texts[name] = comma_restored(view, words[0], texts[name])
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
        if name in ("from", "to") and scan:
            parts = _dates_without_specks(parts)
        valid = CELL_FORMATS[name]
        if name in ("from", "to") and scan:  # '2024.' read again is the year (9954-011)
            valid = _unspecked
        texts[name] = checked(view, parts, valid, scanned_join if scan else join)
        if name == "amount" and scan:
            texts[name] = amount_mended(view, parts, texts[name], edges)
            if len(parts) == 1:  # '25T€' for '2,5 T€': the comma the pixels show
                cell = replace(parts[0][0], x1=parts[0][-1].x1)
                texts[name] = comma_restored(view, cell, texts[name])
        if name in ("from", "to") and scan:
            texts[name] = texts[name].strip(CELL_EDGES)  # '‚2022', '2022.', '[2025'
    return texts


def _dates_without_specks(parts: list[list]) -> list[list]:
    """A date cell's lines without the letters below its date: specks under a row that
    OCR read as words ('2023' over 'Be', beside the position's second line: held-out
    9958-152 lost both years)."""
    first = " ".join(w.text for w in parts[0]).strip(CELL_EDGES) if parts else ""
    if parse_when(first) is None:
        return parts
    return [parts[0]] + [p for p in parts[1:] if any(c.isdigit() for w in p for c in w.text)]


def _unspecked(text: str) -> bool:
    return parse_when(text.strip(CELL_EDGES)) is not None


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
