"""The money model and the other derived cover-sheet rows: pure functions, result -> rows.

money_lines: one row per line of money a cover sheet shows – every budget_lines and
follow_up_lines row, plus the Karlsruhe `extra` amounts that no contract line carries –
with direction (expenditure/income/saving), budget (Ergebnis-/Finanzhaushalt), the
amount as a number and the budget years as integers (a from/to pair, never split).
"""

import json
import re
from typing import Any

EXPENDITURE, INCOME, SAVING = "expenditure", "income", "saving"
RESULT_BUDGET, FINANCE_BUDGET = "Ergebnishaushalt", "Finanzhaushalt"

# budget_lines.kind -> (direction, budget when the line names none)
BUDGET_KINDS = {
    "aufwendungen": (EXPENDITURE, RESULT_BUDGET), "auszahlungen": (EXPENDITURE, FINANCE_BUDGET),
    "erträge": (INCOME, RESULT_BUDGET), "einzahlungen": (INCOME, FINANCE_BUDGET),
    "gesamtkosten": (EXPENDITURE, None), "finanzierung": (EXPENDITURE, None),
    "einsparungen": (SAVING, None), "folgekosten": (EXPENDITURE, None),
}
FOLLOW_UP_KINDS = {"folgekosten": EXPENDITURE, "einsparungen": SAVING, "erträge": INCOME}
# Karlsruhe extra key -> (direction, per year, kind as the form names it)
KARLSRUHE_EXTRA = {
    "total_cost_eur": (EXPENDITURE, 0, "Gesamtkosten"),
    "total_income_eur": (INCOME, 0, "Einzahlungen"),
    "annual_cost_eur": (EXPENDITURE, 1, "Folgekosten"),
    "annual_income_eur": (INCOME, 1, "Erträge"),
}
# Keys of results extracted before the agreed names (extractor version 1), same meaning.
LEGACY_EXTRA = {"income_eur": "total_income_eur", "annual_burden_eur": "annual_cost_eur"}
MEASURE_BUDGET = {"investition": FINANCE_BUDGET, "konsumtive maßnahme": RESULT_BUDGET}

_YEAR = re.compile(r"^\s*(\d{4})")


def year_of(text) -> int | None:
    """'2019', '2019-03' or '2019-03-31' -> 2019; anything else -> None."""
    match = _YEAR.match(text) if isinstance(text, str) else None
    return int(match.group(1)) if match else None


def _budget(name: str | None, fallback: str | None) -> str | None:
    low = (name or "").lower()
    if "ergeb" in low:
        return RESULT_BUDGET
    if "finanz" in low and "haushalt" in low or low.startswith("finanz"):
        return FINANCE_BUDGET
    return fallback


def _line(paper_id, file_id, key, source, direction, budget, kind, start, end, amount,
          per_year, position) -> dict:
    return {"id": f"{paper_id}#m-{key}", "paper_id": paper_id, "file_id": file_id,
            "source": source, "direction": direction, "budget": budget, "kind": kind,
            "year_from": year_of(start), "year_to": year_of(end) or year_of(start),
            "amount_eur": amount, "per_year": per_year, "budget_position": position}


def money_rows(fin: dict, paper_id: str, file_id: str) -> list[dict]:
    """The money_lines rows of one cover sheet's financial_impact."""
    rows = []
    extra = fin.get("extra")
    if not isinstance(extra, dict):
        extra = {}
    measure = MEASURE_BUDGET.get(str(extra.get("measure_kind") or "").lower())
    for i, line in enumerate(fin.get("budget_lines") or []):
        direction, default = BUDGET_KINDS.get((line.get("kind") or "").lower(), (None, None))
        if line.get("amount_eur") is None:
            continue
        rows.append(_line(paper_id, file_id, f"b{i}", "budget_lines", direction,
                          _budget(line.get("budget"), default or measure), line.get("kind"),
                          line.get("from"), line.get("to"), line["amount_eur"], 0,
                          line.get("budget_position")))
    for i, line in enumerate(fin.get("follow_up_lines") or []):
        if line.get("amount_eur_per_year") is None:
            continue
        rows.append(_line(paper_id, file_id, f"f{i}", "follow_up_lines",
                          _follow_up_direction(line), _budget(line.get("item"), None),
                          line.get("kind"), line.get("from"), line.get("to"),
                          line["amount_eur_per_year"], 1, line.get("budget_position")))
    rows += _extra_rows(extra, rows, paper_id, file_id)
    return rows


