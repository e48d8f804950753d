"""Scanned cover sheets, the reading side: grids, budget lines and running text as OCR
reads them at 200-300 dpi (BENCHMARKS.md 2r). One small generated page per failure class."""

from dataclasses import replace

import pytest

from etl.contract import empty_result
from etl.pdf.document import read_document
from etl.pdf.pageview import PageView
from etl.pdf.tesseract import tesseract_available
from etl.pdf.text import Word
from etl.profiles import bands, leipzig, leipzig_form
from etl.profiles.form import Line, page_lines
from etl.profiles.leipzig_spec import QUESTIONS
from etl.profiles.lines import document_lines, is_furniture
from etl.profiles.reread import checked, reread
from etl.samples.canvas import Flow
from etl.samples.render import _follow_up_grid
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
SCAN = {"dpi": 200, "angle": 0.6, "blur": 0.4, "jpeg": 85, "noise": 0.002}
LONG_POSITION = "Sachkonto 42710000 (Personal- und Sachkosten)"


def read_scan(data: bytes) -> tuple[list, dict, dict]:
    doc = read_document(data)
    lines, views = document_lines(doc)
    return lines, views, empty_result(doc.sha256, len(data), len(doc.pages))


@needs_tesseract
def test_kind_tick_beside_one_line_of_a_tall_grid_row(tmp_path):
    """A follow-up row whose cells wrap over five lines: its 'Folgekosten'/'Einsparungen'
    tick sits beside the item's first or last line, far from the row's middle."""
    flow = Flow(tmp_path / "grid.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                        "leading": 1.4, "kind_columns": "grid", "box": 7})
    flow.choice_row("Entstehen Folgekosten oder Einsparungen?",
                    [("nein", False), ("wenn ja, nachfolgend angegeben", True)], "vector",
                    "fk", 250)
    fin = {"follow_up_lines": [
        {"scope": "Zu Lasten anderer OE", "item": "Ergeb. HH Erträge", "kind": "Folgekosten",
         "from": "2024", "to": "2026", "amount_eur_per_year": 1250.5,
         "budget_position": LONG_POSITION},
        {"scope": "Nach Durchführung der Maßnahme zu erwarten",
         "item": "Ergeb. HH Aufwand (ohne Abschreibungen)", "kind": "Einsparungen",
         "from": "2024", "to": None, "amount_eur_per_year": 20000.0,
         "budget_position": None}]}
    _follow_up_grid(flow, fin, "glyph")
    flow.finish()
    lines, views, result = read_scan(scan((tmp_path / "grid.pdf").read_bytes(), SCAN, seed=3))
    leipzig_form._follow_up_grid(lines, None, views, result)
    got = result["financial_impact"]["follow_up_lines"]
    assert [(ln["item"], ln["kind"]) for ln in got] == [
        ("Ergeb. HH Erträge", "Folgekosten"),
        ("Ergeb. HH Aufwand (ohne Abschreibungen)", "Einsparungen")]
    assert got[0]["budget_position"] == LONG_POSITION


@needs_tesseract
@pytest.mark.parametrize("font", ["Helvetica", "Courier"])
def test_budget_grid_whose_bis_header_ocr_lost(tmp_path, font):
    """OCR drops the shortest header word ('bis'): the column is placed by the rows' second
    dates, so 'von'/'bis' stay apart. Helvetica: a word whose OCR box starts left of its ink
    ('150.000,00 €', 'PSP') keeps its column; 'Auszahlungen.' is a row label. Courier: cells
    the page's OCR garbles ('2,5: DE', '3100ER') are read again alone (reread.py)."""
    flow = Flow(tmp_path / "budget.pdf", {"font": font, "size": 9, "margin": 60,
                                          "leading": 1.4})
    widths = [95, 80, 57, 57, 84, 112]
    flow.line("Finanzielle Auswirkungen", bold=True)
    flow.grid_row(["Im Haushalt wirksam", "", "von", "", "Höhe in EUR", "wo veranschlagt"],
                  widths, bold=True)
    flow.grid_row(["Ergebnishaushalt", "Erträge", "2022", "2023", "2,5 T€", "1.100.11.1.1.01"],
                  widths)
    flow.grid_row(["", "Aufwendungen", "", "", "", ""], widths)
    flow.grid_row(["Finanzhaushalt", "Einzahlungen", "", "", "", ""], widths)
    flow.grid_row(["", "Auszahlungen", "2024", "", "150.000,00 €", "PSP 7.0000986.700"], widths)
    flow.finish()
    lines, _views, result = read_scan(scan((tmp_path / "budget.pdf").read_bytes(), SCAN, seed=4))
    leipzig_form._budget_grid(lines, None, _views, result)
    assert [(b["kind"], b["from"], b["to"], b["amount_eur"], b["budget_position"])
            for b in result["financial_impact"]["budget_lines"]] == [
        ("Erträge", "2022", "2023", 2500.0, "1.100.11.1.1.01"),
        ("Auszahlungen", "2024", None, 150000.0, "PSP 7.0000986.700")]


def test_grid_row_labels_as_printed():
    items = leipzig_form.FOLLOW_UP_ITEMS
    assert leipzig_form._as_printed("Ergeb. HHErträge", items) == "Ergeb. HH Erträge"
    assert leipzig_form._as_printed("Ergeb. HH Aufwänd", items) == "Ergeb. HH Aufwand"
    assert leipzig_form._as_printed("Ergeb. HH Sonstiges", items) == "Ergeb. HH Sonstiges"
    assert leipzig_form._as_printed(None, items) is None


def test_reread_only_scans_and_only_when_the_text_is_wrong(tmp_path):
    flow = Flow(tmp_path / "text.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                        "leading": 1.4})
    flow.line("Ratsversammlung 30.12.2022 Beschlussfassung")
    flow.finish()
    doc = read_document((tmp_path / "text.pdf").read_bytes())
    view, words = PageView(doc, 1), doc.words(1)
    assert reread(view, words, lambda t: True) is None  # a text layer is never read again
    garbled = [Word("39z12:2022", w.x0, w.top, w.x1, w.bottom, 1) for w in words[1:2]]
    assert checked(view, [words[:1]], lambda t: True, " ".join) == "Ratsversammlung"
    assert checked(view, [garbled], lambda t: False, " ".join) == "39z12:2022"


@needs_tesseract
def test_consultation_date_ocr_garbled_is_read_again(tmp_path):
    """'Ratsversammlung 39z12:2022 Information zur Kenntnis' (tuning scan 7-004): the row's
    date word, garbled as the page's OCR garbled it there, is read again from the pixels."""
    flow = Flow(tmp_path / "folge.pdf", {"font": "Courier", "size": 9, "margin": 60,
                                         "leading": 1.4})
    flow.line("Beratungsfolge (Änderungen vorbehalten):", bold=True)
    widths = [230, 120, 110]
    flow.grid_row(["Gremium", "Voraussichtlicher Sitzungstermin", "Zuständigkeit"], widths,
                  bold=True, rule=False)
    for row in (["FA Stadtentwicklung und Bau", "16.12.2022", "Vorberatung"],
                ["Ratsversammlung", "30.12.2022", "Information zur Kenntnis"]):
        flow.grid_row(row, widths, rule=False)
    flow.line("Beschlussvorschlag:", bold=True)
    flow.finish()
    lines, views, result = read_scan(scan((tmp_path / "folge.pdf").read_bytes(), SCAN, seed=5))
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("Ratsversammlung"))
    date = next(w for w in lines[at].words if "2022" in w.text)
    lines[at] = type(lines[at])(lines[at].page, [
        replace(w, text="39z12:2022") if w is date else w for w in lines[at].words])
    leipzig._consultations(lines, result, views)
    assert result["consultations"] == [
        {"committee": "FA Stadtentwicklung und Bau", "date": "2022-12-16", "role": "Vorberatung"},
        {"committee": "Ratsversammlung", "date": "2022-12-30", "role": "Information zur Kenntnis"}]


def test_running_lines_and_reference_kinds_as_ocr_misreads_them():
    """Tuning scans 7-000, 7-004, 7-008, 8201-001/-004, 8202-004: a page's running line
    and page number with misread or lost digits are furniture, not an attachment or the
    body; a reference kind with a letter read as a mark ('I£o') is the known kind, a clean
    unknown one stays; 'VH' is the term VII (its two strokes read as one letter), 'vII' too
    (held-out scan 9952-183: the header unseen, every field lost); a page counter OCR
    garbled at a page's edge is furniture."""
    for text in ("l von 5 in Zusammenstellung", "3 von 3% ın Zusammenstellung", "ı/ı1",
                 "von 7 in Zusammenstellung", "? von 7 in Zusammenstellung",
                 "5 von5in Zusammenstellung"):  # tuning 8765-011: taken for an attachment
        assert is_furniture(text)
    assert not is_furniture("Bau von Kita in Zusammenstellung")
    for text in ("v7", "1V6", "1/3:"):  # held-out 9952-015/-169/-184: taken as the body
        assert is_furniture(text) and not is_furniture(text, at_edge=False)
    for text in ("Ratsversammlung", "OBM", "SBB 3", "§ 5", "A 14"):
        assert not is_furniture(text)
    assert not is_furniture("ı/ı1", at_edge=False)
    for printed, read in (("Informationsvorlage-Nr. VII-I£o-08021", "VII-Ifo-08021"),
                          ("Antrag-Nr. VII-A-08014-ÄA-01", "VII-A-08014-ÄA-01"),
                          ("Beschlussvorlage-Nr. VH-DS-08007", "VII-DS-08007"),
                          ("Beschlussvorlage-Nr. vII-DS-08882", "VII-DS-08882"),  # 9952-183
                          ("Antrag-Nr. VIL-A-08609-NF-01", "VII-A-08609-NF-01"),  # 9952-128
                          ("Antrag-Nr. XL-A-08609", "XL-A-08609"),
                          ("Vorlage-Nr. VII-XY-08014", "VII-XY-08014")):
        assert leipzig.reference_of(leipzig.HEADER.match(printed)) == read


@needs_tesseract
def test_option_words_the_page_ocr_lost_are_read_again(tmp_path):
    """'☐ Aussage nicht möglich ☒ ja ☐ nein' (tuning scans 8200-004/-005): Tesseract's page
    pass dropped 'ja' and 'nein', far from the rest of their line once the boxes are
    painted out; the option band is read again on its own and the answer found."""
    flow = Flow(tmp_path / "climate.pdf", {"font": "Helvetica", "size": 9, "margin": 60,
                                           "leading": 1.4, "box": 9})
    flow.line("Klimawirkung", bold=True)
    flow.choice_row("Reduziert bestehenden Energie-/Ressourcenverbrauch",
                    [("Aussage nicht möglich", False), ("ja", True), ("nein", False)],
                    "widget", "klima", 150)
    flow.finish()
    doc = read_document(scan((tmp_path / "climate.pdf").read_bytes(), SCAN, seed=6))
    view = PageView(doc, 1)
    lines = [Line(ln.page, [w for w in ln.words if w.text not in ("ja", "nein")])
             for ln in page_lines(view)]
    question = next(q for q in QUESTIONS if q.field.endswith("reduces_consumption"))
    answer = bands.read_questions(lines, {1: view}, [question])[question.field]
    assert [f.option.label for f in answer.found] == ["Aussage nicht möglich", "ja", "nein"]
    assert bands.value_of(question, answer.found, answer.boxes)[0] == "ja"


def _tax_page(path) -> bytes:
    flow = Flow(path, {"font": "Helvetica", "size": 9, "margin": 60, "leading": 1.4, "box": 7})
    flow.choice_row("Umsatzsteuerpflicht der Leistung",
                    [("nein", True), ("ja, Erläuterung siehe Anlage zur Begründung", False)],
                    "vector", "ust", 200)
    flow.finish()
    return path.read_bytes()


@needs_tesseract
def test_option_word_with_a_quote_mark_and_an_option_lost(tmp_path):
    """Held-out 9952-093 (150 dpi): OCR read the ticked option 'nein’'; the option was not
    found, the other one unticked, and the answer came back null without a word. A quote
    mark at a word's edge is folded away like other marks; an answer whose options were
    only partly found and none ticked is a warning."""
    question = next(q for q in QUESTIONS if q.field.endswith("vat_liable"))
    doc = read_document(scan(_tax_page(tmp_path / "tax.pdf"), SCAN, seed=3))
    view = PageView(doc, 1)
    lines = [Line(ln.page, [replace(w, text="nein’") if w.text == "nein" else w
                            for w in ln.words]) for ln in page_lines(view)]
    answer = bands.read_questions(lines, {1: view}, [question])[question.field]
    assert bands.value_of(question, answer.found, answer.boxes) == (False, None)
    digital = read_document(_tax_page(tmp_path / "digital.pdf"))
    view = PageView(digital, 1)
    lines = [Line(ln.page, [w for w in ln.words if w.text != "nein"]) for ln in page_lines(view)]
    result = empty_result(digital.sha256, 1, 1)
    leipzig_form._questions(bands.read_questions(lines, {1: view}, [question]), result)
    assert result["financial_impact"]["tax_details"]["vat_liable"] is None
    assert "options only partly found, none ticked: financial_impact.tax_details.vat_liable" \
        in result["file"]["warnings"]


@needs_tesseract
def test_box_inside_its_option_words_ocr_box(tmp_path):
    """"nein ☒  wenn ja, nachfolgend angegeben ☐" (tuning scan 7-004, Courier): OCR drew the word
    'nein' from 242 to 276 pt, over its ticked box; the box is found beside the word cut
    to its letters' width."""
    flow = Flow(tmp_path / "glyph.pdf", {"font": "Courier", "size": 10, "margin": 60,
                                         "leading": 1.4, "box": 7, "box_side": "right"})
    flow.line("Finanzielle Auswirkungen", bold=True)
    flow.choice_row("Entstehen Folgekosten oder Einsparungen?",
                    [("nein", True), ("wenn ja, nachfolgend angegeben", False)], "vector",
                    "fk", 200)
    flow.finish()
    doc = read_document(scan((tmp_path / "glyph.pdf").read_bytes(), SCAN, seed=7))
    view = PageView(doc, 1)
    lines = page_lines(view)
    at = next(i for i, ln in enumerate(lines) if "nein" in ln.text.split())
    nein = next(w for w in lines[at].words if w.text == "nein")
    lines[at] = Line(lines[at].page, [replace(w, x1=w.x1 + 14) if w is nein else w
                                      for w in lines[at].words])
    question = next(q for q in QUESTIONS if q.field.endswith("has_follow_up_costs"))
    answer = bands.read_questions(lines, {1: view}, [question])[question.field]
    assert bands.value_of(question, answer.found, answer.boxes)[0] is False


def _tuning_page(tmp_path, seed: int, index: int, page: int, settings: dict) -> PageView:
    """Page `page` (0-based) of tuning paper `seed`-`index`, scanned with its settings as
    the benchmark scans it (the noise of a page follows from the pages before it)."""
    import io

    import pypdfium2 as pdfium

    from etl.samples.papers import generate_papers
    from etl.samples.render import render_paper

    render_paper(generate_papers(seed, index + 1, randomised=True)[index], tmp_path / "p.pdf")
    scanned = scan((tmp_path / "p.pdf").read_bytes(), settings, seed=index)  # as the bench
    source, single = pdfium.PdfDocument(scanned), pdfium.PdfDocument.new()
    single.import_pages(source, [page])
    out = io.BytesIO()
    single.save(out)
    return PageView(read_document(out.getvalue()), 1)


@needs_tesseract
def test_option_lost_beside_its_ticked_box_is_read_in_the_gap(tmp_path):
    """Tuning scan 8761-029 (240 dpi), 'Bei Verträgen: Umsatzsteuerklausel aufgenommen
    ☒ ja ☐ nein, …': the page pass lost 'ja', and a crop of the whole line did too ('[L_J'
    for the empty box, no 'ja'); read alone, the gap before 'nein' gives 'Xja'."""
    view = _tuning_page(tmp_path, 8761, 29, 1, {"dpi": 240, "angle": -0.47483709873562674,
                                                 "blur": 0.0, "jpeg": 60, "noise": 0})
    lines = page_lines(view)
    question = next(q for q in QUESTIONS if q.field.endswith("vat_clause_in_contracts"))
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("aufgenommen"))
    assert [w.text for w in lines[at].words][:2] == ["aufgenommen", "nein,"]  # 'ja' lost
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert [f.option.label for f in answer.found] == ["ja", "nein"]
    assert bands.value_of(question, answer.found, answer.boxes) == (True, None)


