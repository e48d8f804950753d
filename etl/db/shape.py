"""The shape of data/ratsdaten.db, declared once and applied by ensure_db_shape."""

S, N, F = str, int, float  # text, whole number, float

# name: (columns, primary key, foreign keys as (column, other table)) – in creation order.
TABLES = {
    "bodies": ({"id": S, "name": S, "oparl_id": S, "source": S, "profile": S, "licence": S,
                "website": S}, "id", []),
    "legislative_terms": ({"id": S, "body_id": S, "name": S, "start_date": S, "end_date": S},
                          "id", [("body_id", "bodies")]),
    "organizations": ({"id": S, "body_id": S, "name": S, "short_name": S, "classification": S,
                       "organization_type": S, "start_date": S, "end_date": S, "web": S},
                      "id", [("body_id", "bodies")]),
    "persons": ({"id": S, "body_id": S, "name": S, "family_name": S, "given_name": S,
                 "form_of_address": S, "gender": S}, "id", [("body_id", "bodies")]),
    "memberships": ({"id": S, "person_id": S, "organization_id": S, "role": S,
                     "voting_right": N, "start_date": S, "end_date": S}, "id",
                    [("person_id", "persons"), ("organization_id", "organizations")]),
    "meetings": ({"id": S, "body_id": S, "name": S, "start": S, "end": S, "location": S,
                  "organization_id": S, "cancelled": N, "web": S, "modified": S}, "id",
                 [("body_id", "bodies"), ("organization_id", "organizations")]),
    "papers": ({"id": S, "body_id": S, "reference": S, "base_reference": S,
                "version_suffix": S, "name": S, "paper_type": S, "document_kind": S,
                "date": S, "year": N, "submitted_by": S, "submitter_kind": S,
                "spatial_reference": S, "status": S, "main_file_id": S, "web": S,
                "created": S, "modified": S, "deleted": N, "profile": S}, "id",
               [("body_id", "bodies")]),
    "agenda_items": ({"id": S, "meeting_id": S, "number": S, "position": N, "name": S,
                      "public": N, "result": S, "resolution_text": S, "paper_id": S}, "id",
                     [("meeting_id", "meetings"), ("paper_id", "papers")]),
    "consultations": ({"id": S, "paper_id": S, "meeting_id": S, "agenda_item_id": S,
                       "committee": S, "organization_id": S, "role": S, "authoritative": N,
                       "date": S, "position": N, "source": S}, "id",
                      [("paper_id", "papers"), ("meeting_id", "meetings"),
                       ("organization_id", "organizations")]),
    "files": ({"id": S, "paper_id": S, "meeting_id": S, "role": S, "name": S, "file_name": S,
               "mime_type": S,
               "size": N, "sha256": S, "access_url": S, "download_url": S, "created": S,
               "modified": S, "pages": N, "text_layer": N, "ocr_pages": S, "profile": S,
               "status": S, "failure_kind": S, "warnings": S}, "id",
              [("paper_id", "papers"), ("meeting_id", "meetings")]),
    "pages": ({"id": S, "file_id": S, "paper_id": S, "number": N, "text": S, "method": S},
              "id", [("file_id", "files"), ("paper_id", "papers")]),
    "resolution_items": ({"id": S, "paper_id": S, "file_id": S, "position": N, "number": S,
                          "text": S}, "id", [("paper_id", "papers"), ("file_id", "files")]),
    "financial_impacts": ({"paper_id": S, "file_id": S, "has_financial_impact": N,
                           "cheaper_alternatives_checked": N, "consequences_of_rejection": N,
                           "is_investment": N, "has_follow_up_costs": N, "tax_review": N,
                           "tax_entrepreneurial_activity": N, "tax_vat_liable": N,
                           "tax_vat_clause_in_contracts": N, "total_amount_eur": F,
                           "extra": S}, "paper_id",
                          [("paper_id", "papers"), ("file_id", "files")]),
    "budget_lines": ({"id": S, "paper_id": S, "file_id": S, "position": N, "budget": S,
                      "kind": S, "year_from": S, "year_to": S, "amount_eur": F,
                      "budget_position": S}, "id", [("paper_id", "papers"), ("file_id", "files")]),
    "follow_up_lines": ({"id": S, "paper_id": S, "file_id": S, "position": N, "scope": S,
                         "item": S, "kind": S, "year_from": S, "year_to": S,
                         "amount_eur_per_year": F, "budget_position": S}, "id",
                        [("paper_id", "papers"), ("file_id", "files")]),
    "money_lines": ({"id": S, "paper_id": S, "file_id": S, "source": S, "direction": S,
                     "budget": S, "kind": S, "year_from": N, "year_to": N, "amount_eur": F,
                     "per_year": N, "budget_position": S}, "id",
                    [("paper_id", "papers"), ("file_id", "files")]),
    "staffing_effects": ({"paper_id": S, "file_id": S, "has_staffing_impact": N,
                          "positions_added": S, "fte_added": F, "grade_added": S,
                          "positions_removed": S, "fte_removed": F, "grade_removed": S,
                          "staff_council_involved": N}, "paper_id",
                         [("paper_id", "papers"), ("file_id", "files")]),
    "climate_impacts": ({"paper_id": S, "file_id": S, "relevant": N, "direction": S,
                         "extent": S, "source_form": S, "energy_sources": S,
                         "reduces_consumption": S, "stores_co2": S,
                         "mitigates_climate_effects": S, "significant_relevance": N,
                         "no_assessable_impact": N, "considers_climate_decisions": S,
                         "ghg_emissions": S, "documented_in": S, "submitted_with": S},
                        "paper_id", [("paper_id", "papers"), ("file_id", "files")]),
    "occasions": ({"paper_id": S, "file_id": S, "ticked": S, "other_text": S}, "paper_id",
                  [("paper_id", "papers"), ("file_id", "files")]),
    "strategic_goals": ({"id": S, "paper_id": S, "file_id": S, "goal": S}, "id",
                        [("paper_id", "papers"), ("file_id", "files")]),
    "sections": ({"id": S, "paper_id": S, "file_id": S, "position": N, "heading": S,
                  "text": S, "page": N}, "id", [("paper_id", "papers"), ("file_id", "files")]),
    "extracted_tables": ({"id": S, "paper_id": S, "file_id": S, "page": N, "bbox": S,
                          "flavor": S, "accuracy": F, "whitespace": F, "n_rows": N,
                          "n_cols": N}, "id", [("paper_id", "papers"), ("file_id", "files")]),
    "extracted_table_cells": ({"id": S, "table_id": S, "row": N, "col": N, "text": S}, "id",
                              [("table_id", "extracted_tables")]),
    "provenance": ({"id": S, "paper_id": S, "file_id": S, "field": S, "value": S, "page": N,
                    "x0": F, "y0": F, "x1": F, "y1": F, "method": S, "confidence": F}, "id",
                   [("paper_id", "papers"), ("file_id", "files")]),
    "votes": ({"id": S, "paper_id": S, "file_id": S, "agenda_item": S, "page": N, "result": S,
               "votes_yes": N, "votes_no": N, "votes_abstain": N, "text": S}, "id",
              [("paper_id", "papers"), ("file_id", "files")]),
    "paper_versions": ({"paper_id": S, "base_reference": S, "version_suffix": S,
                        "version_order": N, "previous_paper_id": S, "diff": S,
                        "version_role": S, "is_current": N}, "paper_id",
                       [("paper_id", "papers")]),
    "failures": ({"id": S, "body_id": S, "file_id": S, "sha256": S, "url": S, "stage": S,
                  "kind": S, "message": S, "seconds": F, "max_rss_mb": F}, "id", []),
    "build_info": ({"key": S, "value": S}, "key", []),
}

