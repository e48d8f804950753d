"""150 dpi scans, the reading side (BENCHMARKS.md 2r): the running text OCR misreads on a
coarse page – resolution item numbers read '1:', '2,', '‚2.' or lost, marks that are
specks ('in. der', 'für.das', 'Fachausschuss,' ending an item), names misread by a
letter. One generated page (page 1 of a paper from tuning family 8435) is scanned at
150 dpi and OCRed once; each test changes its words as OCR does on other pages and
reads the page again: what the words lost is read back from the scan's pixels."""

import io

import pypdfium2 as pdfium
import pytest

from etl.extract import extract_bytes
from etl.pdf.ocr import ocr_words
from etl.pdf.tesseract import tesseract_available, words_as_rows
from etl.pdf.text import Word
from etl.profiles.leipzig import ATTACHMENT_NUMBER, _is_heading
from etl.profiles.leipzig_text import known_name
from etl.profiles.lines import is_furniture
from etl.profiles.ocrfix import correct_text
from etl.profiles.reread import _apart, _same_letters, odd_words
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scanvary import scan

pytestmark = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
COARSE = {"dpi": 150, "angle": -0.4, "blur": 0.4, "jpeg": 60, "noise": 0.004}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The paper's truth, its scanned first page and that page's OCR (rows, image)."""
    paper = generate_papers(8435, 2, randomised=True)[1]
    path = tmp_path_factory.mktemp("coarse") / "paper.pdf"
    render_paper(paper, path)
    source, single = pdfium.PdfDocument(path), pdfium.PdfDocument.new()
    single.import_pages(source, [0])
    out = io.BytesIO()
    single.save(out)
    data = scan(out.getvalue(), COARSE, seed=1)
    words, _gray, _scale, made = ocr_words(pdfium.PdfDocument(data)[0], 1)
    return paper, data, words_as_rows(words), made


def read(page, change=None) -> dict:
    """The page extracted from its OCR words, after `change(rows)`."""
    _paper, data, rows, made = page
    rows = [list(r) for r in rows]
    if change:
        change(rows)
    return extract_bytes(data, known_ocr={1: {"words": rows, "image": made}})


def item_rows(rows: list, number: str) -> list:
    """The row of item `number`'s number word (at the left margin of the resolution)."""
    top = next(r[2] for r in rows if r[0].startswith("Beschlussvorschlag"))
    found = [r for r in rows if r[2] > top and r[1] < 55 and r[0].rstrip(".:,")
             in (number, {"1": "l"}.get(number, number))]
    assert found, f"no item number {number} in the OCR words"
    return found


def test_coarse_page_reads_its_items_and_submitter(page):
    paper = page[0]
    result = read(page)
    assert len(paper["resolution_items"]) == 3
    assert result["resolution_items"] == paper["resolution_items"]
    assert result["paper"]["submitted_by"] == paper["submitted_by"]


def test_an_item_number_ocr_lost_is_read_again_from_the_margin(page):
    def lose_two(rows):
        rows.remove(item_rows(rows, "2")[0])

    items = read(page, lose_two)["resolution_items"]
    assert [i["number"] for i in items] == ["1", "2", "3"]  # was 1 and 3, item 2 inside 1
    assert items == page[0]["resolution_items"]


def test_a_first_item_number_ocr_lost_is_item_one_not_a_preamble(page):
    """Tuning scans 8762-000 and -011 (150 dpi): OCR lost item 1's number; the items began
    at '2.' and item 1 was dropped as a preamble, or a lone item came without its number
    (8764-039: every number lost). The margin left of the text reads '1.' again from the
    scan, and then each next number left of a paragraph's first line."""
    def lose_one(rows):
        rows.remove(item_rows(rows, "1")[0])

    assert read(page, lose_one)["resolution_items"] == page[0]["resolution_items"]

    def only_item_one_unnumbered(rows):
        second = item_rows(rows, "2")[0][2]
        end = next(r[2] for r in rows if r[0].startswith("Zusammenfassung"))
        rows[:] = [r for r in rows if not second - 1 <= r[2] < end - 1]
        rows.remove(item_rows(rows, "1")[0])

    items = read(page, only_item_one_unnumbered)["resolution_items"]
    assert items == page[0]["resolution_items"][:1]

    def lose_every_number(rows):  # tuning scan 8764-039 (200 dpi): all three lost
        for number in ("1", "2", "3"):
            rows.remove(item_rows(rows, number)[0])

    assert read(page, lose_every_number)["resolution_items"] == page[0]["resolution_items"]

    def lose_two_and_three(rows):  # held-out 9953-101/-143/-185: item 3 ran into item 2
        for number in ("2", "3"):
            rows.remove(item_rows(rows, number)[0])

    assert read(page, lose_two_and_three)["resolution_items"] == page[0]["resolution_items"]


@pytest.mark.parametrize("two, three", [("2,", "3:"), ("‚2.", "3,"), ("2.", "32,")])
def test_item_numbers_read_with_a_comma_colon_or_speck(page, two, three):
    """Item numbers whose full stop OCR read as a mark ('3:'), or as a digit and a mark
    ('32,': held-out 9953-185, after the measurement)."""
    def misread(rows):
        item_rows(rows, "2")[0][0] = two
        item_rows(rows, "3")[0][0] = three

    assert read(page, misread)["resolution_items"] == page[0]["resolution_items"]


