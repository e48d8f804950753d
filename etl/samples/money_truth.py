"""What the money queries must answer for money_specs(), worked out from the specs alone.

Written from the rules the queries document, not from the loader's code: the newest
Neufassung of a Drucksache counts, an Änderungsantrag is its own paper and is left out of
sums, income is never spending, a line counts in its first budget year (the paper's year
when the form prints none), yearly amounts with their yearly figure.
"""

import re
from collections import defaultdict

from .vocabulary import SUBMITTERS_FACTIONS

FACTIONS = set(SUBMITTERS_FACTIONS) | {"GRÜNE-Gemeinderatsfraktion", "CDU-Gemeinderatsfraktion"}
STAFF_FTE = {"1,0 VzÄ EG 11 Sachbearbeitung Klimaschutz": 1.0, "0,5 VzÄ EG 9a": 0.5,
             "2 VzÄ Sachbearbeitung (EG 9b) und 1,5 VzÄ EG 8": 3.5, "0,5 VzÄ EG 6": 0.5}
SPENDING = {"Aufwendungen", "Auszahlungen", "Gesamtkosten"}
INCOME = {"Erträge", "Einzahlungen"}


def _base(spec: dict) -> str:
    return spec["reference"].removesuffix(f"-{spec['version_suffix']}") \
        if spec["version_suffix"] else spec["reference"]


def is_amendment(spec: dict) -> bool:
    return (spec["version_suffix"] or "").startswith("ÄA")


def current_specs(specs: list[dict]) -> list[dict]:
    newest: dict[str | tuple[str, str], tuple[int, dict]] = {}
    for spec in specs:
        key = spec["reference"] if is_amendment(spec) else (spec["city"], _base(spec))
        number = int(re.sub(r"\D", "", spec["version_suffix"] or "") or 0)
        if key not in newest or number > newest[key][0]:
            newest[key] = (number, spec)
    return [spec for _n, spec in newest.values()]


def money_of(spec: dict) -> list[tuple[str, int, float, bool]]:
    """(direction, budget year, amount, per year) for every amount the paper shows."""
    fin, paper_year = spec["financial_impact"], int(spec["date"][:4])
    lines = []
    for line in fin["budget_lines"]:
        direction = "expenditure" if line["kind"] in SPENDING else "income"
        year = int(line["from"][:4]) if line["from"] else paper_year
        lines.append((direction, year, line["amount_eur"], False))
    for line in fin["follow_up_lines"]:
        direction = {"Folgekosten": "expenditure", "Einsparungen": "saving"}[line["kind"]]
        year = int(line["from"][:4]) if line["from"] else paper_year
        lines.append((direction, year, line["amount_eur_per_year"], True))
    extra = fin.get("extra") or {}
    if extra and not fin["budget_lines"] and not fin["follow_up_lines"]:
        for key, direction, yearly in (("total_cost_eur", "expenditure", False),
                                       ("total_income_eur", "income", False),
                                       ("annual_cost_eur", "expenditure", True)):
            if extra.get(key):
                lines.append((direction, paper_year, extra[key], yearly))
    return lines


def spending_by_faction_year(specs: list[dict]) -> dict[tuple[str, int], float]:
    sums: defaultdict[tuple[str, int], float] = defaultdict(float)
    for spec in current_specs(specs):
        if spec["submitted_by"] in FACTIONS and not is_amendment(spec):
            for direction, year, amount, _yearly in money_of(spec):
                if direction == "expenditure":
                    sums[(spec["submitted_by"], year)] += amount
    return {k: round(v, 2) for k, v in sums.items()}


def income_and_savings(specs: list[dict]) -> dict[tuple[str, str, int], float]:
    sums: defaultdict[tuple[str, str, int], float] = defaultdict(float)
    for spec in current_specs(specs):
        if not is_amendment(spec):
            for direction, year, amount, _yearly in money_of(spec):
                if direction != "expenditure":
                    sums[(direction, spec["submitted_by"], year)] += amount
    return {k: round(v, 2) for k, v in sums.items()}


def papers_above(specs: list[dict], minimum: float) -> dict[str, float]:
    """reference -> one-off spending, for current papers (amendments included) at or above."""
    found = {}
    for spec in current_specs(specs):
        once = [a for d, _y, a, yearly in money_of(spec) if d == "expenditure" and not yearly]
        if once and sum(once) >= minimum:
            found[spec["reference"]] = round(sum(once), 2)
    return found


def staff_by_year_submitter(specs: list[dict]) -> dict[tuple[int, str], tuple[float, float]]:
    sums: defaultdict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for spec in current_specs(specs):
        staff = spec["staffing"]
        if staff["has_staffing_impact"] and not is_amendment(spec):
            entry = sums[(int(spec["date"][:4]), spec["submitted_by"])]
            entry[0] += STAFF_FTE.get(staff["positions_added"], 0)
            entry[1] += STAFF_FTE.get(staff["positions_removed"], 0)
    return {k: (round(a, 2), round(r, 2)) for k, (a, r) in sums.items()}


def climate_relevant(specs: list[dict]) -> set[str]:
    found = set()
    for spec in current_specs(specs):
        leipzig = (spec.get("climate_impact") or {}).get("significant_relevance")
        karlsruhe = (spec["financial_impact"].get("extra") or {}).get("co2_relevant")
        if leipzig or karlsruhe:
            found.add(spec["reference"])
    return found


def versions_of(specs: list[dict]) -> dict[str, list[str]]:
    groups = defaultdict(list)
    for spec in specs:
        groups[_base(spec)].append(spec["reference"])
    return dict(groups)
