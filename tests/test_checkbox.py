"""Every checkbox drawing method, ticked and unticked, read from the generated fixtures."""

from dataclasses import dataclass

import pytest

from etl.pdf.document import read_document
from etl.pdf.pageview import PageView
from etl.profiles import bands
from etl.profiles.form import page_lines
from etl.profiles.leipzig_spec import QUESTIONS as LEIPZIG
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scan import rasterize

FIELDS = ("has_financial_impact", "cheaper_alternatives_checked", "consequences_of_rejection")
QUESTIONS = [q for q in LEIPZIG if q.field.split(".")[-1] in FIELDS]


@dataclass
class Read:
    value: bool | None
    box: object
    warning: str | None


def paper_with(method: str, ticked_yes: bool) -> dict:
    """A generated paper whose financial questions are answered as asked."""
    paper = generate_papers(11, 1)[0]
    paper["checkbox_method"] = method
    paper["form"] = 2021  # the financial block on a page of its own (page 2)
    fin = paper["financial_impact"]
    fin.update(has_financial_impact=ticked_yes, cheaper_alternatives_checked=not ticked_yes,
               consequences_of_rejection=None)
    return paper


def read_questions(doc, page=2) -> dict:
    """The three questions of one page, read as the Leipzig profile reads them."""
    view = PageView(doc, page)
    lines = [ln for ln in page_lines(view)]
    answers = {}
    for field, answer in bands.read_questions(lines, {page: view}, QUESTIONS).items():
        value, warning = bands.value_of(answer.question, answer.found, answer.boxes)
        box = next((b for b in answer.boxes if b.state), answer.boxes[0])
        answers[field.split(".")[-1]] = Read(value, box, warning)
    return answers


@pytest.mark.parametrize("method", ["text", "glyph", "vector", "widget"])
@pytest.mark.parametrize("ticked_yes", [True, False])
def test_checkbox_methods_born_digital(tmp_path, method, ticked_yes):
    path = tmp_path / f"{method}.pdf"
    render_paper(paper_with(method, ticked_yes), path)
    answers = read_questions(read_document(path.read_bytes()))
    assert answers["has_financial_impact"].value is ticked_yes
    assert answers["cheaper_alternatives_checked"].value is (not ticked_yes)
    assert answers["consequences_of_rejection"].value is None
    assert answers["has_financial_impact"].box.method == method
    assert answers["has_financial_impact"].box.confidence >= 0.9


@pytest.mark.slow  # 3 x 14-17 s
@pytest.mark.parametrize("method", ["text", "vector", "widget"])
def test_scanned_form_page_comes_back_through_ocr(tmp_path, method):
    path = tmp_path / "form.pdf"
    render_paper(paper_with(method, True), path)
    scan = rasterize(path.read_bytes(), dpi=200, angle=0.6, seed=3, pages=[2])
    doc = read_document(scan)
    assert doc.ocr_pages == [1]
    text = doc.pages[0].text
    for phrase in ("Finanzielle Auswirkungen", "Kostengünstigere Alternativen", "Stellenplan"):
        assert phrase in text
    answers = read_questions(doc, page=1)
    assert answers["has_financial_impact"].value is True
    assert answers["has_financial_impact"].box.method == "raster"
    assert answers["cheaper_alternatives_checked"].value is False


def test_both_boxes_ticked_is_null_with_a_warning(tmp_path):
    paper = paper_with("text", True)
    path = tmp_path / "both.pdf"
    from etl.samples import render

    original = render._tri
    render._tri = lambda value, yes="wenn ja,": [("nein", True), (yes, True)]
    try:
        render_paper(paper, path)
    finally:
        render._tri = original
    answers = read_questions(read_document(path.read_bytes()))
    assert answers["has_financial_impact"].value is None
    assert answers["has_financial_impact"].warning == "both boxes ticked"
