"""A scan's header line whose reference OCR garbled past every pattern (issue #13, round
12): without the header the Leipzig reader read nothing of the paper; and the Beratungsfolge's
dates (round 13). Held-out papers of families 9956 and 9959, studied after their
measurement, scanned as the benchmark scans them."""

import pytest

from etl.pdf.tesseract import tesseract_available
from etl.profiles import leipzig, leipzig_reference
from etl.profiles.consultdates import out_of_step
from tests.benchmark_papers import benchmark_scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")


@needs_tesseract
def test_9956_061_hyphen_touching_the_numeral_read_as_a_letter(tmp_path):
    """150 dpi: 'Beschlussvorlage-Nr. VIFDS-08273' – the hyphen touched the second I and
    OCR read both as 'F'. The line is still the header; kind and number end the
    reference, the numeral's strokes left of the hyphen's pixels name it."""
    result, truth = benchmark_scan(tmp_path, 9956, 61)
    paper = result["paper"]
    assert (paper["reference"], paper["document_kind"]) == ("VII-DS-08273", "Beschlussvorlage")
    assert (paper["title"], paper["submitted_by"]) == (truth["title"], truth["submitted_by"])
    assert result["consultations"] == truth["consultations"]
    assert not result["file"]["warnings"]


@needs_tesseract
def test_9956_046_a_reading_again_with_an_unknown_kind_is_refused(tmp_path):
    """150 dpi: 'VIi-Ifo-08196'; read again, 'VI-f-08196' had the shape of a reference but
    no kind Leipzig uses. The page's own reading keeps kind and number, the numeral is
    read from its letters (i, I: strokes)."""
    result, _ = benchmark_scan(tmp_path, 9956, 46)
    assert result["paper"]["reference"] == "VII-Ifo-08196"
    assert not leipzig_reference.known_reference("VI-f-08196")
    assert leipzig_reference.known_reference("VII-Ifo-08196")


def test_a_header_line_with_any_reference_is_the_header():
    for line in ("Beschlussvorlage-Nr. VIFDS-08273", "Antrag-Nr. VII-A- 8035-AA- 1",
                 "Neufassung Nr. ??-08273"):
        assert leipzig.GARBLED_HEADER.match(line) is not None, line
    for line in ("Beschlussvorlage", "Status: öffentlich", "Nr. VII-DS-08273"):
        assert leipzig.GARBLED_HEADER.match(line) is None, line


@needs_tesseract
def test_9956_113_kind_with_a_small_i_and_a_garbled_unit(tmp_path):
    """150 dpi: 'informationsvorlage-Nr. VIl-Ifo-08546' – the capital I read small; the
    paper lost every field. On its climate page 'Berechnete THG-Emissionen 1250 t/a' read
    '1250Va_': a number with marks that are no unit is read again with its unit's room."""
    result, truth = benchmark_scan(tmp_path, 9956, 113, pages=(0, 4))
    paper = result["paper"]
    assert (paper["reference"], paper["document_kind"]) == ("VII-Ifo-08546", "Informationsvorlage")
    assert paper["title"] == truth["title"]
    assert result["climate_impact"]["ghg_emissions"] == "1250 t/a"


@needs_tesseract
def test_8771_029_version_suffix_read_with_doubled_digits(tmp_path):
    """200 dpi Courier bold: 'Neufassung Nr. VII-A-08140-NF-01' read '…-NF-O01l' on the
    page and the same again black and white; the gray crop reads 'NF-Ol', two marks for
    Leipzig's two version digits."""
    result, _ = benchmark_scan(tmp_path, 8771, 29)
    assert (result["paper"]["reference"], result["paper"]["version_suffix"]) == (
        "VII-A-08140-NF-01", "NF-01")


def test_version_suffix_digits_as_ocr_reads_them():
    assert leipzig_reference.suffix_of("VII-A-08140-NF-Ol", "VII-A-08140") == "NF-01"
    assert leipzig_reference.suffix_of("VII-A-08140-ÄA-02", "VII-A-08140") == "ÄA-02"
    assert leipzig_reference.suffix_of("VII-A-08140-NF-O01l", "VII-A-08140") is None
    assert leipzig_reference.suffix_of("VII-A-08141-NF-01", "VII-A-08140") is None


def test_9957_049_suffix_letters_as_leipzig_writes_them():
    """150 dpi: 'VII-A-08259-ÄA-01' read '…-AA-01'. No Leipzig suffix is 'AA'; 'AW' is."""
    assert leipzig.reference_of({"ref": "VII-A-08259-AA-01"}) == "VII-A-08259-ÄA-01"
    assert leipzig.reference_of({"ref": "VII-A-08259-AW-01"}) == "VII-A-08259-AW-01"
    assert leipzig.reference_of({"ref": "VII-A-08259"}) == "VII-A-08259"


@needs_tesseract
def test_9957_040_a_speck_above_the_body_line_is_no_body(tmp_path):
    """200 dpi, JPEG 40: a speck in the top corner read 'yıl' came first above the header
    and was taken as the body's name."""
    result, _ = benchmark_scan(tmp_path, 9957, 40)
    assert result["paper"]["body_hint"] == "Ratsversammlung"


@needs_tesseract
def test_9957_117_a_speck_after_sonstiges_is_no_text(tmp_path):
    """240 dpi: a speck right of the empty 'Sonstiges' option read 'go' and became the
    occasion's other text. Fewer than three letters or digits on a scan are no text."""
    result, truth = benchmark_scan(tmp_path, 9957, 117)
    assert result["occasion"] == truth["occasion"]
    assert result["occasion"]["other_text"] is None


def test_a_date_out_of_step_with_its_neighbours():
    dates = ["2023-11-27", "2021-12-04", "2021-12-11", "2021-12-25"]
    assert out_of_step(dates, 0)  # after the date below it, and two years apart
    assert out_of_step(dates, 1)  # before the date above it: read again, but stays
    assert not out_of_step(["2021-12-20", "2022-01-10", None, "2022-01-24"], 1)
    assert out_of_step(["2021-04-13", "2021-04-27", "3202-05-21"], 2)
    assert not out_of_step(["2021-10-23", "2021-10-28"], 0)  # a day misread that fits


@needs_tesseract
@pytest.mark.parametrize("index,misread", [(21, "27.11.2023 among 2021's dates"),
                                           (170, "21.05.3202 for 11.05.2021")])
def test_9959_a_consultation_date_misread_at_300_dpi(tmp_path, index, misread):
    """300 dpi: a digit of a date misread; read again, it fits between its neighbours."""
    result, truth = benchmark_scan(tmp_path, 9959, index)
    assert result["consultations"] == truth["consultations"], misread
    assert {c["date"][:4] for c in result["consultations"]} == {"2021"}


@needs_tesseract
def test_9960_059_a_month_no_calendar_has(tmp_path):
    """300 dpi: '19.41.2021' was stored as the date 2021-41-19; no date now, so read
    again, and the reading fits between its neighbours."""
    result, truth = benchmark_scan(tmp_path, 9960, 59)
    assert result["consultations"] == truth["consultations"]
    assert all(c["date"][5:7] in ("10", "11", "12") for c in result["consultations"])
