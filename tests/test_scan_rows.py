"""Scanned tax sub-questions whose answer came from something that was no box of theirs
(issue #13, round 12): tuning papers of family 8771, scanned as the benchmark scans them."""

import pytest

from etl.pdf.tesseract import tesseract_available
from tests.benchmark_papers import benchmark_scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")


@needs_tesseract
def test_8771_013_a_faint_glyph_box_and_the_next_rows_ticked_one(tmp_path):
    """150 dpi, shadowed glyph boxes: the region's threshold lost the empty box left of
    'nein' and kept the ticked one of the row below, so both answers read ticked. The
    page-wide box search found the right box, level with the word."""
    result, truth = benchmark_scan(tmp_path, 8771, 13, pages=(0, 1))
    assert result["financial_impact"]["tax_details"] == truth["financial_impact"]["tax_details"]
    assert result["financial_impact"]["tax_details"]["entrepreneurial_activity"] is True
    assert not any("ticked" in w for w in result["file"]["warnings"])


@needs_tesseract
def test_8771_006_a_letter_taken_for_a_box_right_of_an_option(tmp_path):
    """150 dpi Courier, boxes right of their options: the 's' of 'siehe' in 'ja,
    Erläuterung siehe Punkt 4' was found as a ticked box right of 'Erläuterung'. A box
    with a word right after it and no space is a letter."""
    result, truth = benchmark_scan(tmp_path, 8771, 6, pages=(0, 2))
    assert result["financial_impact"]["tax_details"] == truth["financial_impact"]["tax_details"]
    assert result["financial_impact"]["tax_details"]["entrepreneurial_activity"] is False


@needs_tesseract
def test_8771_032_a_closed_letter_of_a_word_ocr_lost_is_no_box(tmp_path):
    """200 dpi, boxes right of their options: OCR lost 'ja' of 'wenn ja', and the box
    search right of 'wenn' took its 'a' for a ticked box – 'both boxes ticked'. The box
    the page-wide search found in that place is the option's."""
    result, truth = benchmark_scan(tmp_path, 8771, 32, pages=(0, 2))
    assert result["financial_impact"]["tax_review"] is truth["financial_impact"]["tax_review"]
    assert result["financial_impact"]["tax_review"] is False
    assert not any("ticked" in w for w in result["file"]["warnings"])


@needs_tesseract
def test_8771_019_a_label_over_three_lines_at_wide_leading(tmp_path):
    """300 dpi: 'Reduziert / bestehenden / Energie-/Ressourcenverbrauch', 17 pt apart, its
    first words read 5 pt tall: the lines were taken for paragraphs apart and the question
    went unread. A line counts at least an 8 pt font's height."""
    result, truth = benchmark_scan(tmp_path, 8771, 19, pages=(0, 4))
    assert result["climate_impact"]["reduces_consumption"] == "Aussage nicht möglich"
    assert result["climate_impact"]["reduces_consumption"] == truth["climate_impact"][
        "reduces_consumption"]


@needs_tesseract
def test_9957_185_a_letter_of_a_split_goal_is_no_box(tmp_path):
    """200 dpi Courier: the box finder took the 's' of 'Leistungsfähige' for a small box,
    OCR read the goal 'Lei tungsfähige', and the goal found from 'tungsfähige' on had
    that 's' as its ticked box. A box with a word ending right before it is a letter."""
    result, truth = benchmark_scan(tmp_path, 9957, 185, pages=(0, 2))
    assert result["strategic_goals"] == truth["strategic_goals"] == []


@needs_tesseract
def test_9958_123_034_amounts_with_a_stop_for_a_comma_or_a_space(tmp_path):
    """150 dpi: '250.000,00 €' read '250.000.00 €'; 300 dpi: '5 T€' read '5.T€'. Neither
    parsed, and the budget line lost its amount."""
    result, truth = benchmark_scan(tmp_path, 9958, 123, pages=(0, 1))
    assert [b["amount_eur"] for b in result["financial_impact"]["budget_lines"]] == [250000.0]
    result, truth = benchmark_scan(tmp_path, 9958, 34, pages=(0, 1))
    assert result["financial_impact"]["budget_lines"] == truth["financial_impact"]["budget_lines"]


@needs_tesseract
@pytest.mark.parametrize(("seed", "index"), [(9958, 170), (9957, 128)])
def test_9958_170_9957_128_a_decimal_comma_lost_is_a_tenth_of_the_sum(tmp_path, seed, index):
    """300 dpi '2,5 T€' read '25T€' (ten times the sum); 150 dpi read '235T€' (a
    hundredfold). The pixels show a comma after one digit; a reading of the cell again
    with a comma there is taken."""
    result, truth = benchmark_scan(tmp_path, seed, index, pages=(0, 1))
    got = [b["amount_eur"] for b in result["financial_impact"]["budget_lines"]]
    assert 2500.0 in got
    assert got == [b["amount_eur"] for b in truth["financial_impact"]["budget_lines"]]


def budget_amounts(result: dict) -> list:
    return [line["amount_eur"] for line in result["financial_impact"]["budget_lines"]]


