"""The Leipzig form: questions, grids, staffing and climate texts, occasion, goals.

What the form asks is data in leipzig_spec.py; bands.py finds each question's label
and options by position, whatever the line breaks. Grids are read by their header
columns: every row a record, a checkbox column an enumeration.
"""

import difflib
import re
from typing import Any

from ..contract import add_provenance, clean_text
from ..pdf.checkbox import read_checkbox_in
from .amounts import parse_amount
from .bands import (
    BOX_MARKS,
    Answer,
    _option_end,
    phrase_at,
    read_questions,
    squash,
    value_of,
)
from .form import Line, anchor, find_phrase, fold, parse_when, similar
from .formspec import Option
from .grids import bbox_of, cells_of, find_header, is_record, merge, row_texts, stop_at, text_of
from .gridsplit import label_again
from .leipzig_spec import (
    BUDGET_ROWS,
    BUDGET_SPARE,
    CLIMATE_TEXTS,
    FOLLOW_UP_ITEM_START,
    FOLLOW_UP_ITEMS,
    FOLLOW_UP_KINDS,
    FOLLOW_UP_SCOPES,
    FOLLOW_UP_SPARE,
    GOALS,
    OCCASION,
    QUESTIONS,
    STAFFING_TEXTS,
)
from .lines import join_hyphenated
from .ocrfix import correct_text
from .optionboxes import CROSSES, Found, read_states
from .paygrade import grades_read_again
from .reread import reread, reread_marks

BARE_NUMBER = re.compile(r"\d[\d.,]*")
# a number and marks that are no unit, glued or not ('1250Va_': held-out 9956-113, 150 dpi)
NUMBER_AND_JUNK = re.compile(r"\d[\d.,]*\s?[^\d\s]{1,4}")
NUMBER_WITH_UNIT = re.compile(r"\d[\d.,]* (?:t/a|t|€|EUR|%)")
UNIT_ROOM_PT = 30
TAX_FIELDS = ("entrepreneurial_activity", "vat_liable", "vat_clause_in_contracts")
CLIMATE_FIELDS = ("energy_sources", "reduces_consumption", "stores_co2",
                  "mitigates_climate_effects", "significant_relevance", "no_assessable_impact",
                  "considers_climate_decisions", "ghg_emissions", "documented_in", "submitted_with")


def fill(lines: list[Line], views: dict, result: dict) -> None:
    answers = read_questions(lines, views, QUESTIONS)
    _questions(answers, result)
    follow = answers.get("financial_impact.has_follow_up_costs")
    follow = follow.lines if isinstance(follow, Answer) else (None, None)
    _budget_grid(lines, follow[0], views, result)
    _follow_up_grid(lines, follow[1], views, result)
    _texts(lines, STAFFING_TEXTS, result, views)
    if result.get("climate_impact"):
        _texts(lines, CLIMATE_TEXTS, result, views)
    _occasion(lines, views, result)
    _goals(lines, views, result)


def _put(result: dict, field: str, value) -> None:
    *path, key = field.split(".")
    target = result
    for name in path:
        if target.get(name) is None:
            target[name] = _empty(name)
        target = target[name]
    target[key] = value


def _empty(name: str) -> dict:
    fields = {"tax_details": TAX_FIELDS, "climate_impact": CLIMATE_FIELDS}.get(name, ())
    return {f: None for f in fields}


def _questions(answers: dict, result: dict) -> None:
    for field, answer in answers.items():
        if isinstance(answer, str):
            result["file"]["warnings"].append(f"{answer}: {field}")
            _put(result, field, None)
            continue
        value, warning = _value(answer)
        if value is None and not warning and len(answer.found) < len(answer.question.options) \
                and not any(box.state for box in answer.boxes):  # the ticked one may be unread
            warning = "options only partly found, none ticked"
        _put(result, field, value)
        if warning:
            result["file"]["warnings"].append(f"{warning}: {field}")
        if all(box.state is None for box in answer.boxes):
            result["file"]["warnings"].append(f"label found but no boxes beside it: {field}")
        ticked = [b for b in answer.boxes if b.state] or answer.boxes
        box = ticked[0]
        add_provenance(result, field, box_page(answer), box.bbox, box.method,
                       box.confidence if value is not None or box.state is not None else 0.5)


