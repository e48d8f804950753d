"""Coarse scans (150 dpi, blurred, JPEG, speckle): the failure classes of the randomised
scans' 150 dpi papers (BENCHMARKS.md 2r), each on one small generated page: a noisy page
whose first pass at 150 dpi missed its form phrases, and checkbox rows whose boxes merge
into one outline."""

import io
from collections import Counter

import pypdfium2 as pdfium
import pytest

from etl.pdf.boxfinder import find_boxes, split_stack
from etl.pdf.document import read_document
from etl.pdf.ocr import ocr_words
from etl.pdf.pageview import PageView
from etl.pdf.tesseract import tesseract_available
from etl.profiles import bands
from etl.profiles.form import page_lines
from etl.profiles.leipzig_spec import QUESTIONS
from etl.samples.canvas import Flow
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
BY_FIELD = {q.field.split(".")[-1]: q for q in QUESTIONS}
COARSE = {"dpi": 150, "angle": -0.25, "blur": 0.8, "jpeg": 40, "noise": 0.004}


def first_page(path) -> bytes:
    """Page 1 of a generated paper, alone (one page to OCR)."""
    render_paper(generate_papers(8102, 1, randomised=True)[0], path)
    source, single = pdfium.PdfDocument(path), pdfium.PdfDocument.new()
    single.import_pages(source, [0])
    out = io.BytesIO()
    single.save(out)
    return out.getvalue()


def words_of(text: str) -> Counter:
    return Counter(w.strip(".,:;()„“\"") for w in text.split() if len(w.strip(".,:;()„“\"")) > 1)


@needs_tesseract
def test_noisy_150_dpi_page_is_read_once_enlarged_and_keeps_its_form_phrases(tmp_path):
    """Speckle, blur and JPEG at 150 dpi: OCRed at the scan's own resolution the page lost
    its header ('Beratungsfolge', 'Eingereicht von' - so it never got the form pass) and
    half its words; despeckled at 150 dpi, enlarged and sharpened it reads as a scan."""
    data = first_page(tmp_path / "paper.pdf")
    truth = words_of(pdfium.PdfDocument(data)[0].get_textpage().get_text_range())
    page = pdfium.PdfDocument(scan(data, COARSE, seed=1))[0]
    words, gray, scale, made = ocr_words(page, 1)
    assert made["dpi"] == 300 and made["passes"] == 1
    assert round(scale * 72) == 300 and gray.shape[1] == round(page.get_size()[0] * scale)
    text = " ".join(w.text for w in words)
    assert "Eingereicht von:" in text and "Beschlussvorschlag" in text
    assert "Status: öffentlich" in text  # a colon's dots are no speckle
    found = words_of(text)  # read at 150 dpi as before: 11 % of the words
    assert sum((found & truth).values()) >= 0.75 * sum(truth.values())


def form_page(path, layout: dict, method: str, rows) -> bytes:
    flow = Flow(path, {"margin": 60, **layout})
    for label, options in rows:
        flow.choice_row(label, options, method, label[:6], 200)
    flow.finish()
    return path.read_bytes()


TICKS = [("Finanzielle Auswirkungen", [("nein", False), ("wenn ja,", True)]),
         ("Kostengünstigere Alternativen geprüft", [("nein", False), ("ja", True)]),
         ("Folgen bei Ablehnung", [("nein", True), ("ja", False)]),
         ("Steuerrechtliche Prüfung", [("nein", True), ("wenn ja", False)])]


@needs_tesseract
def test_boxes_of_rows_set_close_merge_on_a_coarse_scan_and_are_cut_apart(tmp_path):
    """8 pt Courier at 11 pt pitch with 9.6 pt widget boxes: blurred at 150 dpi the boxes of
    the four rows run into one outline per column (no square), so no box was found and
    each answer was null; cut at their shared rules, each row reads its own box."""
    layout = {"font": "Courier", "size": 8, "leading": 1.376, "box": 9.6, "box_side": "left"}
    data = scan(form_page(tmp_path / "form.pdf", layout, "widget", TICKS), COARSE, seed=3)
    doc = read_document(data)
    view = PageView(doc, 1)
    gray, scale = view.raster()
    assert len(find_boxes(gray, scale)) == 8  # every box, painted out before OCR
    fields = ["has_financial_impact", "cheaper_alternatives_checked",
              "consequences_of_rejection", "tax_review"]
    read = bands.read_questions(page_lines(view), {1: view}, [BY_FIELD[f] for f in fields])
    values = {f.split(".")[-1]: bands.value_of(a.question, a.found, a.boxes)[0]
              for f, a in read.items() if not isinstance(a, str)}
    assert values == {"has_financial_impact": True, "cheaper_alternatives_checked": True,
                      "consequences_of_rejection": False, "tax_review": False}


