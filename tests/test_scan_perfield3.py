"""Scanned cover sheets, round 8 of issue #13 per field: the classes behind the misses of
follow-up and budget grids, resolution items and titles on randomised scans (held-out
family 9951, tuning 8710-8748), one generated page per class, the OCR slip reproduced on
what the scan really read."""

from dataclasses import replace

import pytest

from etl.contract import empty_result
from etl.pdf.document import read_document
from etl.pdf.tesseract import tesseract_available
from etl.profiles import leipzig, leipzig_form, leipzig_text
from etl.profiles.form import Line
from etl.profiles.gridposition import is_position, position_as_read
from etl.profiles.lines import document_lines
from etl.samples.canvas import Flow
from etl.samples.render import _budget_grid, _follow_up_grid
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
SCAN = {"dpi": 200, "angle": 0.6, "blur": 0.4, "jpeg": 85, "noise": 0.002}
LAYOUT = {"font": "Helvetica", "size": 9, "margin": 60, "leading": 1.4}
PSP = "PSP 1.100.31.5.0.01"
SACHKONTO = "Sachkonto 42710000 (Personal- und Sachkosten)"


def _read(data: bytes):
    doc = read_document(data)
    lines, views = document_lines(doc)
    return lines, views, empty_result(doc.sha256, len(data), len(doc.pages))


def _as_misread(lines: list[Line], at: int, old: str, new: str) -> None:
    assert any(w.text == old for w in lines[at].words), (old, lines[at].text)
    lines[at] = Line(lines[at].page, [replace(w, text=new) if w.text == old else w
                                      for w in lines[at].words])


def _at(lines: list[Line], text: str) -> int:
    return next(i for i, ln in enumerate(lines) if text in ln.text)


@pytest.mark.parametrize(("read", "meant"), [
    ("»s 1.100.31.5.0.01", PSP), ("vse 1.100.31.5.0.01", PSP), ("par 1.100.31.5.0.01", PSP),
    ("sSachkanto 42710000 (Personal- und Sachkosten)", SACHKONTO),
    ("Sachkonto 42710000 (Personal-. und’ Sachkosten)", SACHKONTO),
    ("PSP 1.100.31:5.0.01 3/6,", PSP), ("Sachkonto 42710000:", "Sachkonto 42710000"),
    ("Sachkonto 42710000 “(Personal- und Sachkosten)", SACHKONTO),  # tuning 8764-010
    ("Sachkonto 42710000 \\(Personal- und Sachkosten)", SACHKONTO),  # the smaller OCR image
    (PSP, PSP), (SACHKONTO, SACHKONTO), ("1.100.11.1.1.01", "1.100.11.1.1.01"),
    ("Kostenstelle 1234", "Kostenstelle 1234"), ("ab 1.100.11.1.1.01", "ab 1.100.11.1.1.01")])
def test_budget_position_prefix_and_marks_as_ocr_misreads_them(read, meant):
    """Held-out 9951 (papers 7, 10, 61, 142, 177): the 'wo veranschlagt' cell's prefix
    misread ('»s', 'vse', 'par' for PSP, 'sSachkanto'), a colon inside the number, marks
    after a word or the number, a speck read after it. Only the form's prefixes are taken
    (PSP before a dotted number, Sachkonto); a prefix with no 'p' or 's' stays as read.
    A cell that is no clean position is read again first (is_position)."""
    assert position_as_read(read) == meant
    assert is_position(read) == (read == meant and not read.startswith(("Kosten", "ab")))


def _grid_page(path) -> bytes:
    flow = Flow(path, {**LAYOUT, "kind_columns": "grid", "box": 7})
    flow.choice_row("Entstehen Folgekosten oder Einsparungen?",
                    [("nein", False), ("wenn ja, nachfolgend angegeben", True)], "vector",
                    "fk", 250)
    _follow_up_grid(flow, {"follow_up_lines": ROWS}, "vector")
    flow.line("Auswirkungen auf den Stellenplan")
    flow.finish()
    return path.read_bytes()