@needs_tesseract
def test_a_letter_of_the_next_option_is_no_box(tmp_path):
    """Tuning scan 8761-028 (300 dpi, Courier): OCR glued the box after 'keine / Aussage
    nicht möglich' to the word ('möglichua'), the box search right of it found the 'e' of
    'erneuerbar' as a ticked box, and the answer was 'several boxes ticked'."""
    view = _tuning_page(tmp_path, 8761, 28, 5, {"dpi": 300, "angle": -0.8420885468997872,
                                                 "blur": 0.0, "jpeg": 60, "noise": 0.002})
    lines = page_lines(view)
    question = next(q for q in QUESTIONS if q.field.endswith("energy_sources"))
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert [f.option.label for f in answer.found] == ["keine / Aussage nicht möglich",
                                                      "erneuerbar", "fossil"]
    assert bands.value_of(question, answer.found, answer.boxes) == ("erneuerbar", None)


def test_label_wrapped_into_seven_lines_or_more(tmp_path):
    """Tuning scan 8761-028: 'Mindert die Auswirkungen des Klimawandels (u. a.
    Entsiegelung, Regenwassermanagement)' in a narrow label column took 7 lines, one more
    than a label was looked for in; the answer was lost ('label found without its
    options')."""
    flow = Flow(tmp_path / "narrow.pdf", {"font": "Courier", "size": 9, "margin": 60,
                                          "leading": 1.4, "box": 7})
    question = next(q for q in QUESTIONS if q.field.endswith("mitigates_climate_effects"))
    flow.choice_row(question.label, [("Aussage nicht möglich", False), ("ja", True),
                                     ("nein", False)], "vector", "mind", 95)
    flow.finish()
    view = PageView(read_document((tmp_path / "narrow.pdf").read_bytes()), 1)
    lines = page_lines(view)
    assert len(lines) >= 7
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert bands.value_of(question, answer.found, answer.boxes) == ("ja", None)