FTS = {
    "papers": ["reference", "name", "submitted_by"],
    "pages": ["text"],
    "sections": ["heading", "text"],
}
FTS_TOKENIZE = "unicode61 remove_diacritics 0"
# Trigram indexes beside the word indexes, so that parts of compounds are found
# ("Planung" in "Sozialplanung"). Over titles always; over the full text only on
# request: on the Karlsruhe archive it is 2.5 times the text (650 MB of 1.7 GB).
TRIGRAM = {"papers_trigram": ("papers", ["reference", "name", "submitted_by"])}
FULL_TEXT_TRIGRAM = {"pages_trigram": ("pages", ["text"])}

EXTRA_INDEXES = [
    ("papers", ["base_reference"]),
    ("papers", ["date"]),
    ("papers", ["year"]),
    ("papers", ["submitted_by"]),
    ("papers", ["submitter_kind"]),
    ("money_lines", ["direction", "year_from"]),
    ("paper_versions", ["base_reference"]),
    ("consultations", ["committee"]),
    ("files", ["sha256"]),
]


# The paper that counts, once per Drucksache: the newest of an original and its
# Neufassungen; an Änderungsantrag or Verwaltungsstandpunkt is its own paper, marked.
# Papers deleted at the source are left out. Every query that sums or counts uses it.
VIEWS = {
    "current_papers": """select p.*, coalesce(v.version_role, 'original') as version_role,
  case when v.version_role = 'amendment' then 1 else 0 end as is_amendment,
  coalesce(v.version_order, 0) as version_order
from papers p left join paper_versions v on v.paper_id = p.id
where coalesce(v.is_current, 1) = 1 and coalesce(p.deleted, 0) = 0""",
}


def ensure_db_shape(db) -> None:
    """Create every table, foreign-key index, extra index and view that is missing."""
    for name, (columns, pk, foreign_keys) in TABLES.items():
        db[name].create(columns, pk=pk, if_not_exists=True,
                        foreign_keys=[(col, other, _pk_of(other)) for col, other in foreign_keys])
        for col, _other in foreign_keys:
            db[name].create_index([col], if_not_exists=True)
    for table, cols in EXTRA_INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)


def enable_search(db, full_text_trigram: bool = False) -> None:
    for table, columns in FTS.items():
        db[table].enable_fts(columns, fts_version="FTS5", tokenize=FTS_TOKENIZE, replace=True,
                             create_triggers=False)
    trigram = dict(TRIGRAM, **(FULL_TEXT_TRIGRAM if full_text_trigram else {}))
    for name, (table, columns) in trigram.items():
        db.execute(f"DROP TABLE IF EXISTS [{name}]")
        db.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({', '.join(columns)}, "
                   f"content=[{table}], tokenize='trigram')")
        db.execute(f"INSERT INTO [{name}]([{name}]) VALUES('rebuild')")


def _pk_of(table: str) -> str:
    return TABLES[table][1]
