"""Scanned cover sheets, the fields that missed most on randomised scans (issue #13, per
field): one generated page per failure class, the OCR slip reproduced on the real words."""

from dataclasses import replace

import pytest

from etl.contract import empty_result
from etl.pdf.document import read_document
from etl.pdf.tesseract import tesseract_available
from etl.profiles import bands, leipzig, leipzig_form, leipzig_reference, leipzig_text
from etl.profiles.form import Line
from etl.profiles.leipzig_spec import CLIMATE_TEXTS, QUESTIONS
from etl.profiles.lines import document_lines
from etl.samples.canvas import Flow
from etl.samples.render import _follow_up_grid, _goals
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
SCAN = {"dpi": 200, "angle": 0.6, "blur": 0.4, "jpeg": 85, "noise": 0.002}
TITLE = "Satzung über die Erhebung von Gebühren gemäß"


def _read(data: bytes):
    doc = read_document(data)
    lines, views = document_lines(doc)
    return lines, views, empty_result(doc.sha256, len(data), len(doc.pages))


def _header_page(path) -> bytes:
    flow = Flow(path, {"font": "Helvetica", "size": 10, "margin": 60, "leading": 1.4})
    flow.line("Ratsversammlung", bold=True, gap=1.6)
    flow.line("Beschlussvorlage-Nr. VII-DS-08063", bold=True, gap=1.4)
    flow.line("Status: öffentlich", gap=1.4)
    flow.line("Eingereicht von:")
    flow.line("Dezernat Jugend, Schule und Demokratie", gap=1.4)
    flow.line("Betreff:")
    flow.line(f"{TITLE} §", bold=True)
    flow.line("79 SächsGemO", bold=True)
    flow.line()
    flow.line("Beratungsfolge (Änderungen vorbehalten):")
    flow.finish()
    return path.read_bytes()


def _as_misread(lines: list[Line], at: int, old: str, new: str) -> None:
    lines[at] = Line(lines[at].page, [replace(w, text=new) if w.text == old else w
                                      for w in lines[at].words])


@needs_tesseract
@pytest.mark.parametrize("garbled", ["VII-DS-_8_63", "VII-DS- 8_63- 1", "VO-DS-08063",
                                     "V DS-08063"])
def test_header_whose_reference_ocr_garbled_and_body_line_it_dropped(tmp_path, garbled):
    """A 150 dpi scan's header read 'Beschlussvorlage-Nr. VII-DS-_8_63' (or, a bold serif
    II merged, 'VO-DS-…' and 'V DS-…') and the body line above it was not in Tesseract's
    words at all: the pattern took no header, so the paper lost every field. The line is
    the header; its reference and the body line are read again from the scan. A title
    whose 'S 79' OCR split over two lines is corrected too."""
    data = scan(_header_page(tmp_path / "head.pdf"), SCAN, seed=11)
    lines, views, result = _read(data)
    assert lines[0].text == "Ratsversammlung"
    del lines[0]
    ref = lines[0].words[-1]
    pieces = garbled.split()
    parts = [replace(ref, text=t, x0=ref.x0 + n * (ref.x1 - ref.x0) / len(pieces),
                     x1=ref.x0 + (n + 1) * (ref.x1 - ref.x0) / len(pieces))
             for n, t in enumerate(pieces)]
    lines[0] = Line(1, lines[0].words[:-1] + parts)
    _as_misread(lines, 6, "§", "S")
    assert not leipzig.HEADER.match(lines[0].text)
    at = leipzig_reference.garbled_header(lines, views)
    assert at == 0 and leipzig.HEADER.match(lines[0].text)  # numeral strokes settle 'V1'
    leipzig._header(lines, at, result, views)
    paper = result["paper"]
    assert (paper["reference"], paper["document_kind"], paper["body_hint"]) == (
        "VII-DS-08063", "Beschlussvorlage", "Ratsversammlung")
    assert paper["title"] == f"{TITLE} § 79 SächsGemO"
    assert paper["submitted_by"] == "Dezernat Jugend, Schule und Demokratie"


def test_garbled_header_only_on_scans(tmp_path):
    """A text layer is never read again nor corrected: a header that breaks the pattern is
    no header, an 'S' stays an 'S'."""
    lines, views, result = _read(_header_page(tmp_path / "head.pdf"))
    _as_misread(lines, 1, "VII-DS-08063", "VII-DS-_8_63")
    assert leipzig_reference.garbled_header(lines, views) is None
    _as_misread(lines, 1, "VII-DS-_8_63", "VII-DS-08063")
    _as_misread(lines, 6, "§", "S")
    leipzig._header(lines, 1, result, views)
    assert result["paper"]["title"] == f"{TITLE} S 79 SächsGemO"


