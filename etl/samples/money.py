"""Papers with known money, as extraction results: the truth for the money model's tests.

The Leipzig-style specs of papers.py (versions, Dezernate and factions, income and
spending over several years) with what they lack for money – Neufassungen that change
the amounts, staff positions as numbers, 2021+ contract fields – plus Karlsruhe papers
whose amounts sit in `financial_impact.extra`. `contract_result` turns a spec into the
extractor's output without a PDF, so the database side is tested on its own.
"""

import copy
import hashlib
import json
import random
from pathlib import Path

from .. import EXTRACTOR_VERSION, SCHEMA_VERSION
from ..contract import FINANCIAL_TRISTATES, STAFFING_FIELDS
from ..state import now_iso, open_state, pack_result, register_body
from .papers import generate_papers

OPARL = "https://schema.oparl.org/1.1/"
STAFF_TEXTS = ["1,0 VzÄ EG 11 Sachbearbeitung Klimaschutz", "0,5 VzÄ EG 9a",
               "2 VzÄ Sachbearbeitung (EG 9b) und 1,5 VzÄ EG 8"]
KARLSRUHE_SUBMITTERS = ["Dezernat 2", "GRÜNE-Gemeinderatsfraktion", "Oberbürgermeister",
                        "CDU-Gemeinderatsfraktion", "Stadtplanungsamt"]


def leipzig_specs(seed: int, count: int) -> list[dict]:
    """papers.py specs; a Neufassung changes every amount (so only the newest may count)."""
    rng = random.Random(seed)
    specs = [copy.deepcopy(s) for s in generate_papers(seed, count)]
    for spec in specs:
        spec["city"] = "leipzig"
        if spec["version_suffix"] and spec["version_suffix"].startswith("NF"):
            factor = 1 + int(spec["version_suffix"][-1]) / 10
            for line in spec["financial_impact"]["budget_lines"]:
                line["amount_eur"] = round(line["amount_eur"] * factor, 2)
            for line in spec["financial_impact"]["follow_up_lines"]:
                line["amount_eur_per_year"] = round(line["amount_eur_per_year"] * factor, 2)
        staffing = spec["staffing"]
        if staffing["has_staffing_impact"]:
            staffing["positions_added"] = rng.choice(STAFF_TEXTS)
            staffing["positions_removed"] = "0,5 VzÄ EG 6" if rng.random() < 0.4 else None
        if spec["form"] == 2021:
            _form_2021(rng, spec)
    return specs


def _form_2021(rng: random.Random, spec: dict) -> None:
    significant = rng.random() < 0.4
    spec["climate_impact"] = {
        "energy_sources": rng.choice(["keine / Aussage nicht möglich", "erneuerbar", "fossil"]),
        "reduces_consumption": "ja" if significant else "Aussage nicht möglich",
        "stores_co2": "Aussage nicht möglich", "mitigates_climate_effects": "nein",
        "significant_relevance": significant, "no_assessable_impact": not significant,
        "considers_climate_decisions": "ja" if significant else None,
        "ghg_emissions": "120 t CO2-Äq./a" if significant else None,
        "documented_in": "Anlage 3" if significant else None, "submitted_with": None}
    spec["occasion"] = {"ticked": rng.sample(["Stadtratsbeschluss", "Verwaltungshandeln",
                                              "Rechtliche Vorschriften"], rng.randint(1, 2)),
                        "other_text": None}
    spec["financial_impact"]["tax_details"] = {
        "entrepreneurial_activity": rng.random() < 0.3, "vat_liable": rng.random() < 0.2,
        "vat_clause_in_contracts": None}


def karlsruhe_specs(seed: int, count: int) -> list[dict]:
    """Karlsruhe papers: half as the new profile writes them (amounts both as contract lines
    and in extra), half with the amounts only in extra (as older results keep them)."""
    rng = random.Random(seed + 1)
    specs: list[dict] = []
    for n in range(count):
        total = float(rng.choice([48000, 125000.5, 2300000, 9800]))
        income = float(rng.choice([0, 15000, 500000])) or None
        annual = float(rng.choice([0, 12000, 3500.25])) or None
        extra = {"total_cost_eur": total, "total_income_eur": income, "annual_cost_eur": annual,
                 "annual_income_eur": None, "measure_kind": rng.choice(
                     ["Investition", "Konsumtive Maßnahme"]), "financing": "nicht budgetiert",
                 "co2_relevant": rng.choice([True, False, None])}
        if extra["co2_relevant"]:
            extra.update(co2_direction=rng.choice(["positiv", "negativ"]),
                         co2_extent=rng.choice(["geringfügig", "erheblich"]))
        lines, follow = [], []
        if n % 2 == 0:
            budget = "Finanzhaushalt" if extra["measure_kind"] == "Investition" else \
                "Ergebnishaushalt"
            lines.append({"budget": budget, "kind": "Gesamtkosten", "from": None, "to": None,
                          "amount_eur": total, "budget_position": None})
            if income:
                lines.append({"budget": budget, "kind": "Einzahlungen", "from": None,
                              "to": None, "amount_eur": income, "budget_position": None})
            if annual:
                follow.append({"scope": "Jährliche laufende Belastung",
                               "item": "Folgekosten abzügl. Folgeerträge und Folgeeinsparungen",
                               "kind": "Folgekosten", "from": None, "to": None,
                               "amount_eur_per_year": annual, "budget_position": None})
        specs.append({
            "city": "karlsruhe", "reference": f"2023/{100 + n:04d}", "version_suffix": None,
            "document_kind": "Beschlussvorlage", "submitted_by": KARLSRUHE_SUBMITTERS[n % 5],
            "title": f"Maßnahme {n} im Stadtgebiet", "date": f"2023-{1 + n % 12:02d}-15",
            "spatial_reference": None, "consultations": [], "resolution_items": [],
            "financial_impact": {
                "has_financial_impact": True, "cheaper_alternatives_checked": None,
                "consequences_of_rejection": None,
                "is_investment": extra["measure_kind"] == "Investition", "budget_lines": lines,
                "has_follow_up_costs": bool(annual), "follow_up_lines": follow,
                "tax_review": None, "extra": extra},
            "staffing": {name: None for name in STAFFING_FIELDS}, "strategic_goals": []})
    return specs