def box_page(answer: Answer) -> int:
    return answer.found[0].first.page


def _value(answer: Answer):
    return value_of(answer.question, answer.found, answer.boxes)


# -- grids ----------------------------------------------------------------------------------

def _budget_grid(lines, follow_at: int | None, views, result) -> None:
    stop = follow_at if follow_at is not None else len(lines)
    found = find_header(lines, 0, stop, "haushalt", BUDGET_SPARE)
    if found is None:
        return
    cols, header = found
    edges = sorted(cols.items(), key=lambda item: item[1])
    kinds = {kind: budget for budget, kind in BUDGET_ROWS}
    printed = {fold(name): name for row in BUDGET_ROWS for name in row}  # 'Auszahlungen.'
    rows: list[dict[str, Any]] = []
    budget = None
    for line in lines[header + 1:min(stop, stop_at(lines, header + 1))]:
        label = [printed.get(fold(w.text)) for w in line.words if w.x0 < cols["from"] - 4]
        cells = cells_of(line, edges)
        if not any(label) and any(cells.values()):  # 'BEELSIE' for Erträge (9954-086)
            label = label_again(views.get(line.page), line, cols["from"] - 4, printed, kinds)
        budget = next((w for w in label if w in ("Ergebnishaushalt", "Finanzhaushalt")), None)
        kind = next((w for w in label if w in kinds), None)
        if kind:  # each kind has one budget: a budget label misread is not the one above
            rows.append({"budget": budget or kinds[kind], "kind": kind, "cells": cells,
                         "lines": [line]})
        elif rows and any(cells.values()):  # a wrapped cell continues the row above
            merge(rows[-1], cells, line)
    for row in rows:
        texts = row_texts(row, edges, views)
        if not is_record(texts):
            continue
        amount = parse_amount(texts["amount"])
        result["financial_impact"]["budget_lines"].append({
            "budget": row["budget"], "kind": row["kind"], "from": parse_when(texts["from"]),
            "to": parse_when(texts["to"]), "amount_eur": amount,
            "budget_position": clean_text(texts["position"])})
        n = len(result["financial_impact"]["budget_lines"]) - 1
        add_provenance(result, f"financial_impact.budget_lines[{n}]", row["lines"][0].page,
                       bbox_of(row["lines"]), "text", 0.95 if amount is not None else 0.6)


def _follow_up_grid(lines, follow_at: int | None, views, result) -> None:
    if follow_at is None:
        follow_at = next((i for i, ln in enumerate(lines)
                          if find_phrase(ln, "Entstehen Folgekosten")), None)
    if follow_at is None:
        return
    found = find_header(lines, follow_at + 1, follow_at + 7, spare=FOLLOW_UP_SPARE)
    if found is None:
        return
    cols, header = found
    cols = _from_at_wirksam(lines[follow_at + 1:header + 1], cols)
    # kind columns in the grid: their names sit in the header row, beside 'wirksam von'
    head_words = [w for ln in lines[follow_at + 1:header + 1] if _is_header(ln)
                  for w in ln.words]
    kind_cols = {k: w for k in FOLLOW_UP_KINDS for w in head_words  # 'zinsparungen' (9953-005)
                 if similar(w.text, k) and w.x0 < cols["from"]}
    region = lines[header + 1:stop_at(lines, header + 1)]
    item_x = min((w.x0 for ln in region for w in ln.words if w.text == FOLLOW_UP_ITEM_START),
                 default=None)
    if item_x is None:
        return
    rows = _follow_up_rows(region, item_x, cols, kind_cols)
    in_grid = {k: w for k, w in kind_cols.items() if w.x0 > item_x + 10}
    kinds = [_kind_in_row(row, in_grid, cols, views) for row in rows] if in_grid else []
    if not any(kinds):  # no box in the kind columns: one tick above (or in) the header
        in_grid = {}
        kind = _kind_above(lines[follow_at + 1:header + 1], views)
    fin = result["financial_impact"]
    edges = sorted(cols.items(), key=lambda item: item[1])
    for n, row in enumerate(rows):
        cells = row_texts(row, edges, views)
        if not is_record(cells):
            continue
        row_kind = kinds[n] if in_grid else kind
        fin["follow_up_lines"].append({
            "scope": _as_printed(clean_text(join_hyphenated(" ".join(row["scope"]))),
                                 FOLLOW_UP_SCOPES, 0.85) or "",
            "item": _as_printed(clean_text(text_of(row["item"])), FOLLOW_UP_ITEMS),
            "kind": row_kind,
            "from": parse_when(cells["from"]), "to": parse_when(cells["to"]),
            "amount_eur_per_year": parse_amount(cells["amount"]),
            "budget_position": clean_text(cells["position"])})
        index = len(fin["follow_up_lines"]) - 1
        add_provenance(result, f"financial_impact.follow_up_lines[{index}]",
                       row["lines"][0].page, bbox_of(row["lines"]), "text", 0.9)


