"""Scanned cover sheets, the reading side: grids, budget lines and running text as OCR
reads them at 200-300 dpi (BENCHMARKS.md 2r). One small generated page per failure class."""

import pytest

from etl.contract import empty_result
from etl.pdf.document import read_document
from etl.pdf.ocr import tesseract_available
from etl.profiles import leipzig_form
from etl.profiles.lines import document_lines
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