def test_goals_question_with_a_letter_ocr_lost(tmp_path):
    """'Welche trategischen Ziele werden …': the goals were not looked for at all."""
    flow = Flow(tmp_path / "goals.pdf", {"font": "Times-Roman", "size": 10, "margin": 60,
                                         "leading": 1.4, "box": 8})
    ticked = ["Nachhaltige Mobilität", "Bezahlbares Wohnen"]
    _goals(flow, {"checkbox_method": "vector", "strategic_goals": ticked})
    flow.finish()
    lines, views, result = _read((tmp_path / "goals.pdf").read_bytes())
    at = next(i for i, ln in enumerate(lines) if "strategischen" in ln.text)
    _as_misread(lines, at, "strategischen", "trategischen")
    leipzig_form._goals(lines, views, result)
    assert sorted(result["strategic_goals"]) == sorted(ticked)


def test_follow_up_year_under_wirksam_of_an_unwrapped_header_cell(tmp_path):
    """The follow-up grid's header cell 'wirksam von' on one line: 'von' is not where the
    column starts, so a year printed under 'wirksam' fell left of the grid's columns (its
    'from' lost) and the kind boxes' last column reached over it (the tick not read)."""
    flow = Flow(tmp_path / "grid.pdf", {"font": "Helvetica", "size": 7, "margin": 60,
                                        "leading": 1.4, "kind_columns": "grid", "box": 7})
    flow.choice_row("Entstehen Folgekosten oder Einsparungen?",
                    [("nein", False), ("wenn ja, nachfolgend angegeben", True)], "vector",
                    "fk", 250)
    row = {"scope": "Zu Lasten anderer OE", "item": "Ergeb. HH Aufwand", "kind": "Folgekosten",
           "from": "2023", "to": None, "amount_eur_per_year": 64000.0, "budget_position": None}
    _follow_up_grid(flow, {"follow_up_lines": [row]}, "vector")
    flow.finish()
    lines, views, result = _read((tmp_path / "grid.pdf").read_bytes())
    header = next(ln for ln in lines if "wirksam" in ln.text and "von" in ln.text)
    at = [w.text for w in header.words].index("wirksam")
    assert header.words[at + 1].text == "von"  # the cell did not wrap
    leipzig_form._follow_up_grid(lines, None, views, result)
    assert result["financial_impact"]["follow_up_lines"] == [row]