def _from_at_wirksam(header: list[Line], cols: dict[str, float]) -> dict[str, float]:
    """The 'von' column of the follow-up grid starts at its header cell 'wirksam von': where
    the cell does not wrap, a year under 'wirksam' is in it, not left of the grid."""
    for line in header:
        for left, right in zip(line.words, line.words[1:], strict=False):
            if (fold(left.text) == "wirksam" and fold(right.text) == "von"
                    and abs(right.x0 - cols["from"]) < 1 and right.x0 - left.x1 < 8):
                return {**cols, "from": left.x0}
    return cols


def _as_printed(text: str | None, labels: list[str], cutoff: float = 0.9) -> str | None:
    """A row label as the form prints it when OCR glued or misread a letter of it
    ('Ergeb. HHErträge', 'Zu Lasten anderer ÖE'), or read a speck under it as a short
    last word ('„Ergeb. HH Erträge Bit': 9954-011); any other text as read."""
    if not text:
        return text
    close = [label for label in labels if squash(label) == squash(text)] or \
        difflib.get_close_matches(text, labels, n=1, cutoff=cutoff)
    words = text.split()
    if not close and len(words) > 2 and len(words[-1]) <= 3:  # a speck read as a word
        close = [label for label in labels if squash(label) == squash(" ".join(words[:-1]))]
    return close[0] if close else text


def _is_header(line: Line) -> bool:
    return any(fold(w.text) in ("wirksam", "von", "bis", "höhe", "wo") for w in line.words)


def _follow_up_rows(region, item_x, cols, kind_cols) -> list[dict]:
    first_value = min([cols["from"]] + [w.x0 for w in kind_cols.values() if w.x0 > item_x + 10])
    edges = sorted(cols.items(), key=lambda item: item[1])
    known = [squash(s) for s in FOLLOW_UP_SCOPES]
    rows: list[dict[str, Any]] = []
    scope: list[str] | None = None
    for line in region:
        left = [w.text for w in line.words if w.x0 < item_x - 4]
        item = [w for w in line.words if item_x - 4 <= w.x0 < first_value - 4]
        if left:
            joined = squash(" ".join((scope or []) + left))
            if scope is None or not any(_begins(k, joined) for k in known):
                scope = []  # a new scope: the old one plus this line is no known scope
            scope += left
        cells = cells_of(line, edges)
        if item and _starts_item(item[0].text):
            rows.append({"scope": scope or [], "item": item, "cells": cells, "lines": [line]})
        elif rows and (item or any(cells.values())):
            rows[-1]["item"] += item
            merge(rows[-1], cells, line)
    return rows


def _starts_item(text: str) -> bool:
    """'Ergeb.', on a scan also with a speck read before or after it ('‚Ergeb.'): a row
    whose start was missed ran into the row above (item 'Ergeb. HH Erträge ‚Ergeb. HH …')."""
    return text == FOLLOW_UP_ITEM_START or fold(text) == fold(FOLLOW_UP_ITEM_START)


def _begins(known: str, text: str) -> bool:
    """`text` (squashed) is how `known` begins, a letter or two misread on a scan
    ('zulastenandereröe' for a scope cell wrapped over two rows)."""
    if known.startswith(text):
        return True
    head = known[:len(text)]
    close = difflib.SequenceMatcher(None, head, text).ratio() >= 0.85
    return 8 <= len(text) <= len(known) and close


