"""The Karlsruhe financial block, read the same whichever way its boxes are drawn."""

import pytest

from bench.karlsruhe_coverage import label_texts, read_labels
from etl.extract import extract_bytes
from etl.samples.textpdf import text_to_pdf

from conftest import corpus_path

OLD_FORM = """Finanzielle Auswirkungen (bitte ankreuzen)
nein
X
ja
Gesamtkosten der
Maßnahme
Einzahlungen/Erträge
(Zuschüsse u. Ä.)
Finanzierung durch
städtischen Haushalt
Jährliche laufende Belastung
(Folgekosten mit kalkulatori-
schen Kosten abzügl. Folgeer-
träge und Folgeeinsparungen)
69.174.700 € brutto
58.130.000 € netto
- 69.174.700 € brutto
58.130.000 € netto
3.010.700 € brutto
2.530.000 € netto
Haushaltsmittel stehen in voller Höhe zur Verfügung
Kontierungsobjekt: PSP-Element:    7.888405.700        Kontenart: 78710000
ISEK-Karlsruhe-2020-relevant
nein
X
ja
Handlungsfeld: Sozialer Zusammenhalt und Bildung
Anhörung Ortschaftsrat (§ 70 Abs. 1 GemO)
X
nein
ja durchgeführt am
Abstimmung mit städtischen Gesellschaften
X
nein
ja abgestimmt mit
"""
HEADER = "Vorlage Nr.: 2016/0999\nVerantwortlich: Dez. 6\nDienststelle: TBA\n"


@pytest.mark.parametrize("method", ["text", "vector"])
def test_older_form_columns_dashes_brutto_netto_and_lone_ticks(method):
    fin = extract_bytes(text_to_pdf(HEADER + OLD_FORM, method=method))["financial_impact"]
    extra = fin["extra"]
    assert fin["has_financial_impact"] is True and fin["is_investment"] is None
    assert (extra["total_cost_eur"], extra["total_income_eur"], extra["city_funding_eur"],
            extra["annual_cost_eur"]) == (69174700.0, None, 69174700.0, 3010700.0)
    assert (extra["iq_relevant"], extra["local_council_hearing"],
            extra["municipal_companies_consulted"]) == (True, False, False)
    assert extra["corridor_topic"] == "Sozialer Zusammenhalt und Bildung"
    assert extra["budget_available"] is True and extra["account_type"] == "78710000"
    assert [(ln["kind"], ln["amount_eur"]) for ln in fin["budget_lines"]] == [
        ("Gesamtkosten", 69174700.0)]  # Finanzierung is part of it: never a second line
    assert [ln["amount_eur_per_year"] for ln in fin["follow_up_lines"]] == [3010700.0]


@pytest.fixture(scope="module")
def newer_forms():
    corpus_path("karlsruhe", "file_texts.jsonl.gz")
    labels = [lb for lb in read_labels()[:40] if lb["fields"].get("co2_relevant")
              and lb["fields"].get("measure_kind")][:3]
    assert labels, "no labelled newer form with CO2 and measure kind"
    return labels, label_texts()


@pytest.mark.slow
def test_boxes_as_letters_or_strokes_read_the_same(newer_forms):
    labels, texts = newer_forms
    for label in labels:
        as_letter = extract_bytes(text_to_pdf(texts[label["file_id"]]))
        as_strokes = extract_bytes(text_to_pdf(texts[label["file_id"]], method="vector"))
        assert as_letter["financial_impact"] == as_strokes["financial_impact"]
        extra = as_strokes["financial_impact"]["extra"]
        assert extra["measure_kind"] == label["fields"]["measure_kind"]
        assert extra["co2_direction"] == label["fields"]["co2_direction"]
        fields = {p["field"] for p in as_strokes["provenance"]}
        assert {"financial_impact.is_investment", "financial_impact.extra.co2_relevant"} <= fields