@needs_tesseract
def test_first_item_number_read_twice_and_attachment_number_without_stop(tmp_path):
    """OCR read the first item's '1.' as '1l..' (item 11, text '. Die …') and an attachment
    '2. Lageplan' as '2 Lageplan': the number is read again from the scan; an attachment
    line on an OCR page that starts with the next number and a space loses the number."""
    flow = Flow(tmp_path / "items.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                         "leading": 1.4})
    flow.line("Beschlussvorschlag:", bold=True)
    flow.paragraph("Die Verwaltung prüft das Vorhaben und berichtet dem Fachausschuss.",
                   hang="1. ")
    flow.line()
    flow.line("Anlagen:", bold=True)
    flow.line("1. Präsentation")
    flow.line("2 Lageplan")
    flow.finish()
    data = scan((tmp_path / "items.pdf").read_bytes(), SCAN, seed=12)
    lines, views, result = _read(data)
    _as_misread(lines, 1, "1.", "1l..")
    leipzig_text.resolution(lines, 0, 2, result, views)
    assert result["resolution_items"] == [{"number": "1", "text": "Die Verwaltung prüft das "
                                           "Vorhaben und berichtet dem Fachausschuss."}]
    doc = read_document(data)
    leipzig._sections_and_attachments(doc.pages, result)
    assert result["attachments_listed"] == ["Präsentation", "Lageplan"]


@needs_tesseract
def test_climate_text_after_a_label_with_a_letter_misread(tmp_path):
    """'liegt vor: s. Aniage/Kapitel der Vorlage: Anlage 3': the label did not match, so
    the text after it was lost. On a scan the label matches with a letter misread; on a
    text layer only as printed."""
    flow = Flow(tmp_path / "climate.pdf", {"font": "Helvetica", "size": 9, "margin": 60,
                                           "leading": 1.4})
    flow.line("Berechnete THG-Emissionen (in t bzw. t./a): 1250 t/a")
    flow.line("liegt vor: s. Anlage/Kapitel der Vorlage: Anlage 3")
    flow.line("wird vorgelegt mit: Baubeschluss")
    flow.finish()
    for data in (scan((tmp_path / "climate.pdf").read_bytes(), SCAN, seed=13),
                 (tmp_path / "climate.pdf").read_bytes()):
        lines, views, result = _read(data)
        _as_misread(lines, 1, "Anlage/Kapitel", "Aniage/Kapitel")
        result["climate_impact"] = {}
        leipzig_form._texts(lines, CLIMATE_TEXTS, result, views)
        scanned = views[1].is_ocr
        assert result["climate_impact"] == {
            "ghg_emissions": "1250 t/a", "submitted_with": "Baubeschluss",
            **({"documented_in": "Anlage 3"} if scanned else {})}


@needs_tesseract
def test_bold_serif_numeral_whose_strokes_ocr_merged(tmp_path):
    """Times bold 'VII-A-08070' at 150 dpi: the two I's blur into one and OCR reads
    'VI-A-08070' (3 of 60 tuning scans), or 'VIlI' (read VIII). The numeral's upright
    strokes at mid-height are counted on the scan: VI three, VII four; a printed VI stays."""
    coarse = dict(SCAN, dpi=150, blur=0.8, jpeg=60)
    cases = [("VII-A-08070", "VI"), ("VI-A-08070", "VI"), ("VII-A-08049-ÄA-01", "VI"),
             ("VII-Ifo-08021", "VIlI")]  # 'VIlI' alone would be taken for VIII
    for printed, numeral in cases:
        flow = Flow(tmp_path / "ref.pdf", {"font": "Times-Roman", "size": 10, "margin": 60,
                                           "leading": 1.4})
        flow.line(f"Antrag-Nr. {printed}", bold=True)
        flow.finish()
        lines, views, _result = _read(scan((tmp_path / "ref.pdf").read_bytes(), coarse, seed=14))
        misread = f"{numeral}-" + printed.split("-", 1)[1]
        first, *rest = lines[0].words[1:]  # as one word, as the page pass read the header
        word = replace(first, text=misread, x1=max(w.x1 for w in [first, *rest]),
                       top=min(w.top for w in [first, *rest]),
                       bottom=max(w.bottom for w in [first, *rest]))
        lines[0] = Line(1, [lines[0].words[0], word])
        mapped = leipzig.reference_of(leipzig.HEADER.match(lines[0].text))
        assert leipzig_reference.numeral_by_strokes(lines[0], mapped, views) == printed


@needs_tesseract
@pytest.mark.parametrize("slip", ["mark", "lost"])
def test_item_number_read_as_a_mark_or_lost_after_a_full_line(tmp_path, slip):
    """'2.' read as '»' at the numbers' margin, or '3.' lost after an item whose last line
    runs the full width ('… zur Kenntnis.'): both ran into the item before. The number is
    read again from the scan (the mark itself, or the margin left of the paragraph)."""
    items = ["Der Oberbürgermeister wird beauftragt, bis zum 30.06.2023 ein Konzept zum "
             "Thema Schulbau vorzulegen.",
             "Die Ratsversammlung nimmt den Bericht zum Thema Ordnungsamt zur Kenntnis.",
             "Die für das Vorhaben notwendigen Mittel sind im Haushalt 2023 einzuplanen."]
    flow = Flow(tmp_path / "items.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                         "leading": 1.4})
    flow.line("Beschlussvorschlag:", bold=True)
    for n, text in enumerate(items, 1):
        flow.paragraph(text, hang=f"{n}. ", width=380)
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "items.pdf").read_bytes(), SCAN, seed=15))
    at = {ln.words[0].text: i for i, ln in enumerate(lines)}
    if slip == "mark":
        _as_misread(lines, at["2."], "2.", "»")
    else:
        lines[at["3."]] = Line(1, lines[at["3."]].words[1:])
        assert lines[at["3."] - 1].bbox[2] > lines[1].bbox[2] - 40  # a full line before
    leipzig_text.resolution(lines, 0, len(lines), result, views)
    assert result["resolution_items"] == [{"number": str(n), "text": text}
                                          for n, text in enumerate(items, 1)]