def _kind_in_row(row, in_grid: dict, cols, views) -> str | None:
    """The row's tick in the 'Folgekosten' or 'Einsparungen' column: beside one of the
    row's lines (the box sits beside the item's first or last line; a row that wraps over
    many lines is too tall to find it in its middle), else anywhere in the row."""
    xs = sorted([w.x0 for w in in_grid.values()] + [cols["from"]])
    same = [ln for ln in row["lines"] if ln.page == row["lines"][0].page]
    bands = [(ln.bbox[1] - 2, ln.bbox[3] + 2) for ln in same]
    bands.append((min(b[0] for b in bands), max(b[1] for b in bands)))
    view = views[row["lines"][0].page]
    ticked, unknown = [], []
    for name, word in in_grid.items():
        right = next(x for x in xs if x > word.x0)
        for top, bottom in bands:
            box = read_checkbox_in(view, (word.x0 - 6, top, right - 3, bottom))
            if box.state is not None:
                break
        if box.state:
            ticked.append(name)
        elif box.state is None and _cross_read(same, word.x0 - 6, right - 3):
            unknown.append(name)
    if not ticked and len(unknown) == 1 and len(in_grid) == 2:
        return unknown[0]  # the tick blurred into its box, the other box read empty
    return ticked[0] if len(ticked) == 1 else None


def _cross_read(lines: list[Line], left: float, right: float) -> bool:
    """OCR read a cross ('X') in the column between `left` and `right` on one of the row's
    lines: a tick whose box blurred out of shape (the box reader finds no box there)."""
    return any(w.text in CROSSES and left <= w.x0 and w.x1 <= right
               for ln in lines for w in ln.words)


def _kind_above(candidates: list[Line], views) -> str | None:
    for line in reversed(candidates):  # the box row sits above the grid, or in its header
        costs, savings = anchor(line, "Folgekosten", 0), anchor(line, "Einsparungen", 0)
        if costs and savings:
            found = [Found(Option(name, name), word, word, line.page)
                     for name, word in (("Folgekosten", costs), ("Einsparungen", savings))]
            boxes = read_states(views[line.page], found)
            ticked = [f.option.label for f, box in zip(found, boxes, strict=True) if box.state]
            return ticked[0] if len(ticked) == 1 else None
    return None


# -- texts after a label, occasion, goals ---------------------------------------------------

def _texts(lines, labels: list[tuple[str, str]], result, views: dict | None = None) -> None:
    """'Beantragte Stellenerweiterung: 1,0 VzÄ EG 11 (Sozial- / planung)': the text after a
    label, with the lines below it that start under the text (a wrapped cell); on a scan
    its odd marks read again ('Anlage.3', reread.reread_marks)."""
    starts = [squash(label) for _f, label in labels]
    for field, label in labels:
        for i, line in enumerate(lines):
            at = _after_label(line, label, _is_scan(views, line.page))
            if at is None:
                continue
            words = _marks(views, line.page, _until_next_label(line.words[at:], labels))
            chosen = [line]
            x = words[0].x0 if words else None
            for below in lines[i + 1:i + 5]:
                if (x is None or below.page != line.page or below.words[0].x0 < x - 3
                        or any(squash(below.text).startswith(s[:10]) for s in starts)):
                    break
                words += _marks(views, below.page, below.words)
                chosen.append(below)
            if _is_scan(views, line.page):
                words = grades_read_again((views or {}).get(line.page), words)
            value = clean_text(re.sub(r"_{2,}.*", "", text_of(words)).strip(" :")) \
                if words else None
            if value and _is_scan(views, line.page):  # no cell ends in a comma: a speck
                value = correct_text(value).rstrip(",;").rstrip()  # ('VzÄEG 11', '48 t/a,')
                value = _unit_read_again((views or {}).get(line.page), words, value)
            if value and not value.startswith("("):
                _put(result, field, value)
                add_provenance(result, field, line.page, bbox_of(chosen), "text", 0.9)
            break