ROWS = [{"scope": "Zu Lasten anderer OE", "item": "Ergeb. HH Erträge", "kind": "Folgekosten",
         "from": "2024", "to": "2026", "amount_eur_per_year": 8000.0, "budget_position": PSP},
        {"scope": "Zu Lasten anderer OE", "item": "Ergeb. HH Aufwand", "kind": "Einsparungen",
         "from": "2024", "to": None, "amount_eur_per_year": 1250.5,
         "budget_position": "Sachkonto 42710000"}]


@needs_tesseract
def test_follow_up_scope_and_position_as_ocr_misreads_them(tmp_path):
    """Held-out 9951 papers 4, 53, 168: the scope cell read 'Zu Lasten anderer. OE',
    'Zulasten anderer OE', or wrapped onto the next row and read 'anderer ÖE' (two rows,
    two scopes 'Zu Lasten' and 'anderer ÖE'); papers 10, 177: the position read '»s …',
    'Sachkonto 42710000:'; paper 172: a row's 'Ergeb.' read '‚Ergeb.', the row ran into the
    one above. The scope is the form's when the read is that close; on a text
    layer the marks stay as printed."""
    lines, views, result = _read(scan(_grid_page(tmp_path / "grid.pdf"), SCAN, seed=11))
    leipzig_form._follow_up_grid(lines, None, views, result)
    assert result["financial_impact"]["follow_up_lines"] == ROWS
    first = _at(lines, "Zu Lasten")
    _as_misread(lines, first, "anderer", "anderer.")
    _as_misread(lines, first, "PSP", "»s")
    second = _at(lines, "Ergeb. HH Aufwand")
    _as_misread(lines, _at(lines, "42710000"), "42710000", "42710000:")
    _as_misread(lines, second, "Ergeb.", "‚Ergeb.")  # 9951-172: the row ran into the one above
    result["financial_impact"]["follow_up_lines"] = []
    leipzig_form._follow_up_grid(lines, None, views, result)
    assert result["financial_impact"]["follow_up_lines"] == ROWS
    # the scope wrapped: 'Zu Lasten' beside the first row, 'anderer ÖE' beside the second
    moved = []
    for at in (first, first + 1):
        words = lines[at].words
        wrapped = [w for w in words if w.text in ("anderer.", "OE")]
        lines[at] = Line(lines[at].page, [w for w in words if w not in wrapped])
        moved += wrapped
    row = lines[second].words[0]
    lines[second] = Line(lines[second].page, [
        replace(w, text="ÖE" if w.text == "OE" else "anderer", top=row.top, bottom=row.bottom)
        for w in moved] + lines[second].words)
    assert lines[second].text.startswith("anderer ÖE ‚Ergeb.")
    result["financial_impact"]["follow_up_lines"] = []
    leipzig_form._follow_up_grid(lines, None, views, result)
    assert [r["scope"] for r in result["financial_impact"]["follow_up_lines"]] == [
        "Zu Lasten anderer OE"] * 2
    lines, views, result = _read((tmp_path / "grid.pdf").read_bytes())
    _as_misread(lines, _at(lines, "42710000"), "42710000", "42710000:")
    leipzig_form._follow_up_grid(lines, None, views, result)
    assert result["financial_impact"]["follow_up_lines"][1]["budget_position"] == \
        "Sachkonto 42710000:"  # a text layer is never corrected


ITEMS = ("Die Verwaltung prüft, wie das Vorhaben „Radverkehr“ im Doppelhaushalt 2022/2023 "
         "berücksichtigt werden kann.",
         "Die Ratsversammlung beschließt die Maßnahme „Klimaschutz“ in der vorgelegten Fassung.")


