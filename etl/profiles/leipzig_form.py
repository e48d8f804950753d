"""The Leipzig form: financial questions and grids, staffing, strategic goals."""

import re

from ..contract import add_provenance, clean_text
from ..pdf.checkbox import read_checkbox
from .amounts import parse_amount
from .form import Line, anchor, find_phrase, fold, parse_when, read_yes_no
from .lines import index_of

QUESTIONS = [  # label, field, yes label
    ("Finanzielle Auswirkungen", "financial_impact.has_financial_impact", "wenn"),
    ("Kostengünstigere Alternativen geprüft", "financial_impact.cheaper_alternatives_checked", "ja"),
    ("Folgen bei Ablehnung", "financial_impact.consequences_of_rejection", "ja"),
    ("aktivierungspflichtig)?", "financial_impact.is_investment", "ja"),
    ("Entstehen Folgekosten oder Einsparungen?", "financial_impact.has_follow_up_costs", "wenn"),
    ("Steuerrechtliche Prüfung", "financial_impact.tax_review", "wenn"),
    ("Auswirkungen auf den Stellenplan", "staffing.has_staffing_impact", "wenn"),
    ("Beteiligung Personalrat", "staffing.staff_council_involved", "ja"),
]
BUDGET_KINDS = {"Erträge": "Ergebnishaushalt", "Aufwendungen": "Ergebnishaushalt",
                "Einzahlungen": "Finanzhaushalt", "Auszahlungen": "Finanzhaushalt"}
GOALS = [
    "Balance zwischen Verdichtung und Freiraum", "Qualität im öffentlichen Raum und in der Baukultur",
    "Nachhaltige Mobilität", "Vorsorgende Klima- und Energiestrategie",
    "Erhalt und Verbesserung der Umweltqualität", "Quartiersnahe Kultur-, Sport- und Freiraumangebote",
    "Positive Rahmenbedingungen für qualifizierte Arbeitsplätze",
    "Attraktives Umfeld für Innovation, Gründer und Fachkräfte",
    "Vielfältige und stabile Wirtschaftsstruktur",
    "Vorsorgendes Flächen- und Liegenschaftsmanagement", "Leistungsfähige technische Infrastruktur",
    "Vernetzung von Bildung, Forschung und Wirtschaft",
    "Chancengerechtigkeit in der inklusiven Stadt", "Gemeinschaftliche Quartiersentwicklung",
    "Bezahlbares Wohnen", "Zukunftsorientierte Kita- und Schulangebote", "Lebenslanges Lernen",
    "Sichere Stadt", "Bürgerstadt", "Region", "Stadtrat", "Kommunalwirtschaft", "Verwaltung",
    "Weltoffene Stadt", "Vielfältige, lebendige Kultur- und Sportlandschaft",
    "Interdisziplinäre Wissenschaft und exzellente Forschung",
    "Attraktiver Tagungs- und Tourismusstandort", "Imageprägende Großveranstaltungen",
    "Globales Denken, lokal verantwortliches Handeln",
]


def fill(lines: list[Line], views: dict, result: dict) -> None:
    _questions(lines, views, result)
    _budget_grid(lines, result)
    _follow_up_grid(lines, views, result)
    _staffing_texts(lines, result)
    _goals(lines, views, result)


def _put(result: dict, field: str, value) -> None:
    section, key = field.split(".")
    result[section][key] = value


def _questions(lines, views, result) -> None:
    seen = set()
    for line in lines:
        for label, field, yes in QUESTIONS:
            after = find_phrase(line, label)
            if field in seen or after is None or after >= len(line.words):
                continue
            if not any(fold(w.text).endswith("nein") for w in line.words[after:]):
                continue
            seen.add(field)
            choice = read_yes_no(views[line.page], line, after, yes_label=yes)
            _put(result, field, choice.value)
            if choice.warning:
                result["file"]["warnings"].append(f"{choice.warning}: {field}")
            if choice.box:
                add_provenance(result, field, line.page, choice.box.bbox, choice.box.method,
                               choice.box.confidence if choice.value is not None or
                               choice.box.state is not None else 0.5)


def _columns(lines: list[Line], at: int) -> tuple[dict[str, float], int] | None:
    """x positions of a grid's columns from its header words ('von', 'bis', 'Höhe', 'wo'),
    on the header line or, when the header wraps, on it and the next line."""
    keys = {"von": "from", "bis": "to", "höhe": "amount", "wo": "position"}
    for span in (1, 2):
        words = [w for ln in lines[at:at + span] if ln.page == lines[at].page for w in ln.words]
        found = {}
        for word in words:
            text = fold(word.text).lstrip("|[](") or fold(word.text)
            key = keys.get(text) or keys.get(text[1:]) or ("amount" if text.startswith("höhe")
                                                          else None)
            if key and key not in found:
                found[key] = word.x0
        if len(found) == 4:
            return found, at + span - 1
    return None


def _cells(line: Line, edges: list[tuple[str, float]]) -> dict[str, str]:
    cells: dict[str, list[str]] = {name: [] for name, _x in edges}
    for word in line.words:
        name = None
        for col, x in edges:
            if word.x0 >= x - 4:
                name = col
        if name:
            cells[name].append(word.text)
    return {k: " ".join(v) for k, v in cells.items()}


def _grid_region(lines, header: int, stop_phrase: str) -> list[Line]:
    stop = index_of(lines, stop_phrase, header + 1) or min(header + 12, len(lines))
    return lines[header + 1:stop]


