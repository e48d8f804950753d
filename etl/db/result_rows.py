"""Rows for the tables that come from one file's extraction result (the contract)."""

from ..contract import FINANCIAL_TRISTATES
from .money import climate_row, money_rows, occasion_row, staff_numbers, value_at
from .rows import dumps

# The site reads no value over 256 kB (plugins/limits_memory.py): a longer section is stored
# as consecutive parts, a longer page (only a hostile PDF has one) cut with a mark.
MAX_TEXT_CHARS = 60_000  # at most 240 kB even if every character took 4 bytes
CUT_MARK = " […]"

TAX_COLUMNS = {"tax_entrepreneurial_activity": "entrepreneurial_activity",
               "tax_vat_liable": "vat_liable",
               "tax_vat_clause_in_contracts": "vat_clause_in_contracts"}


def result_rows(result: dict, paper_id: str | None, file_id: str,
                is_main: bool) -> dict[str, list]:
    """table name -> rows; the cover-sheet tables only from a paper's main file."""
    rows: dict[str, list] = {
        "pages": [{"id": f"{file_id}#p{p['number']}", "file_id": file_id, "paper_id": paper_id,
                   "number": p["number"], "text": _cut(p["text"]), "method": p["method"]}
                  for p in result["pages"]],
        "sections": [{"id": f"{file_id}#s{i}", "paper_id": paper_id, "file_id": file_id,
                      "position": i, "heading": s["heading"], "text": s["text"],
                      "page": s["page"]} for i, s in enumerate(in_parts(result["sections"]))],
    }
    rows.update(_table_rows(result, paper_id, file_id))
    rows["votes"] = [{"id": f"{file_id}#vote{i}", "paper_id": paper_id, "file_id": file_id,
                      "agenda_item": v["agenda_item"], "page": v["page"], "result": v["result"],
                      "votes_yes": v["yes"], "votes_no": v["no"], "votes_abstain": v["abstain"],
                      "text": v["text"]}
                     for i, v in enumerate(result.get("extra", {}).get("votes", []))]
    if is_main and paper_id is not None:  # a meeting's own files have no paper
        rows.update(_cover_sheet_rows(result, paper_id, file_id))
    return rows


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS - len(CUT_MARK)] + CUT_MARK


def in_parts(sections: list[dict]) -> list[dict]:
    """Sections no longer than MAX_TEXT_CHARS, a long one split at a line or word break
    into parts headed "<heading> (Fortsetzung 2)", … – all of its text kept."""
    parts = []
    for section in sections:
        text, number = section["text"] or "", 1
        while True:
            piece, text = _head(text)
            heading = section["heading"] if number == 1 else \
                f"{section['heading'] or ''} (Fortsetzung {number})".strip()
            parts.append(dict(section, heading=heading, text=piece))
            if not text:
                break
            number += 1
    return parts


def _head(text: str) -> tuple[str, str]:
    if len(text) <= MAX_TEXT_CHARS:
        return text, ""
    cut = max(text.rfind("\n", 0, MAX_TEXT_CHARS), text.rfind(" ", 0, MAX_TEXT_CHARS))
    cut = cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS
    return text[:cut].rstrip(), text[cut:].lstrip()