def true_amounts(truth: dict) -> list:
    return [line["amount_eur"] for line in truth["financial_impact"]["budget_lines"]]


@needs_tesseract
@pytest.mark.parametrize("index,unit_lost", [(137, "1.250 for 1.250 T€"),
                                             (45, "12,5 for 12,5 T€")])
def test_9959_amount_whose_unit_ocr_lost(tmp_path, index, unit_lost):
    """240 and 150 dpi: the page pass read the number without its 'T€' – a thousandth of
    the sum. The cell read again to the next column has the unit."""
    result, truth = benchmark_scan(tmp_path, 9959, index)
    assert budget_amounts(result) == true_amounts(truth), unit_lost
    assert budget_amounts(result)[-1] in (1250000.0, 12500.0)


@needs_tesseract
def test_9959_089_a_speck_before_an_amount(tmp_path):
    """200 dpi: '‚12.500 EUR' was no amount."""
    result, truth = benchmark_scan(tmp_path, 9959, 89)
    assert budget_amounts(result) == true_amounts(truth) == [150000.0, 12500.0]


@needs_tesseract
def test_9959_114_a_lost_cell_read_without_its_comma(tmp_path):
    """150 dpi: the page pass lost the cell '2,5 T€', which read again alone as '25TE€';
    the pixels show a comma after one digit, and a reading with room beside the rules
    has it."""
    result, truth = benchmark_scan(tmp_path, 9959, 114)
    assert budget_amounts(result) == true_amounts(truth) == [2500.0, 150000.0]


@needs_tesseract
def test_9958_073_a_header_word_glued_to_the_next(tmp_path):
    """240 dpi: the header read 'Höhe inEUR woveranschlagt'; without 'wo' no column was
    placed and both rows were lost."""
    result, truth = benchmark_scan(tmp_path, 9958, 73, pages=(0, 1, 2))
    budget_lines = result["financial_impact"]["budget_lines"]
    assert budget_lines == truth["financial_impact"]["budget_lines"]
    assert [line["amount_eur"] for line in budget_lines] == [1250000.0, 12500.0]


@needs_tesseract
def test_9958_078_the_header_found_from_the_line_above(tmp_path):
    """150 dpi, grid split over pages 2 and 3, 'von' and 'wo' lost: the header was found
    starting a line early, 'veranschlagt' taken for a wrapped cell's line start, and
    'PSP' for part of each amount."""
    result, truth = benchmark_scan(tmp_path, 9958, 78, pages=(0, 1, 2))
    budget_lines = result["financial_impact"]["budget_lines"]
    assert budget_lines == truth["financial_impact"]["budget_lines"]
    assert {line["budget_position"] for line in budget_lines} == {"PSP 7.0001734.705.100"}


@needs_tesseract
def test_9958_152_specks_under_a_rows_years(tmp_path):
    """240 dpi, JPEG 40: specks under '2023 [2025' read 'Be lem' beside the position's
    second line, and both years were lost."""
    result, truth = benchmark_scan(tmp_path, 9958, 152, pages=(0, 1, 2))
    budget_lines = result["financial_impact"]["budget_lines"]
    assert budget_lines == truth["financial_impact"]["budget_lines"]
    assert (budget_lines[1]["from"], budget_lines[1]["to"]) == ("2023", "2025")


@needs_tesseract
def test_9958_121_an_option_word_read_again_with_a_letter_misread(tmp_path):
    """150 dpi, blur, JPEG 40: the page pass lost 'nein' beside its ticked box, and the
    line read again gave 'mein': one letter from the option's word, taken as it."""
    result, truth = benchmark_scan(tmp_path, 9958, 121, pages=(0, 1))
    assert result["financial_impact"]["has_financial_impact"] is False
    assert truth["financial_impact"]["has_financial_impact"] is False
    assert not any("has_financial_impact" in w for w in result["file"]["warnings"])


@needs_tesseract
@pytest.mark.parametrize("index,read", [(79, "EG %b)"), (104, "EG 9%)"), (80, "2 Vz&"),
                                        (179, "(Sozialplanung;)")])
def test_9959_a_staffing_position_with_a_mark_misread(tmp_path, index, read):
    """150 and 200 dpi: a pay grade's digit or letter read as '%' (read again, taken when
    it is a grade from EG 1 to 15), 'VzÄ' read 'Vz&', a speck before a bracket."""
    result, truth = benchmark_scan(tmp_path, 9959, index, pages=(0, 1, 2))
    assert result["staffing"]["positions_added"] == truth["staffing"]["positions_added"], read


@needs_tesseract
def test_9960_050_a_pay_grade_read_as_a_dollar(tmp_path):
    """150 dpi, JPEG 40: 'Vorgesehener Stellenabbau: 1 VzÄ EG $ (Registratur)'."""
    result, truth = benchmark_scan(tmp_path, 9960, 50, pages=(0, 1, 2))
    assert result["staffing"]["positions_removed"] == "1 VzÄ EG 8 (Registratur)"
    assert result["staffing"]["positions_removed"] == truth["staffing"]["positions_removed"]
