"""Deterministic specifications of sample papers: what each PDF shows, i.e. its truth."""

import copy
import random
from datetime import date, timedelta

from . import vocabulary as V
from .layouts import follow_up_lines, random_layout

CHECKBOX_METHODS = ("text", "glyph", "vector", "widget")
SPATIAL = ["Stadtbezirk Alt-West, Ortsteil Lindenau", "Stadtbezirk Mitte, Ortsteil Zentrum-Süd",
           "gesamtstädtisch", "Stadtbezirk Süd, Ortsteil Connewitz"]
FORMS = (2018, 2021)


def _when(rng: random.Random, start: date) -> date:
    return start + timedelta(days=rng.randrange(0, 700))


def _amount(rng: random.Random) -> float:
    return float(rng.choice([5000, 12500, 20000, 150000, 250000, 1250000, 38400.5, 2500]))


def _budget_lines(rng, year: int) -> list[dict]:
    grid = [("Ergebnishaushalt", "Erträge"), ("Ergebnishaushalt", "Aufwendungen"),
            ("Finanzhaushalt", "Einzahlungen"), ("Finanzhaushalt", "Auszahlungen")]
    lines = []
    for budget, kind in rng.sample(grid, rng.randint(1, 2)):
        span = rng.randint(0, 2)
        start, end = str(year), str(year + span) if span else None
        if rng.random() < 0.2:
            start, end = f"{year}-01-01", f"{year + span}-12-31"
        lines.append({"budget": budget, "kind": kind, "from": start, "to": end,
                      "amount_eur": _amount(rng),
                      "budget_position": rng.choice(V.BUDGET_POSITIONS)})
    grid_order = {g: i for i, g in enumerate(grid)}
    return sorted(lines, key=lambda ln: grid_order[(ln["budget"], ln["kind"])])


def _follow_up_lines(rng, year: int) -> list[dict]:
    return [{"scope": "Nach Durchführung der Maßnahme zu erwarten",
             "item": "Ergeb. HH Aufwand (ohne Abschreibungen)",
             "kind": rng.choice(["Folgekosten", "Einsparungen"]), "from": str(year + 1),
             "to": None, "amount_eur_per_year": float(rng.choice([8000, 20000, 64000])),
             "budget_position": None}]


def financial(rng, form: int, year: int) -> dict:
    has = rng.random() < 0.55
    fin = {"has_financial_impact": has, "cheaper_alternatives_checked": None,
           "consequences_of_rejection": None, "is_investment": None, "budget_lines": [],
           "has_follow_up_costs": None, "follow_up_lines": [],
           "tax_review": (rng.random() < 0.3) if form == 2021 else None}
    if has:
        fin.update(cheaper_alternatives_checked=rng.random() < 0.5,
                   consequences_of_rejection=rng.random() < 0.5,
                   is_investment=rng.random() < 0.4, budget_lines=_budget_lines(rng, year),
                   has_follow_up_costs=rng.random() < 0.4)
        if fin["has_follow_up_costs"]:
            fin["follow_up_lines"] = _follow_up_lines(rng, year)
    return fin


def staffing(rng) -> dict:
    has = rng.random() < 0.2
    return {"has_staffing_impact": has,
            "positions_added": f"{rng.randint(1, 4)} VzÄ Sachbearbeitung (EG 9b)" if has else None,
            "positions_removed": None,
            "staff_council_involved": (rng.random() < 0.5) if has else None}


def resolution(rng, topic: str, year: int, count: int) -> list[dict]:
    texts = rng.sample(V.RESOLUTION_OPENINGS, count)
    fill = {"topic": topic, "year": year, "year2": year + 1, "date": f"30.06.{year}"}
    return [{"number": str(i + 1), "text": t.format(**fill)} for i, t in enumerate(texts)]


