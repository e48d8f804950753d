"""The box finder before OCR on letters with a bowl and a stem: split_stack cut 'd', 'b',
'p', 'q' into parts whose bowl is a 5 pt square, and the bowl was painted out before
Tesseract read the page ('wird' read 'wir', 'bis' 'is', 'das' 'as', 'bzw.' 'zw.')."""

import numpy as np
import pypdfium2 as pdfium
import pytest

from etl.pdf import ocr
from etl.pdf.tesseract import tesseract_available
from etl.samples.canvas import Flow
from etl.samples.scanvary import scan

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")
TEXT = ("1. Der Oberbürgermeister wird beauftragt, bis zum 30.06.2023 ein Konzept",
        "3. Die Verwaltung prüft, wie das Vorhaben im Doppelhaushalt berücksichtigt",
        "Berechnete THG-Emissionen (in t bzw. t/a): 120 t/a, Vorgesehener Stellenabbau")


def _boxes_above_and_below(tmp_path, lines, dpi: int, settings: dict):
    """Three lines of 11 pt text over a ticked and an empty box, scanned: the boxes found
    among the text lines and below them, and the page's images."""
    flow = Flow(tmp_path / "text.pdf", {"font": "Helvetica", "size": 11, "margin": 60,
                                        "leading": 1.6})
    for line in lines:
        flow.line(line)
    flow.line()
    flow.choice_row("Finanzielle Auswirkungen", [("nein", False), ("ja", True)], "vector",
                    "fa", 200)
    flow.finish()
    data = scan((tmp_path / "text.pdf").read_bytes(), {"dpi": dpi, **settings}, seed=3)
    images = ocr.tesseract_input(pdfium.PdfDocument(data)[0], dpi)
    boxes = ocr.find_boxes(images.gray, images.scale)
    text_bottom = 124 * images.scale  # below the three text lines (11 pt: baselines 78-113 pt)
    return ([b for b in boxes if b[1] < text_bottom], [b for b in boxes if b[1] >= text_bottom],
            images)


@needs_tesseract
@pytest.mark.parametrize("dpi", [240, 300])
def test_letters_with_bowl_and_stem_are_no_boxes(tmp_path, dpi):
    """Tuning scans 8600-003/-015, 8601-003/-017, 8604-000 (240-300 dpi): the bowls of
    'd', 'b', 'p' were taken for checkboxes; the form's real boxes, ticked or not, are
    still found."""
    among, below, images = _boxes_above_and_below(
        tmp_path, TEXT, dpi, {"angle": -1.9, "blur": 0.4, "jpeg": 85, "noise": 0.004})
    assert among == []
    assert len(below) == 2
    assert np.isfinite(images.angle)


@needs_tesseract
@pytest.mark.parametrize("dpi", [200, 300])
def test_a_capital_b_is_no_box(tmp_path, dpi):
    """Tuning scans 8761-015 and 8764-034 (240, 300 dpi): the Helvetica 'B' of
    'Bürgerhaushalt' – a closed outline with ink in all four corners – was taken for a
    checkbox and painted out ('ürgerhaushalt' in a title and an item); its two bowls, one
    above the other, tell it from a box, empty or ticked."""
    text = ["Bericht zum Thema Bürgerhaushalt, Bebauungsplan Baubeschluss BBB 8 88"] * 3
    among, below, _images = _boxes_above_and_below(
        tmp_path, text, dpi, {"angle": -0.8, "blur": 0.0, "jpeg": 60, "noise": 0.002})
    assert among == []
    assert len(below) == 2
