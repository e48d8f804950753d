"""Everything the paper page shows, gathered with :named queries."""

import json

from .files import stored_pdf

FORM_QUESTIONS = [
    ("financial", "has_financial_impact", "Finanzielle Auswirkungen"),
    ("financial", "cheaper_alternatives_checked", "Kostengünstigere Alternativen geprüft"),
    ("financial", "consequences_of_rejection", "Folgen bei Ablehnung"),
    ("financial", "is_investment", "Investition (aktivierungspflichtig)"),
    ("financial", "has_follow_up_costs", "Folgekosten oder Einsparungen"),
    ("financial", "tax_review", "Steuerrechtliche Prüfung"),
    ("staffing", "has_staffing_impact", "Auswirkungen auf den Stellenplan"),
    ("staffing", "staff_council_involved", "Beteiligung Personalrat"),
]
SECTION_OF = {"financial": "financial_impact", "staffing": "staffing"}
EXTRA_LABELS = {  # the stable keys of financial_impact.extra (city forms), in German
    "total_cost_eur": "Gesamtkosten der Maßnahme (EUR)", "income_eur": "Einzahlungen/Erträge (EUR)",
    "city_funding_eur": "Finanzierung durch städtischen Haushalt (EUR)",
    "annual_burden_eur": "Jährliche laufende Belastung (EUR)",
    "annual_income_eur": "Jährlicher Ertrag (EUR)", "not_quantifiable": "derzeit nicht bezifferbar",
    "amounts_unassigned": "Beträge ohne eindeutige Spalte (EUR)",
    "account_object": "Kontierungsobjekt", "account_type": "Kontenart",
    "budget_available": "Haushaltsmittel", "explanations": "Ergänzende Erläuterungen",
    "isek_relevant": "ISEK/Masterplan relevant", "iq_relevant": "IQ-relevant",
    "local_council_hearing": "Anhörung Ortschaftsrat",
    "municipal_companies_consulted": "Abstimmung mit städtischen Gesellschaften",
}


async def _rows(db, sql: str, params: dict) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def _one(db, sql: str, params: dict) -> dict | None:
    rows = await _rows(db, sql, params)
    return rows[0] if rows else None


async def load_paper(db, paper_id: str, local_files: bool = False) -> dict | None:
    """The paper page's data; provenance links go to /-/file/… when the server has the
    PDFs (local_files), else to the council's own file URL."""
    p = {"id": paper_id}
    paper = await _one(db, "select * from papers where id = :id", p)
    if paper is None:
        return None
    main = await _one(db, "select * from files where id = :id", {"id": paper["main_file_id"]})
    provenance = await _rows(db, "select * from provenance where paper_id = :id order by id", p)
    data = {
        "paper": paper,
        "main_file": main,
        "financial": await _one(db, "select * from financial_impacts where paper_id = :id", p),
        "staffing": await _one(db, "select * from staffing_effects where paper_id = :id", p),
        "budget_lines": await _rows(db, "select * from budget_lines where paper_id = :id "
                                        "order by position", p),
        "follow_up_lines": await _rows(db, "select * from follow_up_lines where paper_id = :id "
                                           "order by position", p),
        "goals": [r["goal"] for r in await _rows(
            db, "select goal from strategic_goals where paper_id = :id order by id", p)],
        "resolution_items": await _rows(db, "select * from resolution_items where paper_id = :id "
                                            "order by position", p),
        "consultations": await _rows(
            db, "select c.*, coalesce(c.date, substr(m.start, 1, 10)) as date from consultations c "
                "left join meetings m on m.id = c.meeting_id where c.paper_id = :id "
                "order by c.source desc, c.position", p),
        "files": await _rows(db, "select * from files where paper_id = :id order by role desc, id", p),
        "pages": await _rows(db, "select number, text, method from pages where file_id = :f "
                                 "order by number", {"f": paper["main_file_id"]}),
        "versions": await _versions(db, paper),
    }
    extra = json.loads((data["financial"] or {}).get("extra") or "{}")
    data["extra"] = [(EXTRA_LABELS.get(k, k), v) for k, v in extra.items() if v not in (None, [])]
    sources = _by_field(provenance, _pdf_url(main, local_files))
    data["questions"] = _questions(data, sources)
    data["line_sources"] = sources
    for file in data["files"]:
        file["url"] = _pdf_url(file, local_files)
    return data


def _pdf_url(file: dict | None, local_files: bool) -> str | None:
    if not file:
        return None
    if local_files and file.get("sha256") and stored_pdf(file["sha256"]):  # not pruned
        return f"/-/file/{file['sha256']}.pdf"
    url = file.get("access_url") or file.get("download_url")
    return url if url and url.startswith(("http://", "https://")) else None


def _by_field(provenance: list[dict], url: str | None) -> dict[str, dict]:
    return {row["field"]: dict(row, link=f"{url}#page={row['page']}" if url else None)
            for row in provenance}


def _questions(data: dict, sources: dict) -> list[dict]:
    rows = []
    for group, key, label in FORM_QUESTIONS:
        record = data[group] or {}
        value = record.get(key)
        rows.append({"label": label, "value": value,
                     "source": sources.get(f"{SECTION_OF[group]}.{key}")})
    return rows


async def _versions(db, paper: dict) -> list[dict]:
    if not paper["base_reference"]:
        return []
    rows = await _rows(db, """select v.*, p.reference, p.date, p.document_kind from paper_versions v
        join papers p on p.id = v.paper_id where v.base_reference = :base
        order by v.version_order""", {"base": paper["base_reference"]})
    for row in rows:
        diff = json.loads(row["diff"]) if row["diff"] else {}
        row["diff_runs"] = diff.get("resolution") or diff.get("sections") or []
        row["changed"] = any(op != "=" for op, _w in row["diff_runs"])
    return rows if len(rows) > 1 else []