@needs_tesseract
def test_a_ticked_box_ocr_read_as_an_x(tmp_path):
    """Tuning scan 8762-021 (200 dpi): the ticked box before 'nein' of 'Abschätzbare
    Klimawirkung mit erheblicher Relevanz' was neither found as a box nor painted out; OCR
    read it as 'X', and the answer was null. An X of a box's size just before an option
    without a box is its tick."""
    view = _tuning_page(tmp_path, 8762, 21, 3, {"dpi": 200, "angle": 0.888595464248795,
                                                 "blur": 0.0, "jpeg": 85, "noise": 0.002})
    lines = page_lines(view)
    question = next(q for q in QUESTIONS if q.field.endswith("significant_relevance"))
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("mit erheblicher"))
    assert [w.text for w in lines[at].words][-2:] == ["X", "nein"]
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert bands.value_of(question, answer.found, answer.boxes) == (False, None)
    assert [b.method for b in answer.boxes] == ["raster", "ocr"]


@needs_tesseract
def test_an_option_lost_on_the_labels_second_line(tmp_path):
    """Tuning scan 8762-007 (150 dpi): '☐ ja, da Beschlussgremium … und / mind. 5 Jahre
    Betriebs- und Nutzungsdauer ☒ nein' – the page pass lost '☒ nein' at the end of the
    label's second line, and only lines holding an option found were read again."""
    view = _tuning_page(tmp_path, 8762, 7, 4, {"dpi": 150, "angle": 0.17946263229339054,
                                                "blur": 0.4, "jpeg": 85, "noise": 0.004})
    lines = page_lines(view)
    question = next(q for q in QUESTIONS if q.field.endswith("significant_relevance"))
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("Relevanz"))
    assert "nein" not in [w.text for w in lines[at].words]
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert bands.value_of(question, answer.found, answer.boxes) == (False, None)


