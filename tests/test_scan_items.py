"""Scanned Beschlussvorschlag items whose numbers, heading or words OCR lost (issue #13,
round 13): papers of held-out family 9959, spent, scanned as the benchmark scanned them."""

import pytest

from etl.pdf.tesseract import tesseract_available
from etl.profiles import lexicon
from etl.profiles.spelling import one_slip_mended
from tests.benchmark_papers import benchmark_scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
needs_words = pytest.mark.skipif(not lexicon.available(),
                                 reason="no German word list (apt-get install wngerman)")


def numbers(result: dict) -> list:
    return [item["number"] for item in result["resolution_items"]]


@needs_tesseract
def test_9959_029_items_1_and_2_before_the_first_number_read(tmp_path):
    """150 dpi: OCR lost '1.' and read '2.' as 'D'; the items began at '3.' and items 1
    and 2 were dropped as text before them."""
    result, truth = benchmark_scan(tmp_path, 9959, 29)
    assert numbers(result) == ["1", "2", "3"]
    assert result["resolution_items"] == truth["resolution_items"]


@needs_tesseract
def test_9959_104_an_item_number_read_with_a_semicolon(tmp_path):
    """150 dpi: OCR lost '3.' before 'Die für das Vorhaben …'; the margin read again says
    '3;', which is item 3's number, and the item no longer runs into item 2."""
    result, truth = benchmark_scan(tmp_path, 9959, 104)
    assert numbers(result) == ["1", "2", "3"]
    assert result["resolution_items"][2] == truth["resolution_items"][2]
    assert result["resolution_items"][0]["text"] == truth["resolution_items"][0]["text"]


@needs_tesseract
def test_9959_052_the_heading_read_beschlussvorschlaeg(tmp_path):
    """150 dpi, JPEG 40: 'Beschlussvorschläg:' was no heading, so the items were lost and
    ran into the last committee's name."""
    result, truth = benchmark_scan(tmp_path, 9959, 52)
    assert numbers(result) == ["1", "2"]
    assert result["consultations"][-1]["committee"] == "Ratsversammlung"
    assert result["consultations"] == truth["consultations"]


@needs_tesseract
def test_9959_080_a_letter_every_reading_got_wrong(tmp_path):
    """150 dpi: 'perscnellen' read the same from every image variant; one OCR slip ('c'
    for 'o') makes it a listed word."""
    result, truth = benchmark_scan(tmp_path, 9959, 80)
    assert "personellen" in result["resolution_items"][0]["text"]
    assert result["resolution_items"] == truth["resolution_items"]


@needs_tesseract
def test_9959_106_m_read_as_ni(tmp_path):
    """150 dpi: 'zum Thenia Rädverkehr'. The compound's umlaut stays: only a listed word
    is taken, and 'Radverkehr' is a compound of two."""
    result, truth = benchmark_scan(tmp_path, 9959, 106)
    assert "zum Thema R" in result["resolution_items"][2]["text"]
    assert result["resolution_items"][:2] == truth["resolution_items"][:2]


@needs_words
def test_one_slip_mends_only_into_a_listed_word():
    assert one_slip_mended("perscnellen") == "personellen"
    assert one_slip_mended("Thenia") == "Thema"
    assert one_slip_mended("„Bebauungsplän“") == "„Bebauungsplan“"
    assert one_slip_mended("Schuie,") == "Schule,"
    # a compound is no listed word; a small word keeps its umlaut; 'rn' stays 'rn'
    assert one_slip_mended("Schätzwerte") is None
    assert one_slip_mended("flächen") is None
    assert one_slip_mended("dern") is None
    assert one_slip_mended("Leipzig") is None
    assert one_slip_mended("personellen") is None


@needs_tesseract
def test_9958_115_a_colon_before_a_small_word_read_again(tmp_path):
    """200 dpi, JPEG 40: 'zum Thema Trinkwasser: zur Kenntnis' – a speck read as a colon
    before a lower-case word; read again, the word has none."""
    result, truth = benchmark_scan(tmp_path, 9958, 115)
    assert result["resolution_items"][2]["text"].endswith("Trinkwasser zur Kenntnis.")
    assert result["resolution_items"] == truth["resolution_items"]


@needs_tesseract
def test_9960_174_a_closing_quote_read_twice(tmp_path):
    """150 dpi: 'das Vorhaben „Radverkehr““ im Doppelhaushalt'."""
    result, truth = benchmark_scan(tmp_path, 9960, 174)
    assert "„Radverkehr“ im" in result["resolution_items"][1]["text"]
    assert result["resolution_items"] == truth["resolution_items"]
