"""ZapfDingbats '❏' boxes on scans (BENCHMARKS.md 2r, glyph boxes): each failure class of
the glyph-box tuning scans (families 8300-8349) on one small generated form page."""

import pytest

from etl.pdf.boxfinder import find_boxes
from etl.pdf.document import read_document
from etl.pdf.pageview import PageView
from etl.pdf.tesseract import tesseract_available
from etl.profiles import bands
from etl.profiles.form import page_lines
from etl.profiles.leipzig_spec import QUESTIONS
from etl.samples.canvas import Flow
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
BY_FIELD = {q.field.split(".")[-1]: q for q in QUESTIONS}
TICKS = [("Finanzielle Auswirkungen", [("nein", False), ("wenn ja,", True)]),
         ("Kostengünstigere Alternativen geprüft", [("nein", True), ("ja", False)]),
         ("Folgen bei Ablehnung", [("nein", False), ("ja", True)]),
         ("Steuerrechtliche Prüfung", [("nein", True), ("wenn ja", False)])]
EXPECTED = {"has_financial_impact": True, "cheaper_alternatives_checked": False,
            "consequences_of_rejection": True, "tax_review": False}


def scanned_form(tmp_path, layout: dict, settings: dict, rows=TICKS, seed: int = 2,
                 width: float = 150):
    flow = Flow(tmp_path / "form.pdf", {"margin": 60, "font": "Helvetica", "size": 10.5,
                                        "leading": 1.32, **layout})
    for label, options in rows:
        flow.choice_row(label, options, "glyph", label[:6], width)
    flow.finish()
    doc = read_document(scan((tmp_path / "form.pdf").read_bytes(), settings, seed=seed))
    return doc, PageView(doc, 1)


def answers(view) -> dict:
    read = bands.read_questions(page_lines(view), {1: view}, [BY_FIELD[f] for f in EXPECTED])
    return {f.split(".")[-1]: bands.value_of(a.question, a.found, a.boxes)[0]
            for f, a in read.items() if not isinstance(a, str)}


@needs_tesseract
def test_small_glyph_boxes_whose_outline_blurs_to_grey_are_found(tmp_path):
    """6.3 pt glyph boxes (a 4.6 pt outline) blurred at 200 dpi: the outline turns light
    grey (170-210), the page's threshold keeps only the drop shadow, an 'L', so no box was
    found, OCR read 'a', '3', '%', 'u' beside the options and answers came out wrong or
    null. On a lighter threshold they are closed squares with a shadow on two sides."""
    layout = {"box": 6.3, "box_side": "left"}
    settings = {"dpi": 200, "angle": -1.5, "blur": 0.8, "jpeg": None, "noise": 0.002}
    doc, view = scanned_form(tmp_path, layout, settings)
    gray, scale = view.raster()
    boxes = find_boxes(gray, scale)
    assert len(boxes) == 8  # every box, ticked or not, and no letter
    assert all(4.0 * scale <= w <= 7.0 * scale for _x, _y, w, _h in boxes)
    assert not [w.text for w in doc.words(1) if len(w.text) <= 2 and w.text not in ("ja",)]
    assert answers(view) == EXPECTED


