"""Every field of the Karlsruhe form, scored against files labelled by hand.

The labels (tests/data/karlsruhe_labels.jsonl: file ids and expected values) were
written by reading the texts, not by running this code. Each text is read in place
from ../shared/corpus/karlsruhe, rendered to a PDF and extracted as the pipeline does.
"""

import pytest

from bench.karlsruhe_coverage import LABELS, read_labels, score_labels, texts_by_id
from conftest import corpus_path


@pytest.fixture(scope="session")
def labelled():
    corpus_path("karlsruhe", "file_texts.jsonl.gz")
    labels = read_labels(LABELS)
    texts = texts_by_id({label["file_id"] for label in labels})
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


def test_hand_labelled_fields_are_read_right(report):
    low = {f: round(v["accuracy"], 3) for f, v in report["per_field"].items()
           if v["accuracy"] < 0.90}
    assert report["accuracy"] >= 0.97, (report["accuracy"], report["wrong"][:20])
    assert not low, (low, report["wrong"][:20])


def test_measure_kind_sets_is_investment_and_amounts_become_lines(labelled):
    labels, texts = labelled
    from bench.karlsruhe_coverage import extract_text

    label = next(lb for lb in labels if lb["fields"].get("measure_kind") == "Investition"
                 and (lb["fields"].get("total_cost") or {}).get("eur"))
    fin = extract_text(texts[label["file_id"]])["financial_impact"]
    assert fin["is_investment"] is True and fin["extra"]["measure_kind"] == "Investition"
    total = next(line for line in fin["budget_lines"] if line["kind"] == "Gesamtkosten")
    assert total["amount_eur"] == label["fields"]["total_cost"]["eur"]