def _budget_grid(lines, result) -> None:
    header = next((i for i, ln in enumerate(lines) if find_phrase(ln, "wo veranschlagt")
                   and find_phrase(ln, "Höhe in EUR") and find_phrase(ln, "von")), None)
    if header is None:
        return
    found = _columns(lines, header)
    if found is None:
        return
    cols, header = found
    edges = sorted(cols.items(), key=lambda item: item[1])
    rows, budget = [], None
    for line in _grid_region(lines, header, "Entstehen Folgekosten"):
        label = [w.text for w in line.words if w.x0 < cols["from"] - 4]
        budget = next((w for w in label if w in ("Ergebnishaushalt", "Finanzhaushalt")), budget)
        kind = next((w for w in label if w in BUDGET_KINDS), None)
        cells = _cells(line, edges)
        if kind:
            rows.append((BUDGET_KINDS[kind] if budget is None else budget, kind, cells, line))
        elif rows and any(cells.values()):
            rows[-1][2]["position"] = f"{rows[-1][2]['position']} {cells['position']}".strip()
    for budget, kind, cells, line in rows:
        if not any(cells.values()):
            continue
        amount = parse_amount(cells["amount"])
        result["financial_impact"]["budget_lines"].append({
            "budget": budget, "kind": kind, "from": parse_when(cells["from"]),
            "to": parse_when(cells["to"]), "amount_eur": amount,
            "budget_position": clean_text(cells["position"])})
        n = len(result["financial_impact"]["budget_lines"]) - 1
        add_provenance(result, f"financial_impact.budget_lines[{n}]", line.page, line.bbox,
                       "text", 0.95 if amount is not None else 0.6)


def _follow_up_grid(lines, views, result) -> None:
    question = next((i for i, ln in enumerate(lines)
                     if find_phrase(ln, "Entstehen Folgekosten")), None)
    if question is None:
        return
    header = next((i for i in range(question + 1, min(question + 6, len(lines)))
                   if _columns(lines, i)), None)
    if header is None:
        return
    found = _columns(lines, header)
    if found is None:
        return
    kind = _follow_up_kind(lines[max(0, header - 2):header + 1], views)
    cols, header = found
    edges = sorted(cols.items(), key=lambda item: item[1])
    rows, scope = [], ""
    item_x = min((w.x0 for ln in lines[header + 1:header + 12] for w in ln.words
                  if w.text == "Ergeb."), default=None)
    if item_x is None:
        return
    for line in _grid_region(lines, header, "Steuerrechtliche Prüfung"):
        left = [w for w in line.words if w.x0 < item_x - 4]
        item = [w.text for w in line.words if item_x - 4 <= w.x0 < cols["from"] - 4]
        if left:
            scope = " ".join(w.text for w in left) if item and item[0] == "Ergeb." else \
                f"{scope} {' '.join(w.text for w in left)}".strip()
        cells = _cells(line, edges)
        if item and item[0] == "Ergeb.":
            rows.append({"scope": scope, "item": " ".join(item), "cells": cells, "line": line})
        elif rows and item:
            rows[-1]["item"] += " " + " ".join(item)
    for row in rows:
        if not any(row["cells"].values()):
            continue
        fin = result["financial_impact"]
        fin["follow_up_lines"].append({
            "scope": clean_text(row["scope"]) or "", "item": clean_text(row["item"]),
            "kind": kind, "from": parse_when(row["cells"]["from"]),
            "to": parse_when(row["cells"]["to"]), "amount_eur_per_year":
            parse_amount(row["cells"]["amount"]), "budget_position": clean_text(row["cells"]["position"])})
        add_provenance(result, f"financial_impact.follow_up_lines[{len(fin['follow_up_lines']) - 1}]",
                       row["line"].page, row["line"].bbox, "text", 0.9)


def _follow_up_kind(candidates: list[Line], views) -> str | None:
    for line in reversed(candidates):  # the box row sits right above the grid's header
        if find_phrase(line, "Entstehen"):
            continue
        costs, savings = anchor(line, "Folgekosten", 0), anchor(line, "Einsparungen", 0)
        if costs and savings:
            ticked = [name for name, word in (("Folgekosten", costs), ("Einsparungen", savings))
                      if read_checkbox(views[line.page], word).state]
            return ticked[0] if len(ticked) == 1 else None
    return None


def _staffing_texts(lines, result) -> None:
    for label, key in (("Beantragte Stellenerweiterung:", "positions_added"),
                       ("Vorgesehener Stellenabbau:", "positions_removed")):
        for line in lines:
            text = line.text
            if label in text:
                value = text.split(label, 1)[1]
                value = re.split(r"Vorgesehener Stellenabbau:|Beantragte Stellenerweiterung:",
                                 value)[0]
                value = clean_text(value.strip(" :"))
                if value:
                    result["staffing"][key] = value
                    add_provenance(result, f"staffing.{key}", line.page, line.bbox, "text", 0.9)
                break


def _goals(lines, views, result) -> None:
    start = next((i for i, ln in enumerate(lines)
                  if "strategischen Ziele werden" in ln.text), None)
    if start is None:
        return
    region = [ln for ln in lines[start:start + 60] if ln.page == lines[start].page]
    ticked = []
    for goal in GOALS:
        first = goal.split()[:2]
        for line in region:
            after = find_phrase(line, " ".join(first))
            if after is None or (len(first) == 1 and len(line.words) > after
                                 and fold(line.words[after].text) in ("stadt",)):
                continue
            word = line.words[after - len(first)]
            box = read_checkbox(views[line.page], word)
            if box.state:
                ticked.append(goal)
                add_provenance(result, f"strategic_goals[{len(ticked) - 1}]", line.page,
                               box.bbox, box.method, box.confidence)
            break
    result["strategic_goals"] = ticked