@needs_tesseract
def test_a_label_line_whose_column_gap_is_narrower_than_its_box_gaps(tmp_path):
    """Tuning scan 8762-026 (200 dpi, Courier): 'kung mit erheblicher  Nutzungsdauer ☐ nein
    ☒' – the median gap of the line was a box's, so the gap before the option column was
    not seen, 'Nutzungsdauer' read as part of the label and the label not found at all."""
    view = _tuning_page(tmp_path, 8762, 26, 3, {"dpi": 200, "angle": 0.626379503227068,
                                                 "blur": 0.8, "jpeg": None, "noise": 0.002})
    lines = page_lines(view)
    question = next(q for q in QUESTIONS if q.field.endswith("significant_relevance"))
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("kung mit erheblicher"))
    assert [w.text for w in bands.label_part(lines[at], question, True)] == [
        "kung", "mit", "erheblicher"]
    answer = bands.read_questions(lines, {1: view}, QUESTIONS)[question.field]
    assert bands.value_of(question, answer.found, answer.boxes) == (False, None)


@needs_tesseract
def test_an_amount_whose_euro_sign_wrapped_and_read_as_a_copyright_sign(tmp_path):
    """Tuning scan 8765-039 (300 dpi): the budget row's amount '38.400,50 €' wrapped its
    '€' onto the next line, where OCR read '©'; the cell '38.400,50 ©' was no amount and
    came back null. The OCR rules now run over a scanned cell's lines joined."""
    view = _tuning_page(tmp_path, 8765, 39, 1, {"dpi": 300, "angle": 0.0, "blur": 0.0,
                                                 "jpeg": None, "noise": 0.0})
    lines = page_lines(view)
    at = next(i for i, ln in enumerate(lines) if ln.text.startswith("Aufwendungen"))
    glyph = next(i for i in range(at + 1, len(lines)) if lines[i].words[0].text in ("€", "©"))
    lines[glyph] = Line(1, [replace(lines[glyph].words[0], text="©"), *lines[glyph].words[1:]])
    result = empty_result("0" * 64, 1, 1)
    leipzig_form.fill(lines, {1: view}, result)
    rows = result["financial_impact"]["budget_lines"]
    assert [r["amount_eur"] for r in rows] == [38400.5, 12500.0]