@needs_tesseract
def test_budget_year_with_a_speck_read_as_a_mark(tmp_path):
    """'‚2022' in a scanned budget row's 'von' cell (a speck before the year) that reads
    the same again: the mark is no part of a year."""
    flow = Flow(tmp_path / "budget.pdf", {"font": "Helvetica", "size": 9, "margin": 60,
                                          "leading": 1.4})
    widths = [95, 80, 57, 57, 84, 112]
    flow.line("Finanzielle Auswirkungen", bold=True)
    flow.grid_row(["Im Haushalt wirksam", "", "von", "bis", "Höhe in EUR", "wo veranschlagt"],
                  widths, bold=True)
    flow.grid_row(["Finanzhaushalt", "Einzahlungen", "‚2022", "2023", "5.000,00 €",
                   "1.100.11.1.1.01"], widths)  # the speck printed, so a re-read sees it too
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "budget.pdf").read_bytes(), SCAN, seed=16))
    leipzig_form._budget_grid(lines, None, views, result)
    assert result["financial_impact"]["budget_lines"] == [
        {"budget": "Finanzhaushalt", "kind": "Einzahlungen", "from": "2022", "to": "2023",
         "amount_eur": 5000.0, "budget_position": "1.100.11.1.1.01"}]


@needs_tesseract
def test_version_suffix_ocr_garbled_is_read_again(tmp_path):
    """'Neufassung Nr. VII-A-08084-NF-O01l': the pattern took 'VII-A-08084' and lost the
    version. The reference is read again from the scan and taken when it reads whole."""
    flow = Flow(tmp_path / "nf.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                      "leading": 1.4})
    flow.line("Neufassung Nr. VII-A-08084-NF-01", bold=True, gap=1.4)
    flow.line("Status: öffentlich")
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "nf.pdf").read_bytes(), SCAN, seed=17))
    ref = lines[0].words[-1]
    lines[0] = Line(1, lines[0].words[:-1] + [replace(ref, text="VII-A-08084-NF-O01l")])
    leipzig._header(lines, 0, result, views)
    assert (result["paper"]["reference"], result["paper"]["version_suffix"]) == (
        "VII-A-08084-NF-01", "NF-01")


@needs_tesseract
def test_options_two_lines_below_a_label_whose_last_line_ocr_lost(tmp_path):
    """The climate page's Stufe 2: on a scan the label matched on its first line only
    ('… klimapolitischen', not '/ Beschlüsse (s. leipzig.de)'), so the options searched
    ended before 'nicht berührt' on the second line of options (3 of 100 tuning scans)."""
    flow = Flow(tmp_path / "c.pdf", {"font": "Courier", "size": 9, "margin": 60,
                                     "leading": 1.5, "box_side": "right", "box": 8})
    flow.line("Stufe 2: Die Vorlage berücksichtigt die zentralen energie- und klimapolitischen")
    flow.line("Beschlüsse (s. leipzig.de)")
    flow.choice_row("", [("ja", False), ("nein (Begründung s. Abwägungsprozess)", False)],
                    "text", "k", 1)
    flow.choice_row("", [("nicht berührt (Prüfschema endet hier.)", True)], "text", "k", 1)
    flow.line()
    flow.line("Stufe 3: Detaillierte Darstellung zur abschätzbaren Klimawirkung nur bei")
    flow.finish()
    question = next(q for q in QUESTIONS if q.field.endswith("considers_climate_decisions"))
    scanned = dict(SCAN, dpi=240, angle=1.2, jpeg=None)
    for data in ((tmp_path / "c.pdf").read_bytes(),
                 scan((tmp_path / "c.pdf").read_bytes(), scanned, seed=18)):
        lines, views, _result = _read(data)
        answer = bands.read_questions(lines, views, [question])[question.field]
        assert bands.value_of(question, answer.found, answer.boxes) == ("nicht berührt", None)


@needs_tesseract
def test_no_body_line_is_made_up_from_specks(tmp_path):
    """A header with no body line above it on a speckled scan: the band above is read
    again, and specks read as 'v7' or 'VS' are no body."""
    flow = Flow(tmp_path / "head.pdf", {"font": "Helvetica", "size": 10, "margin": 60,
                                        "leading": 1.4})
    flow.line("")
    flow.line("Beschlussvorlage-Nr. VII-DS-08063", bold=True, gap=1.4)
    flow.line("Status: öffentlich")
    flow.finish()
    speckled = dict(SCAN, dpi=150, noise=0.004, jpeg=60)
    lines, views, result = _read(scan((tmp_path / "head.pdf").read_bytes(), speckled, seed=19))
    at = next(i for i, ln in enumerate(lines) if leipzig.HEADER.match(ln.text))
    leipzig._body_again(lines[at], views, result)
    assert result["paper"]["body_hint"] is None