def money_specs(seed: int = 15, leipzig: int = 40, karlsruhe: int = 10) -> list[dict]:
    return leipzig_specs(seed, leipzig) + karlsruhe_specs(seed, karlsruhe)


def contract_result(spec: dict) -> dict:
    """The extractor's output for a paper showing exactly what the spec says."""
    base, _, _ = spec["reference"].partition(f"-{spec['version_suffix']}")
    fin = {name: spec["financial_impact"].get(name) for name in FINANCIAL_TRISTATES}
    fin.update({k: copy.deepcopy(spec["financial_impact"].get(k))
                for k in ("budget_lines", "follow_up_lines", "tax_details", "extra")})
    fin = {k: v for k, v in fin.items() if v is not None or k in FINANCIAL_TRISTATES}
    provenance = [{"field": f"financial_impact.budget_lines[{i}]", "page": 1,
                   "bbox": [56.7, 300.0 + 12 * i, 540.0, 310.0 + 12 * i], "method": "text",
                   "confidence": 0.9} for i in range(len(fin["budget_lines"]))]
    result = {
        "schema_version": SCHEMA_VERSION,
        "file": {"sha256": spec_sha256(spec), "size": 1000, "pages": 1, "text_layer": True,
                 "ocr_pages": [], "profile": spec["city"], "warnings": []},
        "paper": {"body_hint": "Ratsversammlung", "document_kind": spec["document_kind"],
                  "reference": spec["reference"], "base_reference": base,
                  "version_suffix": spec["version_suffix"], "status": "öffentlich",
                  "submitted_by": spec["submitted_by"], "title": spec["title"],
                  "spatial_reference": spec.get("spatial_reference")},
        "consultations": spec["consultations"], "resolution_items": spec["resolution_items"],
        "financial_impact": fin, "staffing": dict(spec["staffing"]),
        "strategic_goals": spec["strategic_goals"],
        "pages": [{"number": 1, "text": spec["title"], "method": "text"}], "sections": [],
        "attachments_listed": [], "tables": [], "provenance": provenance}
    for key in ("occasion", "climate_impact"):
        if key in spec:
            result[key] = copy.deepcopy(spec[key])
    return result


def spec_sha256(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def write_money_state(data_dir: Path, specs: list[dict]):
    """A sync state as if both councils had been synced and every file extracted."""
    state = open_state(Path(data_dir))
    for city in ("leipzig", "karlsruhe"):
        register_body(state, city, city.capitalize(), "oparl", url=f"test:{city}", profile=city)
    for n, spec in enumerate(specs):
        paper_id, file_id = f"test:{spec['city']}/paper/{n}", f"test:{spec['city']}/file/{n}"
        sha = spec_sha256(spec)
        paper = {"id": paper_id, "type": OPARL + "Paper", "reference": spec["reference"],
                 "name": spec["title"], "date": spec["date"],
                 "mainFile": {"id": file_id, "type": OPARL + "File", "name": "Vorlage"}}
        if spec["city"] == "leipzig":
            paper["leipzig:originator"] = spec["submitted_by"]
        state.table("oparl_objects").insert({"id": paper_id, "body": spec["city"], "type": "Paper",
                                       "modified": spec["date"], "deleted": 0,
                                       "json": json.dumps(paper), "fetched_at": now_iso()})
        state.table("stored_files").insert({"file_id": file_id, "body": spec["city"], "sha256": sha,
                                      "path": f"files/{sha}.pdf", "size": 1000,
                                      "stored_at": now_iso()})
        state.table("extractions").insert({"sha256": sha, "extractor_version": EXTRACTOR_VERSION,
                                     "result": pack_result(contract_result(spec)),
                                     "extracted_at": now_iso()})
    return state