def test_split_stack_cuts_at_cross_rules_only():
    import numpy as np

    ink = np.zeros((60, 30), np.uint8)
    for top in (5, 25):  # two 20 px boxes sharing a 2 px rule, an X in the lower one
        ink[top:top + 22, 5:25][[0, 1, -2, -1], :] = 255
        ink[top:top + 22, 5:25][:, [0, 1, -2, -1]] = 255
    for i in range(18):
        ink[27 + i, 6 + i] = ink[27 + i, 23 - i] = 255
    assert split_stack(ink, (5, 5, 20, 42)) == [(5, 5, 20, 22), (5, 25, 20, 22)]
    assert split_stack(ink, (5, 25, 20, 22)) == [(5, 25, 20, 22)]  # a square stays whole
    letter = np.zeros((40, 20), np.uint8)
    letter[:, :3] = letter[:, -3:] = 255  # an 'H'-like tall shape: no rules to cut at
    letter[18:21] = 255
    assert split_stack(letter, (0, 0, 20, 40)) == [(0, 0, 20, 40)]


@pytest.mark.parametrize("size, dpi", [(9, 200), (10, 240)])
def test_specks_far_from_letters_go_and_full_stops_stay(tmp_path, size, dpi):
    """Speckle away from the text is painted out of the OCR image; the full stops of a date
    and a budget position in Courier (3 pt from their digits on an enlarged scan) and a
    colon stay whole."""
    import numpy as np

    from etl.pdf.ocr import page_image
    from etl.pdf.scanimage import without_specks

    flow = Flow(tmp_path / "dots.pdf", {"font": "Courier", "size": size, "margin": 60,
                                        "leading": 1.4})
    flow.line("bis zum 30.06.2022 PSP 7.0001734.705.100 Status: offen")
    flow.finish()
    sharp = {"dpi": dpi, "angle": 0.0, "blur": 0.4, "jpeg": None, "noise": 0.0}
    page = pdfium.PdfDocument(scan((tmp_path / "dots.pdf").read_bytes(), sharp))[0]
    gray, scale = page_image(page, 300, 0.0)  # enlarged: the stops shrink, gaps grow
    text = gray.copy()
    rng = np.random.default_rng(0)
    ys, xs = rng.integers(0, gray.shape[0], 300), rng.integers(0, gray.shape[1], 300)
    far = [(y, x) for y, x in zip(ys, xs, strict=True) if (gray[max(0, y - 30):y + 30,
                                                   max(0, x - 30):x + 30] > 200).all()]
    for y, x in far:
        gray[y:y + 3, x:x + 3] = 40  # a 0.7 pt speck
    cleaned = without_specks(gray, scale)
    assert len(far) > 200 and all(cleaned[y, x] == 255 for y, x in far)
    assert (cleaned[text < 255] == text[text < 255]).all()  # not one pixel of the text lost


@needs_tesseract
def test_small_shadowed_glyph_boxes_are_boxes_not_letters(tmp_path):
    """ZapfDingbats '❏' (a box with a drop shadow, its tick an overprinted cross) at 200
    dpi: the shadow leaves the shape's corners white, so the boxes stayed in the image and
    OCR read them as 'I', '4', '9', '&' beside the option words."""
    layout = {"font": "Times-Roman", "size": 9.5, "leading": 1.44, "box": 8.9,
              "box_side": "right"}
    settings = {"dpi": 200, "angle": 0.4, "blur": 0.4, "jpeg": 85, "noise": 0.004}
    data = scan(form_page(tmp_path / "form.pdf", layout, "glyph", TICKS), settings, seed=5)
    doc = read_document(data)
    view = PageView(doc, 1)
    gray, scale = view.raster()
    assert len(find_boxes(gray, scale)) == 8
    assert not [w.text for w in doc.words(1) if w.text.strip(",") in ("I", "4", "9", "&", "®")]