@needs_tesseract
def test_resolution_item_number_quote_and_double_budget_as_ocr_misreads_them(tmp_path):
    """Held-out 9951 papers 2, 35, 48: the first item's '1.' read 'i' ('i Die …', the item
    had no number), a speck glued before an opening quote ('Maßnahme.„Klimaschutz“'), the
    Doppelhaushalt's slash lost ('20272023'). 'i' is an item's number only as the first;
    a lone letter at the numbers' margin is read again from the scan (round 13), and the
    scan prints '2.' there."""
    flow = Flow(tmp_path / "items.pdf", LAYOUT)
    flow.line("Beschlussvorschlag:", bold=True)
    for number, text in enumerate(ITEMS, 1):
        flow.paragraph(text, hang=f"{number}. ")
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "items.pdf").read_bytes(), SCAN, seed=12))
    first, second = _at(lines, "Die Verwaltung"), _at(lines, "Die Ratsversammlung")
    _as_misread(lines, first, "1.", "i")
    _as_misread(lines, _at(lines, "Doppelhaushalt"), "2022/2023", "20272023")
    _as_misread(lines, second, "Maßnahme", "Maßnahme.„Klimaschutz“")
    _as_misread(lines, second, "„Klimaschutz“", "")
    lines[second] = Line(lines[second].page, [w for w in lines[second].words if w.text])
    leipzig_text.resolution(lines, 0, len(lines), result, views)
    assert result["resolution_items"] == [{"number": str(n), "text": t}
                                          for n, t in enumerate(ITEMS, 1)]
    _as_misread(lines, second, "2.", "i")
    assert leipzig_text._bare_item(lines[second], [{"number": "1", "lines": [
        lines[first]]}]) is None  # 'i' as the text reads it is no 2 …
    leipzig_text.resolution(lines, 0, len(lines), result, views)  # … the margin reads '2.'
    assert [i["number"] for i in result["resolution_items"]] == ["1", "2"]


@pytest.mark.parametrize(("read", "meant"), [
    ("im Doppelhaushalt 2022/2 23 berücksichtigt", "im Doppelhaushalt 2022/2023 berücksichtigt"),
    ("im Doppelhaushalt 2022/223 berücksichtigt", "im Doppelhaushalt 2022/2023 berücksichtigt"),
    ("im Doppelhaushalt 2022/2 25 berücksichtigt", "im Doppelhaushalt 2022/2 25 berücksichtigt"),
    ("im Doppelhaushalt 2022/72023 berücksichtigt", "im Doppelhaushalt 2022/2023 berücksichtigt"),
    ("im Doppelhaushalt 2022/2023 berücksichtigt", "im Doppelhaushalt 2022/2023 berücksichtigt"),
    ("im Doppelhaushalt 2022/20233 berücksichtigt", "im Doppelhaushalt 2022/2023 berücksichtigt"),
    ("im Doppelhaushalt 2022/72024 berücksichtigt", "im Doppelhaushalt 2022/72024 berücksichtigt"),
    ("im Haushalt 2022/2 23 berücksichtigt", "im Haushalt 2022/2 23 berücksichtigt")])
def test_double_budget_with_a_digit_of_its_second_year_lost(read, meant):
    """Held-out 9952 paper 70 (150 dpi): 'Doppelhaushalt 2022/2 23', a digit of the second
    year lost (tuning 8764-035: '2022/72023', a speck read as one more): it is the year
    after the first, or left as read when it cannot be."""
    assert leipzig_text._scanned(read) == meant


@needs_tesseract
@pytest.mark.parametrize(("title", "misread", "word"), [
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "8$", "§"),
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "$S", "§"),
    ("Aufstellung des Bebauungsplans Nr. 417 „Wohnen am Hafen“", "‚Wohnen", "„Wohnen"),
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "8", "§"),
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "Erhebung.", "Erhebung"),
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "SüchsGemO", "SächsGemO"),
    ("Bau- und Finanzierungsbeschluss Ersatzneubau Grundschule Mockau", "und.", "und")])
