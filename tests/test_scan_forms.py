"""Scanned cover sheets: the failure classes of the randomised scans, each on one small
generated page (BENCHMARKS.md 2r): boxes glued to option words by OCR, letters taken for
boxes, options whose box sits right of wrapped text in a monospaced font, and
consultation rows whose dates and roles OCR misread."""

import pytest

from etl.pdf.boxfinder import find_boxes
from etl.pdf.document import read_document
from etl.pdf.pageview import PageView
from etl.pdf.scanimage import clean_scan, render_gray, skew_angle
from etl.pdf.tesseract import tesseract_available
from etl.profiles import bands
from etl.profiles.form import page_lines
from etl.profiles.leipzig import LOOSE_DATE, _known_role
from etl.profiles.leipzig_spec import QUESTIONS
from etl.samples.canvas import Flow
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
BY_FIELD = {q.field.split(".")[-1]: q for q in QUESTIONS}
RELEVANCE = ("ja, da Beschlussgremium RV, GVA, oder VA und mind. 5 Jahre Betriebs- und "
             "Nutzungsdauer")
SCAN = {"dpi": 200, "angle": 0.8, "blur": 0.4, "jpeg": 60, "noise": 0.002}


def form_page(path, layout: dict, method: str, rows) -> bytes:
    """One page of choice rows (label, [(option, ticked)]) drawn as the generator does."""
    flow = Flow(path, {"margin": 60, "leading": 1.4, **layout})
    for label, options in rows:
        flow.choice_row(label, options, method, label[:6], layout.get("label_width", 200))
    flow.finish()
    return path.read_bytes()


def page_image(data: bytes, dpi: float):
    doc = read_document(data, ocr=False)
    gray, scale = render_gray(doc.pdf[0], dpi)
    return clean_scan(gray, skew_angle(gray)), scale


def answers(data: bytes, fields: list[str]) -> tuple[dict, list[str]]:
    doc = read_document(data)
    view = PageView(doc, 1)
    read = bands.read_questions(page_lines(view), {1: view}, [BY_FIELD[f] for f in fields])
    values = {f.split(".")[-1]: bands.value_of(a.question, a.found, a.boxes)[0]
              for f, a in read.items() if not isinstance(a, str)}
    return values, [w.text for w in doc.words(1)]


TRI = [("Finanzielle Auswirkungen", [("nein", False), ("wenn ja,", True)]),
       ("Beteiligung Personalrat", [("nein", True), ("ja", False)]),
       ("Steuerrechtliche Prüfung", [("nein", False), ("wenn ja", True)])]


@needs_tesseract
def test_boxes_are_painted_out_before_ocr_so_option_words_come_out_clean(tmp_path):
    layout = {"font": "Helvetica", "size": 10, "box": 8, "box_side": "left"}
    data = scan(form_page(tmp_path / "form.pdf", layout, "vector", TRI), SCAN, seed=1)
    gray, scale = page_image(data, 300)
    assert len(find_boxes(gray, scale)) == 6  # every box drawn, nothing else
    values, words = answers(data, ["has_financial_impact", "staff_council_involved",
                                   "tax_review"])
    assert values == {"has_financial_impact": True, "staff_council_involved": False,
                      "tax_review": True}
    assert words.count("nein") == 3 and "ja" in words
    assert not [w for w in words if w.lower() != w.lower().strip("[]|&()xX©®{}") or
                w in ("Xja", "Onein", "Xnein")]


def test_letters_are_not_taken_for_boxes(tmp_path):
    """Bold and monospaced capitals with closed, cornered shapes ('B', 'D', 'O') and a
    word set at the size of a box: find_boxes must leave them to OCR."""
    flow = Flow(tmp_path / "letters.pdf", {"font": "Courier", "size": 11, "margin": 60,
                                           "leading": 1.4})
    for text in ("BODO DB OB 0800 Beschlussvorlage Oberbürgermeister", "DDR BBQ HOB ODB"):
        flow.line(text, bold=True)
        flow.line(text)
    flow.finish()
    data = (tmp_path / "letters.pdf").read_bytes()
    for dpi in (150, 300):
        gray, scale = page_image(scan(data, {**SCAN, "dpi": dpi}), dpi)
        assert find_boxes(gray, scale) == []


@needs_tesseract
@pytest.mark.parametrize("relevant", [True, False])
def test_box_right_of_wrapped_option_text_in_courier(tmp_path, relevant):
    """'ja, da … mind. 5 Jahre … Nutzungsdauer ☐  nein ☒': the option's words run over
    three lines at word spacing wider than OCR's letters are high; its box is the one
    after its last word, not the one before 'nein'."""
    layout = {"font": "Courier", "size": 10, "box": 7, "box_side": "right",
              "label_width": 210, "box_line": "first"}
    rows = [("Abschätzbare Klimawirkung mit erheblicher Relevanz",
             [(RELEVANCE, relevant), ("nein", not relevant)]),
            ("Steuerrechtliche Prüfung", [("nein", relevant), ("wenn ja", not relevant)])]
    data = scan(form_page(tmp_path / "form.pdf", layout, "text", rows), SCAN, seed=2)
    values, _words = answers(data, ["significant_relevance", "tax_review"])
    assert values == {"significant_relevance": relevant, "tax_review": not relevant}


def test_consultation_dates_and_roles_as_ocr_misreads_them():
    assert LOOSE_DATE.search("FA Umwelt, Klima und Ordnung 21 052021 Vorberatung").groups() \
        == ("21", "05", "2021")
    assert LOOSE_DATE.search("Ratsversammlung 07.12,2022").groups() == ("07", "12", "2022")
    assert LOOSE_DATE.search("Stadtbezirksbeirat Leipzig-Mitte") is None
    assert _known_role("Vöorberatung") == "Vorberatung"
    assert _known_role("Beschlussfasung") == "Beschlussfassung"
    assert _known_role("Vorberatung (nichtöffentlich)") == "Vorberatung (nichtöffentlich)"
    assert _known_role(None) is None