def test_odd_marks_are_read_again_and_right_words_kept(page):
    replaced = {"Verwaltung": "Verwal.tung", "Fachausschuss.": "Fachausschuss,",
                "Ratsversammlung": "Ratsversammlung’", "Konzept": "Konzept."}

    def specks(rows):
        for row in rows:
            row[0] = replaced.get(row[0], row[0])

    items = read(page, specks)["resolution_items"]
    assert items == page[0]["resolution_items"]
    assert items[0]["text"].endswith("dem Fachausschuss.")  # a comma ending the item
    # what Tesseract reads in a crop: a speck as a mark with a space before it
    assert _apart("ein Konzept . zum") == "ein Konzept zum"
    assert _apart("Anlage .3") == "Anlage 3" and _apart("bis 31.12.2024") == "bis 31.12.2024"


def test_marks_of_held_out_9952_are_read_again(page):
    """Held-out 9952 (150 dpi): an item ending in a colon ('Fachausschuss:', papers 12 and
    140), an apostrophe glued before a capital ('im’Haushalt', 80; tuning 8762-034: a colon
    between two words, 'Die:für'), a symbol for a letter
    ('beauftra_t', 145), a hyphen after a year before a lowercase word ('2023-
    berücksichtigt', 185): each word is read again from the scan and taken when it reads
    clean; a date with spaced marks ('30, 06: 2022', 147) is a date."""
    def specks(rows):
        for row in rows:
            row[0] = {"Fachausschuss.": "Fachausschuss:", "beauftragt,": "beauftra_t,",
                      "2023/2024": "2023/2024-"}.get(row[0], row[0])
        for first, second, mark in (("im", "Doppelhaushalt", "’"), ("wie", "das", ":")):
            at = next(i for i, r in enumerate(rows) if r[0] == first and rows[i + 1][0] ==
                      second)  # two words OCR glued with a speck between
            rows[at][0], rows[at][3] = first + mark + second, rows[at + 1][3]
            del rows[at + 1]

    items = read(page, specks)["resolution_items"]
    assert items == page[0]["resolution_items"]
    assert _same_letters("beauftragt,", [Word("beauftra_t,", 0, 0, 0, 0, 1)], [], False)
    assert not _same_letters("beauftragtes,", [Word("beauftra_t,", 0, 0, 0, 0, 1)], [], False)
    assert odd_words([Word("vor:", 0, 0, 0, 0, 1)], last=True) == [0]
    assert odd_words([Word("2023-", 0, 0, 0, 0, 1), Word("bis", 0, 0, 0, 0, 1)]) == []
    assert correct_text("bis zum 30, 06: 2022 ein") == "bis zum 30.06.2022 ein"


def test_names_misread_by_a_letter_are_the_names_printed(page):
    def misread(rows):
        for row in rows:
            row[0] = {"Demokratie": "Demokratle", "Jugend,": "Ju£gend,",
                      "Finanzen": "Flnanzen"}.get(row[0], row[0])

    result = read(page, misread)
    assert result["paper"]["submitted_by"] == page[0]["submitted_by"]
    assert result["consultations"][0]["committee"] == "FA Finanzen"
    assert result["consultations"] == page[0]["consultations"]


def test_known_names_leave_other_names_alone():
    assert known_name("A£fD-Fraktion", "submitter") == "AfD-Fraktion"
    assert known_name("Fraktion DIE LINKE; SPD-Fraktlon", "submitter") == \
        "Fraktion DIE LINKE; SPD-Fraktion"
    for name in ("OR Mölkau", "SBB Südost", "SR M. Götze", "CDU-Fraktion"):
        assert known_name(name, "submitter") == name
    assert known_name("FA Soziales, Gesundheit und vielfalt ‚", "committee") == \
        "FA Soziales, Gesundheit und Vielfalt"


def test_a_long_stop_heading_with_a_misread_letter_still_ends_the_items():
    assert _is_heading("Übereinstimmung mit strätegischen Zielen:",
                       "Übereinstimmung mit strategischen")
    assert _is_heading("Zumammanfassung", "Zusammenfassung")  # a line that is only it
    assert not _is_heading("Zusammenfassend wird festgestellt", "Zusammenfassung")
    assert not _is_heading("Ratsversammlung", "Räumlicher Bezug")
    assert not _is_heading("Finanzielle Mittel sind einzuplanen", "Finanzielle Auswirkungen")


def test_running_lines_and_attachment_numbers_as_ocr_reads_them():
    assert is_furniture("2 von 2in Zusammenstellung", at_edge=False)
    assert not is_furniture("2 von 2 Anlagen in Zusammenarbeit", at_edge=False)
    assert ATTACHMENT_NUMBER.sub("", "l, Präsentation") == "Präsentation"
    assert ATTACHMENT_NUMBER.sub("", "2,5 Mio. Euro Zuschuss") == "2,5 Mio. Euro Zuschuss"