def _cover_sheet_rows(result: dict, paper_id: str, file_id: str) -> dict[str, list]:
    fin, staffing = result["financial_impact"], result["staffing"]
    amounts = [line["amount_eur"] for line in fin["budget_lines"] if line["amount_eur"]]
    rows = {
        "resolution_items": [{"id": f"{paper_id}#r{i}", "paper_id": paper_id, "file_id": file_id,
                              "position": i, "number": item["number"], "text": item["text"]}
                             for i, item in enumerate(result["resolution_items"])],
        "budget_lines": [{"id": f"{paper_id}#b{i}", "paper_id": paper_id, "file_id": file_id,
                          "position": i, "budget": line["budget"], "kind": line["kind"],
                          "year_from": line["from"], "year_to": line["to"],
                          "amount_eur": line["amount_eur"],
                          "budget_position": line["budget_position"]}
                         for i, line in enumerate(fin["budget_lines"])],
        "follow_up_lines": [{"id": f"{paper_id}#f{i}", "paper_id": paper_id, "file_id": file_id,
                             "position": i, "scope": line["scope"], "item": line["item"],
                             "kind": line["kind"], "year_from": line["from"],
                             "year_to": line["to"],
                             "amount_eur_per_year": line["amount_eur_per_year"],
                             "budget_position": line["budget_position"]}
                            for i, line in enumerate(fin["follow_up_lines"])],
        "strategic_goals": [{"id": f"{paper_id}#g{i}", "paper_id": paper_id, "file_id": file_id,
                             "goal": goal} for i, goal in enumerate(result["strategic_goals"])],
        "provenance": [_provenance_row(i, p, result, paper_id, file_id)
                       for i, p in enumerate(result["provenance"])],
        "money_lines": money_rows(fin, paper_id, file_id),
    }
    tax = fin.get("tax_details") or {}
    if (any(fin[name] is not None for name in FINANCIAL_TRISTATES) or fin["budget_lines"]
            or fin.get("extra") or any(v is not None for v in tax.values())):
        rows["financial_impacts"] = [{
            "paper_id": paper_id, "file_id": file_id,
            **{name: _int(fin[name]) for name in FINANCIAL_TRISTATES},
            **{column: _int(tax.get(key)) for column, key in TAX_COLUMNS.items()},
            "total_amount_eur": round(sum(amounts), 2) if amounts else None,
            "extra": dumps(fin["extra"]) if fin.get("extra") else None}]
    if any(v is not None for v in staffing.values()):
        rows["staffing_effects"] = [_staffing_row(staffing, paper_id, file_id)]
    for table, row in (("climate_impacts", climate_row(result, paper_id, file_id)),
                       ("occasions", occasion_row(result, paper_id, file_id))):
        if row is not None:
            rows[table] = [row]
    if result["consultations"]:
        rows["consultations"] = [{
            "id": f"{paper_id}#c{i}", "paper_id": paper_id, "meeting_id": None,
            "agenda_item_id": None, "committee": c["committee"], "organization_id": None,
            "role": c["role"], "authoritative": None, "date": c["date"], "position": i,
            "source": "cover_sheet"} for i, c in enumerate(result["consultations"])]
    return rows


def _staffing_row(staffing: dict, paper_id: str, file_id: str) -> dict:
    fte_added, grade_added = staff_numbers(staffing["positions_added"])
    fte_removed, grade_removed = staff_numbers(staffing["positions_removed"])
    return {"paper_id": paper_id, "file_id": file_id,
            "has_staffing_impact": _int(staffing["has_staffing_impact"]),
            "positions_added": staffing["positions_added"], "fte_added": fte_added,
            "grade_added": grade_added, "positions_removed": staffing["positions_removed"],
            "fte_removed": fte_removed, "grade_removed": grade_removed,
            "staff_council_involved": _int(staffing["staff_council_involved"])}


def _table_rows(result: dict, paper_id: str | None, file_id: str) -> dict[str, list]:
    tables, cells = [], []
    for i, table in enumerate(result["tables"]):
        table_id = f"{file_id}#t{i}"
        rows = table["rows"]
        tables.append({"id": table_id, "paper_id": paper_id, "file_id": file_id,
                       "page": table["page"], "bbox": dumps(table["bbox"]),
                       "flavor": table["flavor"], "accuracy": table.get("accuracy"),
                       "whitespace": table.get("whitespace"), "n_rows": len(rows),
                       "n_cols": max((len(r) for r in rows), default=0)})
        cells += [{"id": f"{table_id}:{r}:{c}", "table_id": table_id, "row": r, "col": c,
                   "text": text} for r, row in enumerate(rows) for c, text in enumerate(row)]
    return {"extracted_tables": tables, "extracted_table_cells": cells}


def _provenance_row(i: int, p: dict, result: dict, paper_id: str, file_id: str) -> dict:
    """With the value as read: given by the extractor, else looked up at its field."""
    x0, y0, x1, y1 = p["bbox"]
    found, read = (True, p["value"]) if "value" in p else value_at(result, p["field"])
    return {"id": f"{file_id}#v{i}", "paper_id": paper_id, "file_id": file_id,
            "field": p["field"], "value": dumps(read) if found else None,
            "page": p["page"], "x0": x0, "y0": y0, "x1": x1, "y1": y1, "method": p["method"],
            "confidence": p["confidence"]}


def paper_updates(result: dict) -> dict:
    """What the cover sheet adds to the paper row (only where OParl left a gap)."""
    paper = result["paper"]
    return {"document_kind": paper["document_kind"], "submitted_by": paper["submitted_by"],
            "status": paper["status"], "reference": paper["reference"],
            "base_reference": paper["base_reference"],
            "version_suffix": paper["version_suffix"], "name": paper["title"],
            "spatial_reference": paper.get("spatial_reference"),
            "profile": result["file"]["profile"]}


def _int(item) -> int | None:
    return None if item is None else int(item)
