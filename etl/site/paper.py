"""Everything the paper page shows, gathered with :named queries."""

import json
import re
from typing import Any

from etl.site.pages import columns_of, has_table

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


# The text of the main file's pages, as far as PAGE_TEXT_CHARS go: a 3,000-page budget plan
# (or a hostile PDF) passed the 8 MB a query may return, and its paper page was an error.
PAGE_TEXT_CHARS = 1_000_000
PAGES_SQL = """select number, text, method from (select number, text, method,
    sum(length(text)) over (order by number rows unbounded preceding) as upto
    from pages where file_id = :f) where upto <= :n order by number"""


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
    data: dict[str, Any] = {
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
        "consultations": steps(await _rows(
            db, "select c.*, m.start as meeting_start, m.name as meeting_name, "
                "a.result, a.number as agenda_number from consultations c "
                "left join meetings m on m.id = c.meeting_id "
                "left join agenda_items a on a.id = c.agenda_item_id where c.paper_id = :id "
                "order by c.position, c.source", p)),
        "files": await _rows(
            db, "select * from files where paper_id = :id order by role desc, id", p),
        "pages": await _rows(db, PAGES_SQL, {"f": paper["main_file_id"], "n": PAGE_TEXT_CHARS}),
        "pages_total": (await _one(db, "select count(*) as n from pages where file_id = :f",
                                   {"f": paper["main_file_id"]}) or {}).get("n", 0),
        "versions": await _versions(db, paper),
    }
    data.update(await _new_fields(db, paper))
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
    """Every paper with the same base reference (versions, amendments, statements)."""
    if not paper["base_reference"]:
        return []
    rows = await _rows(db, """select p.id as paper_id, v.version_order, v.diff, p.reference,
        p.date, coalesce(p.document_kind, p.paper_type) as document_kind, p.submitted_by
        from papers p left join paper_versions v on v.paper_id = p.id
        where p.base_reference = :base and p.body_id = :body
        order by v.version_order is null, v.version_order, p.date, p.reference""",
                       {"base": paper["base_reference"], "body": paper["body_id"]})
    for row in rows:
        diff = json.loads(row["diff"]) if row["diff"] else {}
        row["diff_runs"] = diff.get("resolution") or diff.get("sections") or []
        row["changed"] = any(op != "=" for op, _w in row["diff_runs"])
    return rows if len(rows) > 1 else []


def _committee_key(name: str | None) -> str:
    return re.sub(r"\W+", "", (name or "").lower())


def steps(rows: list[dict]) -> list[dict]:
    """One row per Beratungsfolge step: OParl and cover sheet name the same step twice;
    the OParl row (meeting, result) wins, the cover sheet's planned date fills gaps."""
    merged: dict[tuple, dict] = {}
    for row in sorted(rows, key=lambda r: r["source"] != "oparl"):
        key = (_committee_key(row["committee"]), _committee_key(row["role"]))
        loose = next((k for k in merged if k[0] == key[0] and (not k[1] or not key[1])), None)
        match = key if key in merged else loose
        if match:
            step = merged[match]
            for field in ("date", "role", "meeting_id", "organization_id", "result"):
                step[field] = step.get(field) or row.get(field)
            continue
        merged[key] = dict(row)
    result = list(merged.values())
    for step in result:
        step["when"] = step.get("meeting_start") or step.get("date")
    return sorted(result, key=lambda r: (r["when"] or "9999", r["position"] or 0))


async def _new_fields(db, paper: dict) -> dict:
    """Fields the money model adds (occasions, climate impact, tax, spatial reference) –
    shown when the database has them, silently absent when it does not."""
    p = {"id": paper["id"]}
    found: dict[str, Any] = {"occasion": None, "climate": None, "tax": None, "votes": [],
             "spatial_reference": paper.get("spatial_reference")}
    if await has_table(db, "votes"):  # results read from minutes
        found["votes"] = await _rows(db, "select * from votes where paper_id = :id "
                                         "order by file_id, page, id", p)
    if await has_table(db, "occasions"):
        found["occasion"] = await _one(db, "select * from occasions where paper_id = :id", p)
        if found["occasion"] and found["occasion"].get("ticked"):
            try:
                found["occasion"]["ticked"] = json.loads(found["occasion"]["ticked"])
            except (TypeError, ValueError):
                found["occasion"]["ticked"] = [found["occasion"]["ticked"]]
    if await has_table(db, "climate_impacts"):
        found["climate"] = await _one(db, "select * from climate_impacts where paper_id = :id", p)
    tax_columns = sorted(c for c in await columns_of(db, "financial_impacts")
                         if c.startswith("tax_") and c != "tax_review")
    if tax_columns:
        row = await _one(db, "select {} from financial_impacts where paper_id = :id".format(
            ", ".join(f"[{c}]" for c in tax_columns)), p)
        found["tax"] = [(TAX_LABELS.get(c, c), v) for c, v in (row or {}).items()]
    return found


TAX_LABELS = {"tax_entrepreneurial_activity": "Unternehmerische Tätigkeit (steuerlich)",
              "tax_vat_liable": "Umsatzsteuerpflichtig",
              "tax_vat_clause_in_contracts": "Umsatzsteuerklausel in Verträgen"}
CLIMATE_SKIP = {"paper_id", "file_id", "relevant", "direction", "extent", "source_form"}
