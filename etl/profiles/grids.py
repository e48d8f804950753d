"""Grids of a form read by their header words: each row a record, each cell by column.

The header words ('von', 'bis', 'Höhe', 'wo') give the columns' left edges; a row is a
line with a row label, and the lines below it whose cells continue it. On a scan a cell
whose text breaks its format is read again on its own (reread.py).
"""

import re

from .amounts import parse_amount
from .bands import squash
from .form import Line, fold, parse_when
from .leipzig_spec import GRID_COLUMNS, GRID_STOPS
from .lines import join_hyphenated
from .reread import checked


def columns(lines: list[Line], at: int) -> tuple[dict[str, float], int] | None:
    """x of a grid's value columns from its header words ('von', 'bis', 'Höhe', 'wo'), on
    the header line or, when header cells wrap, on it and the next line."""
    for span in (1, 2):
        found = header_words(lines, at, span)
        if len(found) == 4 and found["from"] < found["to"] < found["amount"] < found["position"]:
            return found, at + span - 1
    for span in (1, 2):  # OCR may lose the shortest header word, 'bis': placed by the rows
        found = header_words(lines, at, span)
        if set(found) == {"from", "amount", "position"} and (
                found["from"] < found["amount"] < found["position"]):
            return place_to(found, lines[at + span:at + span + 12]), at + span - 1
    return None


def header_words(lines: list[Line], at: int, span: int) -> dict[str, float]:
    words = [w for ln in lines[at:at + span] if ln.page == lines[at].page for w in ln.words]
    found: dict[str, float] = {}
    for word in words:
        text = fold(word.text).lstrip("|[](") or fold(word.text)
        key = GRID_COLUMNS.get(text) or GRID_COLUMNS.get(text[1:]) or (
            "amount" if text.startswith("höhe") else None)
        if key and key not in found:
            found[key] = word.x0
    return found


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


def find_header(lines, start: int, stop: int, with_word: str | None = None):
    for i in range(start, min(stop, len(lines))):
        found = columns(lines, i)
        if found and (with_word is None or with_word in squash(  # header cells may wrap
                " ".join(ln.text for ln in lines[max(0, i - 1):found[1] + 3]))):
            return found
    return None


SPECKS = "‚,'‘’`´.:;"  # what OCR makes of a speck before a cell's first digit
POSITION_NUMBER = re.compile(r"\(?\d+(?:\.\d+)*\)?[,;]?|\d{1,2}\.\d{1,2}\.\d{4}")
CELL_FORMATS = {"from": lambda t: parse_when(t) is not None,
                "to": lambda t: parse_when(t) is not None,
                "amount": lambda t: parse_amount(t) is not None,
                "position": lambda t: all(POSITION_NUMBER.fullmatch(token) for token in t.split()
                                          if any(c.isdigit() for c in token))}


def row_texts(row: dict, edges, views) -> dict[str, str]:
    """A grid row's cell texts; a cell whose text breaks its format ('2O22', '2,5sT€',
    'PSP 1..1.00..31- 5.0.01') is read again from the scan (reread.py)."""
    texts = {}
    for name, words in row["cells"].items():
        if name not in CELL_FORMATS or not words or len({ln.page for ln in row["lines"]}) > 1:
            texts[name] = text_of(words)
            continue
        parts = [cells_of(line, edges)[name] for line in row["lines"]]
        parts = [p for p in parts if p]
        view = views.get(row["lines"][0].page)
        texts[name] = checked(view, parts, CELL_FORMATS[name],
                              lambda t: join_hyphenated(" ".join(t)))
        if name in ("from", "to") and view is not None and view.is_ocr:
            texts[name] = texts[name].lstrip(SPECKS)  # '‚2022': a speck read as a mark
    return texts


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