def consultations(rng, when: date, kind: str) -> list[dict]:
    committees = rng.sample(V.COMMITTEES[1:], rng.randint(1, 3))
    rows = []
    for i, (name, _short) in enumerate(committees):
        rows.append({"committee": name, "date": (when + timedelta(days=7 * i)).isoformat(),
                     "role": "Vorberatung"})
    final = "Information zur Kenntnis" if kind == "Informationsvorlage" else "Beschlussfassung"
    rows.append({"committee": "Ratsversammlung",
                 "date": (when + timedelta(days=7 * len(rows) + 7)).isoformat(), "role": final})
    return rows


def base_paper(rng: random.Random, number: int, kind: str, term: str = "VII") -> dict:
    when = _when(rng, date(2021, 1, 4))
    form = 2021 if when.year >= 2021 and rng.random() < 0.7 else 2018
    topic, short = V.TOPICS[number % len(V.TOPICS)]
    admin = kind in ("Beschlussvorlage", "Informationsvorlage", "Verwaltungsstandpunkt")
    submitter = rng.choice(V.SUBMITTERS_ADMIN if admin else V.SUBMITTERS_FACTIONS)
    letter = V.KINDS[kind][1]
    return {
        "reference": f"{term}-{letter}-{8000 + number * 7:05d}", "version_suffix": None,
        "document_kind": kind, "body_hint": "Ratsversammlung", "status": "öffentlich",
        "submitted_by": submitter, "title": topic, "short_topic": short, "form": form,
        "date": when.isoformat(), "checkbox_method": CHECKBOX_METHODS[number % 4],
        "consultations": consultations(rng, when, kind),
        "resolution_items": resolution(rng, short, when.year + 1, rng.randint(1, 3)),
        "financial_impact": financial(rng, form, when.year + 1), "staffing": staffing(rng),
        "strategic_goals": sorted(rng.sample(V.GOALS_2023, rng.randint(0, 3)))
        if form == 2021 else [],
        "sachverhalt": " ".join(s.format(topic=short) for s in rng.sample(V.SACHVERHALT, 3)),
        "attachments_listed": rng.sample(V.ATTACHMENTS, rng.randint(0, 2)),
        "spatial_reference": rng.choice(SPATIAL) if rng.random() < 0.3 else None,
        "styles": {"amount": rng.choice(["euro", "eur", "teur", "tsd"])},
        "layout": {"font": rng.choice(["Helvetica", "Times-Roman"]),
                   "margin": rng.choice([56.7, 62.0, 70.9]),
                   "leading": rng.choice([1.25, 1.35, 1.5]), "size": rng.choice([10, 10.5, 11])},
    }


def new_version(rng: random.Random, paper: dict, suffix: str, kind: str) -> dict:
    """A later version of the same base reference with changed resolution text."""
    version = dict(paper, version_suffix=suffix, document_kind=kind,
                   resolution_items=[dict(i) for i in paper["resolution_items"]])
    version["reference"] = f"{paper['reference']}-{suffix}"
    version["date"] = (date.fromisoformat(paper["date"]) + timedelta(days=21)).isoformat()
    first = version["resolution_items"][0]
    if "vorzulegen" in first["text"]:
        first["text"] = first["text"].replace("vorzulegen", "bis Ende des Jahres vorzulegen", 1)
    else:
        first["text"] += " Dabei sind die Stadtbezirksbeiräte zu beteiligen."
    return version


def _tri(rng) -> bool | None:
    return rng.choice([True, False, False, None])