def _unit_read_again(view, words: list, value: str) -> str:
    """A scan's bare number (or one with marks that are no unit) read again with the room
    right of it, where OCR may have dropped a unit it read with low confidence ('48' for
    '48 t/a': 'Va', 7 %) or garbled it ('1250Va_')."""
    if not BARE_NUMBER.fullmatch(value) and (
            not NUMBER_AND_JUNK.fullmatch(value) or NUMBER_WITH_UNIT.fullmatch(value)):
        return value
    span = (words[0].x0 - 1.5, words[-1].x1 + UNIT_ROOM_PT)
    return reread(view, words[-1:], lambda t: bool(NUMBER_WITH_UNIT.fullmatch(t)), span) or value


def _marks(views: dict | None, page: int, words: list) -> list:
    view = (views or {}).get(page)
    return reread_marks(view, words) if words and getattr(view, "is_ocr", False) else words


def _is_scan(views: dict | None, page: int) -> bool:
    return bool(getattr((views or {}).get(page), "is_ocr", False))


def _after_label(line: Line, label: str, scan: bool = False) -> int | None:
    """After the label as printed; on a scan also with a letter misread ('Aniage/Kapitel')."""
    at = phrase_at(line, label)
    return phrase_at(line, label, True) if at is None and scan else at


def _until_next_label(words, labels) -> list:
    for k in range(len(words)):
        rest = squash(" ".join(w.text for w in words[k:k + 3]))
        if any(squash(lab).startswith(rest) and len(rest) > 6 for _f, lab in labels):
            return words[:k]
    return words


def _occasion(lines, views, result) -> None:
    answers = read_questions(lines, views, [OCCASION])
    answer = answers.get(OCCASION.field)
    if not isinstance(answer, Answer):
        return
    ticked, _warning = _value(answer)
    other = None
    for found in answer.found:
        if found.option.label == "Sonstiges":
            line = lines[found.line]
            rest = [w for w in line.words if w.x0 > found.first.x1
                    and not set(w.text) <= BOX_MARKS]
            other = clean_text(text_of(rest)) if rest else None
            if other and views[line.page].is_ocr and sum(c.isalnum() for c in other) < 3:
                other = None  # a speck on the line ('go', 'Q': held-out 9957-117, -137)
    result["occasion"] = {"ticked": ticked, "other_text": other}
    box = next((b for b in answer.boxes if b.state), answer.boxes[0])
    add_provenance(result, "occasion", box_page(answer), box.bbox, box.method, box.confidence)


def _asks_for_goals(text: str) -> bool:
    """'Welche strategischen Ziele werden mit der Maßnahme unterstützt?', also with a letter
    OCR lost or misread in 'strategischen' ('trategischen')."""
    return "strategischen Ziele werden" in text or "Ziele werden mit der Maßnahme" in text


def _goals(lines, views, result) -> None:
    start = next((i for i, ln in enumerate(lines) if _asks_for_goals(ln.text)), None)
    if start is None:
        return
    region = []  # the goals may run onto the next page
    for line in lines[start:start + 60]:
        if line.page > lines[start].page + 3 or fold(line.text).startswith("klimawirkung"):
            break
        region.append(line)
    found = []
    for goal in GOALS:
        first = goal.split()[:2]
        for line in region:
            after = phrase_at(line, " ".join(first), views[line.page].is_ocr)
            if after is None or (len(first) == 1 and len(line.words) > after
                                 and fold(line.words[after].text) in ("stadt",)):
                continue
            k = after - len(first)
            option = Option(goal, goal)
            end = _option_end(line.words, k, None, views[line.page].is_ocr, option)
            found.append(Found(option, line.words[k], line.words[end], line.page))
            break
    ticked = []
    for page in sorted({f.line for f in found}):
        on_page = [f for f in found if f.line == page]
        boxes = read_states(views[page], on_page)
        ticked += [(f.option.label, box, page)
                   for f, box in zip(on_page, boxes, strict=True) if box.state]
    result["strategic_goals"] = [goal for goal, _box, _page in ticked]
    for n, (_goal, box, page) in enumerate(ticked):
        add_provenance(result, f"strategic_goals[{n}]", page, box.bbox, box.method,
                       box.confidence)


__all__ = ["fill", "QUESTIONS"]