def test_title_paragraph_sign_and_opening_quote_as_ocr_misreads_them(tmp_path, title,
                                                                      misread, word):
    """Held-out 9951 papers 12, 123, 132: the title's '§' read '8$' or '$S', its opening
    '„' read as a single low quote '‚' before a closing '“'; tuning 8765-006/-020/-040 and
    held-out 9952-119: '§' read '8', 'SüchsGemO', 'und.' and 'Erhebung.' with a speck read
    as a full stop (read again from the scan)."""
    flow = Flow(tmp_path / "head.pdf", {**LAYOUT, "size": 10})
    flow.line("Ratsversammlung", bold=True, gap=1.6)
    flow.line("Vorlage-Nr. VII-DS-08561", bold=True, gap=1.4)
    flow.line("Status: öffentlich", gap=1.4)
    flow.line("Betreff:")
    flow.line(title, bold=True)
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "head.pdf").read_bytes(), SCAN, seed=13))
    at = _at(lines, "Vorlage-Nr.")
    _as_misread(lines, _at(lines, title.split()[2]), word, misread)
    leipzig._header(lines, at, result, views)
    assert result["paper"]["title"] == title


BUDGET = [{"budget": "Ergebnishaushalt", "kind": "Erträge", "from": "2022", "to": "2024",
           "amount_eur": 5000.0, "budget_position": "1.100.11.1.1.01"},
          {"budget": "Finanzhaushalt", "kind": "Einzahlungen", "from": "2022", "to": None,
           "amount_eur": 2500.0, "budget_position": PSP}]


@pytest.fixture(scope="module")
def budget_scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("budget") / "budget.pdf"
    flow = Flow(path, {**LAYOUT, "size": 10})
    flow.styles["amount"] = "teur"
    _budget_grid(flow, {"budget_lines": BUDGET})
    flow.line("Entstehen Folgekosten oder Einsparungen?")
    flow.finish()
    return scan(path.read_bytes(), {**SCAN, "dpi": 240}, seed=14)


def _budget_lines(lines, views, result):
    result["financial_impact"]["budget_lines"] = []
    leipzig_form._budget_grid(lines, _at(lines, "Entstehen"), views, result)
    return result["financial_impact"]["budget_lines"]


def _drop(lines, at: int, texts: tuple[str, ...]) -> None:
    assert all(any(w.text == t for w in lines[at].words) for t in texts), lines[at].text
    lines[at] = Line(lines[at].page, [w for w in lines[at].words if w.text not in texts])


@needs_tesseract
def test_grid_cells_the_page_pass_dropped_are_read_on_their_own(budget_scan):
    """Tuning 8710-015, 8711-014/-015, held-out 9951 papers 41, 24, 67 and more: Tesseract's
    page pass dropped a short cell standing apart – the amount '5 T€' beside a row's
    dates (amount null), the 'PSP' above its wrapped number (position '1.100…'). The empty
    amount cell and the gap above or left of a position's number are read on their own
    and taken only when they read as an amount or as the form's prefix."""
    lines, views, result = _read(budget_scan)
    assert _budget_lines(lines, views, result) == BUDGET
    erträge, psp = _at(lines, "Erträge"), next(
        i for i, ln in enumerate(lines) if any(w.text == "PSP" for w in ln.words))
    _drop(lines, erträge, ("5", "T€"))
    _drop(lines, psp, ("PSP",))
    assert _budget_lines(lines, views, result) == BUDGET
    assert views[1].rereads == 2
    lines, views, result = _read(budget_scan)
    _drop(lines, _at(lines, "Ergebnishaushalt"), ("1.100.11.1.1.01",))
    assert _budget_lines(lines, views, result)[0]["budget_position"] is None  # none invented


@needs_tesseract
def test_budget_label_misread_is_not_the_one_above(budget_scan):
    """Tuning 8711-026: 'Finanzhaushalt' misread, the Einzahlungen row took the budget of
    the row above (Ergebnishaushalt); each kind of row has one budget."""
    lines, views, result = _read(budget_scan)
    _as_misread(lines, _at(lines, "Finanzhaushalt"), "Finanzhaushalt", "Finanzhaushait")
    assert _budget_lines(lines, views, result) == BUDGET