_ERTRAG_ROW = re.compile(r"^\s*(?:ergeb\w*\.?\s*(?:hh|haushalt)\s*)?ertr[aä]g", re.IGNORECASE)


def _follow_up_direction(line: dict) -> str | None:
    """The grid's Ertrag row ('Ergeb. HH Erträge') is income whatever box is ticked;
    otherwise the ticked box (Folgekosten / Einsparungen) decides – Karlsruhe's 'Folgekosten
    abzügl. Folgeerträge' is a cost – and no ticked box leaves the direction unknown."""
    if _ERTRAG_ROW.match(line.get("item") or ""):
        return INCOME
    return FOLLOW_UP_KINDS.get((line.get("kind") or "").lower())


def _extra_rows(extra: dict, lines: list[dict], paper_id: str, file_id: str) -> list[dict]:
    """Karlsruhe amounts kept only in `extra`: each becomes a row unless a contract line of
    the same direction and period already carries the money (never counted twice)."""
    budget = MEASURE_BUDGET.get(str(extra.get("measure_kind") or "").lower())
    extra = {**{new: extra[old] for old, new in LEGACY_EXTRA.items() if old in extra}, **extra}
    rows = []
    for key, (direction, per_year, kind) in KARLSRUHE_EXTRA.items():
        amount = extra.get(key)
        if not isinstance(amount, (int, float)) or isinstance(amount, bool):
            continue
        if any(r["direction"] == direction and r["per_year"] == per_year for r in lines):
            continue
        rows.append(_line(paper_id, file_id, key, "karlsruhe_extra", direction, budget, kind,
                          None, None, float(amount), per_year, extra.get("account_object")))
    return rows


# --- staff positions -------------------------------------------------------------------

