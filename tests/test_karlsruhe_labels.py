"""Every field of the Karlsruhe form, scored against files labelled by hand.

The labels (tests/data/karlsruhe_labels.jsonl: file ids and expected values) were
written by reading the texts, not by running this code. Each text is read in place
from ../shared/corpus/karlsruhe, rendered to a PDF and extracted as the pipeline does.
"""

import pytest

from bench.karlsruhe_coverage import LABELS, label_texts, read_labels, score_labels

from conftest import corpus_path


@pytest.fixture(scope="session")
def labelled():
    corpus_path("karlsruhe", "file_texts.jsonl.gz")
    labels = read_labels(LABELS)
    texts = label_texts()  # one pass over the archive per test session
    missing = [lb["file_id"] for lb in labels if lb["file_id"] not in texts]
    assert not missing, f"labelled files not in the corpus: {missing[:5]}"
    return labels, texts


@pytest.fixture(scope="session")
def report(labelled):
    return score_labels(*labelled)


def test_labels_cover_at_least_100_files_of_every_generation(labelled):
    labels, _texts = labelled
    assert len(labels) >= 100
    years = {label["year"] for label in labels if label.get("year")}
    assert min(years) <= 2012 and max(years) >= 2024


@pytest.mark.slow
def test_hand_labelled_fields_are_read_right(report):
    low = {f: round(v["accuracy"], 3) for f, v in report["per_field"].items()
           if v["accuracy"] < 0.90}
    assert report["accuracy"] >= 0.97, (report["accuracy"], report["wrong"][:20])
    assert not low, (low, report["wrong"][:20])


@pytest.mark.slow
def test_results_follow_the_contract_and_the_agreed_keys(labelled, report, validate):
    labels, _texts = labelled
    for label in labels:
        result = report["results"][label["file_id"]]
        validate(result)
        fin, fields = result["financial_impact"], label["fields"]
        assert result["file"]["profile"] == "karlsruhe", label["file_id"]
        kind = fields.get("measure_kind")
        if kind and fin["extra"].get("measure_kind") == kind:
            assert fin["is_investment"] is (fields["measure_kind"] == "Investition")
        if (fields.get("total_cost") or {}).get("eur") == fin["extra"].get("total_cost_eur") and \
                fin["extra"].get("total_cost_eur") is not None:
            totals = [ln["amount_eur"] for ln in fin["budget_lines"]
                      if ln["kind"] == "Gesamtkosten"]
            assert totals == [fields["total_cost"]["eur"]]
        if fin["extra"].get("annual_cost_eur") is not None:
            assert [ln["amount_eur_per_year"] for ln in fin["follow_up_lines"]
                    if ln["kind"] == "Folgekosten"] == [fin["extra"]["annual_cost_eur"]]
        assert not {"income_eur", "annual_burden_eur", "isek_relevant"} & set(fin["extra"])