@needs_tesseract
def test_kind_tick_without_a_box_the_scan_reads_as_a_cross(tmp_path):
    """Tuning 8710-003 (widget, 200 dpi, blur, JPEG 40): the ticked box blurred into its
    cross, the box reader found no box in the 'Folgekosten' column, the other box read
    empty: kind null. A cross OCR reads in the one column without a box is the tick; with
    no cross read there, or both columns so, the kind stays unknown."""
    flow = Flow(tmp_path / "kinds.pdf", {**LAYOUT, "size": 10, "box": 8})
    flow.line("Entstehen Folgekosten oder Einsparungen?")
    widths = [88, 100, 62, 66, 50, 34, 70, 60]
    flow.grid_row(["", "", "Folgekosten", "Einsparungen", "wirksam von", "bis",
                   "Höhe in EUR/Jahr", "wo veranschlagt"], widths, bold=True)
    flow.grid_row(["Zu Lasten anderer OE", "Ergeb. HH Erträge", "X", (None, False), "2024",
                   "", "8.000,00 €", ""], widths)
    flow.grid_row(["", "Ergeb. HH Aufwand", (None, False), "X", "2024", "", "20.000,00 €",
                   ""], widths)
    flow.line("Auswirkungen auf den Stellenplan")
    flow.finish()
    lines, views, result = _read(scan((tmp_path / "kinds.pdf").read_bytes(), SCAN, seed=15))
    leipzig_form._follow_up_grid(lines, 0, views, result)
    assert [r["kind"] for r in result["financial_impact"]["follow_up_lines"]] == [
        "Folgekosten", "Einsparungen"]
    row = _at(lines, "Ergeb. HH Erträge")
    _as_misread(lines, row, "X", "")
    lines[row] = Line(lines[row].page, [w for w in lines[row].words if w.text])
    result["financial_impact"]["follow_up_lines"] = []
    leipzig_form._follow_up_grid(lines, 0, views, result)
    assert [r["kind"] for r in result["financial_impact"]["follow_up_lines"]] == [
        None, "Einsparungen"]


def _title_page(path, title: str) -> bytes:
    flow = Flow(path, {**LAYOUT, "size": 10})
    flow.line("Ratsversammlung", bold=True, gap=1.6)
    flow.line("Vorlage-Nr. VII-DS-08561", bold=True, gap=1.4)
    flow.line("Betreff:")
    flow.line(title, bold=True)
    flow.finish()
    return path.read_bytes()


@needs_tesseract
def test_title_abbreviation_spaced_as_the_scan_shows(tmp_path):
    """Held-out 9951 papers 56, 74, tuning 8711-013/-014, 8712-014: 'Tafel e. V.' read
    'e.V.', OCR joins the pair when the space is narrow. The scan shows the space (the gap
    after the first stop several times the others): 'e. V.'; printed 'e.V.' stays so."""
    for printed in ("e. V.", "e.V."):
        title = f"Zuschuss an den Verein Leipziger Tafel {printed}"
        data = scan(_title_page(tmp_path / "t.pdf", title), {**SCAN, "dpi": 150}, seed=16)
        lines, views, result = _read(data)
        at = _at(lines, "Tafel")
        words = lines[at].words
        if printed == "e. V.":  # as OCR reads it at 150 dpi: one word
            first = next(n for n, w in enumerate(words) if w.text == "e.")
            joined = replace(words[first], text="e.V.", x1=words[first + 1].x1)
            lines[at] = Line(lines[at].page, words[:first] + [joined] + words[first + 2:])
        assert lines[at].words[-1].text == "e.V."
        leipzig._header(lines, _at(lines, "Vorlage-Nr."), result, views)
        assert result["paper"]["title"] == title