def form_2021_fields(paper: dict, rng: random.Random) -> None:
    """Occasion, tax sub-questions and the climate page (2021+ form only), drawn from their
    own random stream so the rest of a seed's papers stay as they were."""
    if paper["form"] != 2021:
        paper.update(occasion=None, climate_impact=None)
        paper["financial_impact"]["tax_details"] = None
        return
    ticked = [rng.choice(V.OCCASIONS)] if rng.random() < 0.9 else []
    other = f"Petition VII-P-{rng.randint(1000, 9999):05d}" if "Sonstiges" in ticked else None
    paper["occasion"] = {"ticked": ticked, "other_text": other}
    paper["financial_impact"]["tax_details"] = {
        "entrepreneurial_activity": _tri(rng), "vat_liable": _tri(rng),
        "vat_clause_in_contracts": _tri(rng)}
    significant = rng.random() < 0.3
    pick = lambda options: rng.choice(options + [None]) if rng.random() < 0.15 \
        else rng.choice(options)  # noqa: E731
    paper["climate_impact"] = {
        "energy_sources": pick(V.ENERGY), "reduces_consumption": pick(V.SAME),
        "stores_co2": pick(V.SAME), "mitigates_climate_effects": pick(V.SAME),
        "significant_relevance": significant,
        "no_assessable_impact": None if significant else True,
        "considers_climate_decisions": pick(V.CLIMATE_DECISIONS),
        "ghg_emissions": f"{rng.choice([120, 1250, 48])} t/a" if significant else None,
        "documented_in": rng.choice(["Anlage 3", "Kapitel 4 der Vorlage"]) if significant else None,
        "submitted_with": "Baubeschluss" if significant and rng.random() < 0.5 else None}


def randomise(paper: dict, rng: random.Random) -> None:
    """Domain randomisation: layout, drawing method, titles, wrapping values, grid rows."""
    paper["layout"] = random_layout(rng)
    paper["checkbox_method"] = rng.choice(CHECKBOX_METHODS)
    if rng.random() < 0.3:
        paper["title"], paper["short_topic"] = rng.choice(V.EXTRA_TOPICS)
    # versions of one paper share these dicts; this paper's layout changes its own copy
    paper["financial_impact"] = fin = copy.deepcopy(paper["financial_impact"])
    paper["staffing"] = staff = dict(paper["staffing"])
    if fin["has_follow_up_costs"]:
        year = int(fin["follow_up_lines"][0]["from"]) - 1
        fin["follow_up_lines"] = follow_up_lines(
            rng, year, paper["layout"]["kind_columns"] == "grid")
    if staff["has_staffing_impact"]:
        staff["positions_added"] = rng.choice(V.POSITIONS)
        staff["positions_removed"] = rng.choice([None, "1 VzÄ EG 8 (Registratur)"])


def generate_papers(seed: int = 2018, count: int = 40, randomised: bool = False) -> list[dict]:
    """`count` papers: originals plus Neufassungen, Änderungsanträge and Standpunkte."""
    papers = _generate(seed, count)
    for index, paper in enumerate(papers):
        form_2021_fields(paper, random.Random(f"form2021:{seed}:{index}"))
        if randomised:
            randomise(paper, random.Random(f"layout:{seed}:{index}"))
    return papers


def _generate(seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    kinds = ["Antrag", "Beschlussvorlage", "Antrag", "Informationsvorlage", "Beschlussvorlage"]
    papers: list[dict] = []
    number = 0
    while len(papers) < count:
        paper = base_paper(rng, number, kinds[number % len(kinds)])
        papers.append(paper)
        if paper["document_kind"] == "Antrag" and len(papers) < count and rng.random() < 0.6:
            papers.append(new_version(rng, paper, "NF-01", "Neufassung"))
            if len(papers) < count and rng.random() < 0.5:
                papers.append(new_version(rng, papers[-1], "NF-02", "Neufassung"))
                papers[-1]["reference"] = paper["reference"] + "-NF-02"
            if len(papers) < count and rng.random() < 0.4:
                amendment = new_version(rng, paper, "ÄA-01", "Änderungsantrag")
                amendment["submitted_by"] = rng.choice(
                    [f for f in V.SUBMITTERS_FACTIONS if f != paper["submitted_by"]])
                papers.append(amendment)
        elif paper["document_kind"] == "Antrag" and rng.random() < 0.5:
            standpoint = new_version(rng, paper, "VSP-01", "Verwaltungsstandpunkt")
            standpoint.update(submitted_by="Oberbürgermeister", followers=[])
            paper["followers"] = [standpoint]  # one PDF holding both: a Sammeldokument
        number += 1
    return papers[:count]
