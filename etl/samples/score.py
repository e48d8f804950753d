"""Field-by-field scoring of extraction results against the generator's truth."""

from collections import defaultdict
from typing import Any

PAPER_FIELDS = ("body_hint", "document_kind", "reference", "version_suffix", "status",
                "submitted_by", "title")
TRISTATES = ("has_financial_impact", "cheaper_alternatives_checked", "consequences_of_rejection",
             "is_investment", "has_follow_up_costs", "tax_review")
CLIMATE = ("energy_sources", "reduces_consumption", "stores_co2", "mitigates_climate_effects",
           "significant_relevance", "no_assessable_impact", "considers_climate_decisions",
           "ghg_emissions", "documented_in", "submitted_with")
STAFFING = ("has_staffing_impact", "positions_added", "positions_removed",
            "staff_council_involved")


def expected_fields(truth: dict) -> dict:
    """The truth in the shape of field name -> expected value."""
    fin, staff = truth["financial_impact"], truth["staffing"]
    fields = {f"paper.{k}": truth[k] for k in PAPER_FIELDS}
    fields["consultations"] = truth["consultations"]
    fields["resolution_items"] = truth["resolution_items"]
    fields.update({f"financial_impact.{k}": fin[k] for k in TRISTATES})
    fields["financial_impact.budget_lines"] = fin["budget_lines"]
    fields["financial_impact.follow_up_lines"] = fin["follow_up_lines"]
    fields.update({f"staffing.{k}": staff[k] for k in STAFFING})
    fields["strategic_goals"] = sorted(truth["strategic_goals"])
    fields["financial_impact.tax_details"] = fin.get("tax_details")
    fields["occasion"] = truth.get("occasion")
    fields.update({f"climate_impact.{k}": (truth.get("climate_impact") or {}).get(k)
                   for k in CLIMATE})
    fields["attachments_listed"] = truth["attachments_listed"]
    return fields


def actual_fields(result: dict) -> dict:
    fields = {}
    for name in expected_fields_template():
        section, _, key = name.partition(".")
        value: Any = (result[section] or {}).get(key) if key else result[section]
        fields[name] = sorted(value) if name == "strategic_goals" else value
    return fields


def expected_fields_template() -> list[str]:
    return ([f"paper.{k}" for k in PAPER_FIELDS] + ["consultations", "resolution_items"]
            + [f"financial_impact.{k}" for k in TRISTATES]
            + ["financial_impact.budget_lines", "financial_impact.follow_up_lines"]
            + [f"staffing.{k}" for k in STAFFING] + ["strategic_goals", "attachments_listed"]
            + ["financial_impact.tax_details", "occasion"]
            + [f"climate_impact.{k}" for k in CLIMATE])


def score(result: dict, truth: dict) -> dict[str, bool]:
    expected, actual = expected_fields(truth), actual_fields(result)
    return {name: _normalise(actual[name]) == _normalise(expected[name]) for name in expected}


def _normalise(value):
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in sorted(value.items())}
    return value


def summarise(scores: list[tuple[str | list[str], dict[str, bool]]]) -> dict:
    """Accuracy overall, per field and per group (e.g. checkbox method; a paper may count
    in several groups, one per variation it shows)."""
    per_field, per_group = defaultdict(list), defaultdict(list)
    for groups, fields in scores:
        for name, ok in fields.items():
            per_field[name].append(ok)
            for group in [groups] if isinstance(groups, str) else groups:
                per_group[group].append(ok)
    every = [ok for _g, fields in scores for ok in fields.values()]
    return {"accuracy": sum(every) / max(len(every), 1), "fields": len(every),
            "per_field": {k: sum(v) / len(v) for k, v in sorted(per_field.items())},
            "per_group": {k: sum(v) / len(v) for k, v in sorted(per_group.items())}}
