"""Profiles beyond Leipzig: Karlsruhe on real texts, generic on real Erlangen PDFs, votes."""

import pytest

from etl.extract import extract_bytes
from etl.profiles.votes import vote_in

from conftest import corpus_path


@pytest.mark.slow
def test_karlsruhe_sample_is_recognised_and_mostly_complete():
    corpus_path("karlsruhe", "file_texts.jsonl.gz")
    from bench.karlsruhe_coverage import run

    report = run(size=34, seed=3, labels=False)
    assert report["sample"] == 34
    assert "layout not recognised (profile generic)" not in report["patterns"]
    assert "ja/nein tick read wrong" not in report["patterns"]
    assert report["complete"] / report["sample"] >= 0.5, report


def test_karlsruhe_2016_0111_lernfabrik():
    """The 2016 form: four amount columns, PSP element and account type."""
    import gzip
    import json

    from etl.samples.textpdf import text_to_pdf

    path = corpus_path("karlsruhe", "file_texts.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = next(json.loads(line)["text"] for line in fh
                    if '"https://web1.karlsruhe.de/oparl/bodies/0001/files/591442"' in line)
    result = extract_bytes(text_to_pdf(text))
    assert result["file"]["profile"] == "karlsruhe"
    assert result["paper"]["reference"] == "2016/0111"
    assert result["paper"]["document_kind"] == "Beschlussvorlage"
    assert result["paper"]["submitted_by"] == "Dez. 3"
    assert [c["committee"] for c in result["consultations"]] == ["Hauptausschuss", "Gemeinderat"]
    extra = result["financial_impact"]["extra"]
    assert extra["total_cost_eur"] == 965000.0 and extra["total_income_eur"] == 494000.0
    assert extra["city_funding_eur"] == 471000.0 and extra["annual_cost_eur"] == 0.0
    assert extra["account_object"] == "7.400001.700.821.74" and extra["account_type"] == "78310000"
    assert "Lernfabrik" in result["resolution_items"][0]["text"]


@pytest.mark.parametrize("text, expected", [
    ("Der Stadtteilbeirat stimmt einstimmig dafür, dass die Leiter finanziert wird.",
     ("einstimmig", None, None, None)),
    ("Abstimmungsergebnis: Ja 12 Nein 3 Enthaltung 1", ("angenommen", 12, 3, 1)),
    ("Der Antrag wurde mit 7:9 Stimmen abgelehnt.", ("abgelehnt", 7, 9, None)),
    ("Der Beschluss wurde mehrheitlich gefasst.", ("mehrheitlich", None, None, None)),
    ("Wir gehen einstimmig davon aus, dass es regnet.", None),
    ("Der Antrag wurde bereits im Bauausschuss am 12.03.2021 abgelehnt.", None),
    ("Der Ortschaftsrat hatte den Antrag mit 3:8 Stimmen abgelehnt.", None),
    ("Im Bauausschuss am 12.03. wurde der Antrag einstimmig abgelehnt.", None),
    ("Die Verwaltung teilt mit, dass der Antrag einstimmig beschlossen wurde.", None),
    ("Der Antrag wurde abgelehnt.", ("abgelehnt", None, None, None)),
])
def test_vote_sentences(text, expected):
    vote = vote_in(text)
    assert (vote and (vote["result"], vote["yes"], vote["no"], vote["abstain"])) == expected


def test_erlangen_niederschrift_votes_per_agenda_item():
    path = corpus_path("erlangen",
                       "SBR__2021-10-27_Niederschrift_Niederschrift_3_Sitzung_Buechenbach.pdf")
    result = extract_bytes(path.read_bytes())
    assert result["file"]["profile"] == "generic"
    assert result["paper"]["document_kind"] == "Niederschrift"
    votes = result["extra"]["votes"]
    assert votes[0]["agenda_item"] == "TOP 4: Klimabudget" and votes[0]["result"] == "einstimmig"
    assert any(s["heading"].startswith("TOP 2") for s in result["sections"])


def test_erlangen_einladung_sections_split_at_agenda_items():
    path = corpus_path("erlangen", "SBR__2020-01-22_Einladung_Einladung_-oeffentlich-.pdf")
    result = extract_bytes(path.read_bytes())
    assert result["paper"]["document_kind"] == "Einladung"
    assert len(result["sections"]) >= 3


@pytest.mark.slow
def test_erlangen_soziales_wohnen_tables_are_found_with_their_quality():
    path = corpus_path("erlangen", "SBR__2021-10-27_Anhang_Soziales_Wohnen_in_Buechenbach.pdf")
    result = extract_bytes(path.read_bytes(), tables=True)
    tables = result["tables"]
    assert {t["page"] for t in tables} <= {4, 5} and tables
    for table in tables:
        assert table["flavor"] == "lattice" and table["accuracy"] >= 50
        assert len(table["rows"]) >= 2 and table["bbox"][0] < table["bbox"][2]


def test_leipzig_form_grids_are_not_tables_again(sample_dir):
    result = extract_bytes((sample_dir / "files" / "0001.pdf").read_bytes(), tables=True)
    assert result["financial_impact"]["budget_lines"] and result["tables"] == []


def test_profiles_are_found_by_scanning_the_package():
    from etl import profiles
    from etl.profiles import leipzig_form

    assert list(profiles.PROFILES)[0] == "generic"
    assert {"generic", "leipzig", "karlsruhe"} <= set(profiles.PROFILES)
    assert all(profiles.is_profile(m) for m in profiles.PROFILES.values())
    assert not profiles.is_profile(leipzig_form)  # a helper with fill() but no score()
    assert "form" not in profiles.PROFILES and "votes" not in profiles.PROFILES
    assert "Gesamtkosten der" in profiles.form_markers("karlsruhe")
    assert profiles.form_markers("generic") == ()
