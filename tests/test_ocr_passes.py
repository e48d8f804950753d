"""Resolution per page: prose is OCRed once at the scan's own dpi, a form page again at 300."""

import pytest

import etl.pdf.ocr as ocr
from etl.pdf.preflight import open_document
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scan import german_prose, prose_pdf, rasterize

pytestmark = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract not installed")


@pytest.fixture
def tesseract_calls(monkeypatch):
    """The dpi of every real Tesseract run, and whether its image was black and white."""
    calls, real = [], ocr.tesseract_tsv

    def counted(gray, dpi, lang="deu"):
        calls.append((round(dpi), "bw" if len(set(gray.ravel().tolist())) <= 2 else "grey"))
        return real(gray, dpi, lang)

    monkeypatch.setattr(ocr, "tesseract_tsv", counted)
    monkeypatch.setattr(ocr, "OCR_DPI", None)  # the default rule, whatever the environment
    return calls


def page_of(data: bytes):
    return open_document(data)[0]


def form_scan(tmp_path) -> bytes:
    path = tmp_path / "paper.pdf"
    render_paper(generate_papers(11, 1)[0], path)
    return rasterize(path.read_bytes(), dpi=200, angle=0.6, seed=3, pages=[1])


@pytest.mark.slow
def test_prose_page_is_ocred_once_at_its_own_resolution(tesseract_calls):
    scan = rasterize(prose_pdf(german_prose(5, 200), 1), dpi=200, angle=1.0, seed=5)
    words, _gray, scale, made = ocr.ocr_words(page_of(scan), 1)
    assert tesseract_calls == [(200, "bw")]  # cheaper for Tesseract, the same words
    assert made["dpi"] == 200 and made["passes"] == 1
    assert round(scale * 72) == 200 and len(words) > 150


@pytest.mark.slow
def test_form_page_is_ocred_again_at_300_dpi(tmp_path, tesseract_calls):
    words, _gray, scale, made = ocr.ocr_words(page_of(form_scan(tmp_path)), 1)
    assert tesseract_calls == [(200, "bw"), (300, "grey")]  # a form is read from grey
    assert made["dpi"] == 300 and made["passes"] == 2 and round(scale * 72) == 300
    assert ocr.names_a_form(words)


def test_fixed_floor_overrides_the_per_page_rule(tmp_path, tesseract_calls, monkeypatch):
    monkeypatch.setattr(ocr, "OCR_DPI", 0)
    _words, _gray, _scale, made = ocr.ocr_words(page_of(form_scan(tmp_path)), 1)
    assert tesseract_calls == [(200, "grey")] and made["passes"] == 1


@pytest.mark.slow
def test_page_scanned_at_300_dpi_is_read_once_in_grey(tesseract_calls):
    scan = rasterize(prose_pdf(german_prose(6, 120), 1), dpi=300, angle=0.5, seed=6)
    words, _gray, _scale, made = ocr.ocr_words(page_of(scan), 1)
    assert tesseract_calls == [(300, "grey")]  # no grey pass would follow for a form
    assert made == {"dpi": 300, "angle": made["angle"], "passes": 1} and len(words) > 80


def test_checkbox_shapes_are_counted_on_forms_not_on_prose(tmp_path):
    prose = page_of(rasterize(prose_pdf(german_prose(6, 200), 1), dpi=200, seed=6))
    gray, scale = ocr.render_gray(prose, 200)
    assert ocr.checkbox_count(gray, scale) == 0
    form = page_of(form_scan(tmp_path))
    gray, scale = ocr.render_gray(form, 200)
    assert ocr.checkbox_count(gray, scale) >= ocr.MIN_CHECKBOXES