_WORDS = {"eine": 1, "einer": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
          "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "halbe": 0.5}
_FTE = re.compile(r"\b(\d+(?:[.,]\d+)?|" + "|".join(_WORDS) + r")\s*(?:neue\s+|zusätzliche\s+)?"
                  r"(?:VzÄ|VZÄ|Vollzeitäquivalente?n?|Vollzeitstellen?|Stellen?|FTE)\b",
                  re.IGNORECASE)
_GROUP_PREFIX = re.compile(r"^(EG|E|S|A|B)\s?")
_GROUP_NAMES = {"E": "EG"}  # 'E 9a' and 'EG 9a' are the same pay group
_GRADE = re.compile(r"\b((?:EG|E|TVöD|S|A|B)\s?\d{1,2}[a-c]?(?:\s?Ü)?)\b")


def staff_numbers(text: str | None) -> tuple[float | None, str | None]:
    """'1,0 VzÄ EG 11 und 0,5 VzÄ EG 9a' -> (1.5, 'EG 11; EG 9a'); no number -> (None, …)."""
    if not text:
        return None, None
    numbers = [float(_WORDS.get(m.group(1).lower()) or m.group(1).replace(",", "."))
               for m in _FTE.finditer(text)]
    grades = []
    for match in _GRADE.finditer(text):
        grade = _GROUP_PREFIX.sub(lambda m: f"{_GROUP_NAMES.get(m.group(1), m.group(1))} ",
                                  match.group(1))
        if grade not in grades:
            grades.append(grade)
    return (round(sum(numbers), 3) if numbers else None), ("; ".join(grades) or None)


# --- submitters -----------------------------------------------------------------------

SUBMITTER_KINDS = [  # first match wins, on the lower-cased text
    ("petition", r"petition|petent|einwohneranfrage|bürgerbegehren"),
    ("faction", r"fraktion|\bgruppe\b"),
    ("committee", r"ausschuss|beirat|ortschaftsrat|jugendparlament|\bgremium|"
                  r"^ratsversammlung$|kommission|^(?:or|sbb|fa|jha)\b"),  # OR Mölkau, SBB Ost
    ("administration", r"dezernat|bürgermeister|verwaltung|amt\b|\breferat|eigenbetrieb|"
                       r"beigeordnet|kämmerei|dezernent|\bamt "),
    ("person", r"stadtr(?:at|ätin|ätinnen|äte)\b|einzelstadtr|gemeinder(?:at|ätin)\b|"
               r"(?:^|; )srs?(?:in)?\b"),  # SR M. Weber; SRin M. Lazar

]
_NAME = re.compile(r"(?:(?:dr|prof)\. )*[a-zäöüß]+(?:[- ][a-zäöüß]+){1,2}"
                   r"|[a-zäöüß-]+, (?:(?:dr|prof)\. )*[a-zäöüß]+")  # Bernard, Ulrike


def submitter_kind(submitted_by: str | None, document_kind: str | None = None,
                   reference: str | None = None) -> str | None:
    """faction, administration, person, committee or petition – None when nothing says."""
    if (document_kind or "").lower() == "petition" or re.search(r"-P-\d", reference or ""):
        return "petition"
    low = " ".join((submitted_by or "").lower().split())
    if not low:
        return None
    for kind, pattern in SUBMITTER_KINDS:
        if re.search(pattern, low):
            return kind
    return "person" if _NAME.fullmatch(low) else None


# --- climate, occasion, provenance -----------------------------------------------------

LEIPZIG_DETAILS = ("energy_sources", "reduces_consumption", "stores_co2",
                   "mitigates_climate_effects", "significant_relevance", "no_assessable_impact",
                   "considers_climate_decisions", "ghg_emissions", "documented_in",
                   "submitted_with")


def _int(item) -> int | None:
    return None if item is None else int(bool(item))


def climate_row(result: dict, paper_id: str, file_id: str) -> dict | None:
    """Leipzig 'Klimawirkung' or Karlsruhe 'CO2-Relevanz' on the same columns."""
    climate = result.get("climate_impact")
    extra = (result.get("financial_impact") or {}).get("extra") or {}
    row: dict[str, Any] = {"paper_id": paper_id, "file_id": file_id,
                           **{name: None for name in LEIPZIG_DETAILS}}
    if isinstance(climate, dict):
        significant = climate.get("significant_relevance")
        none_ = climate.get("no_assessable_impact")
        relevant = 1 if significant else 0 if (none_ or significant is False) else None
        row.update({name: climate.get(name) for name in LEIPZIG_DETAILS},
                   relevant=relevant, direction=None,
                   extent="erheblich" if significant else None, source_form="leipzig_klimawirkung")
        for name in ("significant_relevance", "no_assessable_impact"):
            row[name] = _int(row[name])
        return row
    if isinstance(extra, dict) and any(extra.get(k) is not None for k in
                                       ("co2_relevant", "co2_direction", "co2_extent")):
        row.update(relevant=_int(extra.get("co2_relevant")), direction=extra.get("co2_direction"),
                   extent=extra.get("co2_extent"), source_form="karlsruhe_co2")
        if row["relevant"] is None and (row["direction"] or row["extent"]):
            row["relevant"] = 1  # a direction or extent is only printed for relevant measures
        return row
    return None


def occasion_row(result: dict, paper_id: str, file_id: str) -> dict | None:
    occasion = result.get("occasion")
    if not isinstance(occasion, dict):
        return None
    return {"paper_id": paper_id, "file_id": file_id,
            "ticked": json.dumps(occasion.get("ticked") or [], ensure_ascii=False),
            "other_text": occasion.get("other_text")}


_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def value_at(result: dict, field: str):
    """The value a provenance field names: 'financial_impact.budget_lines[0]' -> that line;
    (False, None) when the path does not resolve."""
    node = result
    for name, index in _STEP.findall(field):
        if index:
            if not isinstance(node, list) or int(index) >= len(node):
                return False, None
            node = node[int(index)]
        elif isinstance(node, dict) and name in node:
            node = node[name]
        else:
            return False, None
    return True, node