@needs_tesseract
def test_box_right_of_its_option_read_as_a_letter_is_looked_for_under_it(tmp_path):
    """'nein J wenn ja, 9' (tuning scan 8307-1, boxes right of the options): OCR read the
    boxes as letters and digits, which became each option's last word, and the box was
    looked for right of that word: every answer null. The words are those of the scan,
    with the marks OCR made of its boxes put back where the boxes are."""
    from etl.pdf.text import Word

    layout = {"font": "Times-Roman", "size": 9.5, "leading": 1.37, "box": 8.9,
              "box_side": "right"}
    settings = {"dpi": 200, "angle": 0.6, "blur": 0.4, "jpeg": 60, "noise": 0.0}
    doc, view = scanned_form(tmp_path, layout, settings)
    gray, scale = view.raster()
    boxes = sorted(find_boxes(gray, scale), key=lambda b: (b[1] // 20, b[0]))
    assert len(boxes) == 8
    lines = page_lines(view)
    for n, (x, y, w, h) in enumerate(boxes):
        mark = Word("J9I4"[n % 4], (x + w * 0.4) / scale, y / scale, (x + w) / scale,
                    (y + h) / scale, 1)
        line = min(lines, key=lambda ln: abs(ln.bbox[1] + ln.bbox[3] - 2 * mark.mid_y))
        line.words = sorted(line.words + [mark], key=lambda word: word.x0)
    read = bands.read_questions(lines, {1: view}, [BY_FIELD[f] for f in EXPECTED])
    values = {f.split(".")[-1]: bands.value_of(a.question, a.found, a.boxes)[0]
              for f, a in read.items() if not isinstance(a, str)}
    assert values == EXPECTED


def test_filled_squares_are_no_glyph_boxes(tmp_path):
    """The light threshold must not take solid shapes for glyph boxes: a city logo of
    5 pt squares, the dots of a large 'ü', bullets, a colon (on real Erlangen pages the
    glyph pass took 12 such shapes for boxes on 315 pages; with the rules for ink up to
    the upper left corner, no white notch where a shadow is offset and no white inside,
    3 map symbols). Without the first two rules one logo square passed at 150 dpi."""
    import pypdfium2 as pdfium

    from etl.pdf.scanimage import render_gray

    flow = Flow(tmp_path / "logo.pdf", {"margin": 60, "font": "Helvetica", "size": 10,
                                        "leading": 1.3})
    for row in range(6):
        for column in range(8):  # off the pixel grid: antialiased on some sides only
            flow.canvas.rect(70 + column * 6.37, 700 - row * 6.41, 5.0, 5.0, stroke=0, fill=1)
    flow.canvas.setFont("Helvetica-Bold", 36)
    flow.canvas.drawString(120, 600, "Büchenbach Müller")
    flow.canvas.drawString(120, 540, "• E-Mail: info • Ladesäule")
    flow.finish()
    for dpi in (150, 200, 240, 300):
        gray, scale = render_gray(pdfium.PdfDocument(tmp_path / "logo.pdf")[0], dpi)
        assert find_boxes(gray, scale) == []


@needs_tesseract
def test_label_with_a_word_ocr_lost_is_found_across_the_gap(tmp_path):
    """'Unternehmerische Tätigkeit i.S.d. §§ 2 Abs. 1 und 2B UStG' (tuning scan 8302-3): OCR
    lost the '§§', and the gap it left was taken for the gap before the options' column,
    so the label stopped at 'i.S.d.', never matched, and the answer was null."""
    rows = [("Unternehmerische Tätigkeit i.S.d. §§ 2 Abs. 1 und 2B UStG",
             [("nein", True), ("ja, Erläuterung siehe Punkt 4 des Sachverhalts", False)])]
    settings = {"dpi": 300, "angle": 0.3, "blur": 0.4, "jpeg": 85, "noise": 0.0}
    layout = {"font": "Courier", "size": 9.5, "leading": 1.3, "box": 8.1, "box_side": "left"}
    _doc, view = scanned_form(tmp_path, layout, settings, rows, width=197)
    lines = page_lines(view)
    for line in lines:  # the word after 'i.S.d.' is the '§§' as OCR read it: lose it
        at = next((i for i, w in enumerate(line.words) if w.text.endswith(".S.d.")), None)
        if at is not None:
            line.words = line.words[:at + 1] + line.words[at + 2:]
            assert line.words[at + 1].text == "2"
    question = BY_FIELD["entrepreneurial_activity"]
    answer = bands.read_questions(lines, {1: view}, [question])[question.field]
    assert bands.value_of(question, answer.found, answer.boxes)[0] is False


@needs_tesseract
def test_boxes_found_on_the_page_are_read_where_the_region_threshold_loses_them(tmp_path):
    """Tuning scan 8330-2 (150 dpi, Times 8 pt, 6 pt glyph boxes): find_boxes found the box
    left of 'nein' on the whole page, but the region's own threshold (set by the letters
    beside it) lost its grey outline, so the answer was null. A box the page-wide search
    found is read on its own: here every box gets its drawn state. (The ticked ones were
    not found at all: the cross sticking out above moved the band where the box's top side
    was looked for.)"""
    from etl.pdf.checkbox import from_found, region_left_of

    layout = {"font": "Times-Roman", "size": 8, "leading": 1.32, "box": 6.03, "box_side": "left"}
    settings = {"dpi": 150, "angle": -0.62, "blur": 0.0, "jpeg": None, "noise": 0.0}
    doc, view = scanned_form(tmp_path, layout, settings)
    gray, scale = view.raster()
    truth = {(row, option.split()[0].strip(",")): ticked
             for row, (_label, options) in enumerate(TICKS) for option, ticked in options}
    rows = sorted(w.top for w in doc.words(1) if w.text == "nein")
    read = {}
    for word in doc.words(1):
        row = min(range(len(rows)), key=lambda n: abs(rows[n] - word.top))
        if word.text.strip(",") in ("nein", "wenn", "ja") and abs(rows[row] - word.top) < 3:
            box = from_found(gray, scale, region_left_of(word, pad=word.height), view.boxes())
            if box is not None:
                read[(row, word.text.strip(","))] = box.state
    assert len(view.boxes()) == 8  # the ticked ones too: their box's top is under the cross
    assert len(read) == 8 and all(truth[key] == state for key, state in read.items())


@needs_tesseract
def test_ticked_box_glued_to_the_end_of_its_option_word(tmp_path):
    """'Bei Verträgen: ja& nein,' (tuning scan 8307-1, boxes right of the options): OCR
    glued the ticked box to 'ja', the option was not found and the answer was null. The
    words are those of the scan, 'ja' and its box put back as the one word OCR read."""
    from etl.pdf.text import Word

    rows = [("Bei Verträgen: Umsatzsteuerklausel aufgenommen", [("ja", True), ("nein,", False)])]
    layout = {"font": "Times-Roman", "size": 9.5, "leading": 1.37, "box": 8.9,
              "box_side": "right"}
    settings = {"dpi": 200, "angle": 0.6, "blur": 0.4, "jpeg": 60, "noise": 0.0}
    _doc, view = scanned_form(tmp_path, layout, settings, rows)
    gray, scale = view.raster()
    lines = page_lines(view)
    line = next(ln for ln in lines if any(w.text == "ja" for w in ln.words))
    at = next(i for i, w in enumerate(line.words) if w.text == "ja")
    ja = line.words[at]
    box = min(find_boxes(gray, scale), key=lambda b: abs(b[0] / scale - ja.x1))
    line.words[at] = Word("ja&", ja.x0, ja.top, (box[0] + box[2]) / scale, ja.bottom, 1)
    question = BY_FIELD["vat_clause_in_contracts"]
    answer = bands.read_questions(lines, {1: view}, [question])[question.field]
    assert bands.value_of(question, answer.found, answer.boxes)[0] is True
