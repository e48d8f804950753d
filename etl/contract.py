"""The extraction contract (../shared/spec/extraction.md): an empty result to fill in."""

from typing import Any

from . import SCHEMA_VERSION

PAPER_FIELDS = ("body_hint", "document_kind", "reference", "base_reference", "version_suffix",
                "status", "submitted_by", "title", "spatial_reference")
FINANCIAL_TRISTATES = ("has_financial_impact", "cheaper_alternatives_checked",
                       "consequences_of_rejection", "is_investment", "has_follow_up_costs",
                       "tax_review")
STAFFING_FIELDS = ("has_staffing_impact", "positions_added", "positions_removed",
                   "staff_council_involved")


def empty_result(sha256: str, size: int, pages: int) -> dict:
    """A schema-valid result with nothing found yet."""
    financial: dict[str, Any] = {name: None for name in FINANCIAL_TRISTATES}
    financial.update(budget_lines=[], follow_up_lines=[], tax_details=None)
    return {
        "schema_version": SCHEMA_VERSION,
        "file": {"sha256": sha256, "size": size, "pages": pages, "text_layer": True,
                 "ocr_pages": [], "profile": "generic", "warnings": []},
        "paper": {name: None for name in PAPER_FIELDS},
        "consultations": [],
        "resolution_items": [],
        "financial_impact": financial,
        "occasion": None,          # the 2021+ form's "Anlass der Vorlage"
        "climate_impact": None,    # the 2021+ form's "Klimawirkung" page
        "staffing": {name: None for name in STAFFING_FIELDS},
        "strategic_goals": [],
        "pages": [],
        "sections": [],
        "attachments_listed": [],
        "tables": [],
        "provenance": [],
    }


def add_provenance(result: dict, field: str, page: int, bbox, method: str,
                   confidence: float) -> None:
    result["provenance"].append({
        "field": field, "page": page, "bbox": [round(float(v), 1) for v in bbox],
        "method": method, "confidence": round(float(confidence), 3),
    })


def clean_text(value: str | None) -> str | None:
    """The contract never uses an empty string for missing."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None
