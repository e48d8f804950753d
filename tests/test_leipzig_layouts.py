"""The six ways real cover sheets broke the line-based reader, each on a generated PDF,
plus the warning for a label without its options (issue #13)."""

import copy

import pytest

from etl.extract import extract_bytes
from etl.pdf.document import read_document
from etl.profiles.lines import document_lines
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.score import expected_fields, score
from etl.samples.textpdf import text_to_pdf

SEED = 31  # a seed of the tuning family (the benchmark's family is never used in tests)


def paper_where(condition, **layout) -> dict:
    for paper in generate_papers(SEED, 60, randomised=True):
        if condition(paper) and not paper.get("followers"):
            paper = copy.deepcopy(paper)
            paper["layout"].update(breaks=[], **layout)
            return paper
    raise AssertionError("no paper in the seed family fits")


def extracted(paper, tmp_path):
    path = tmp_path / "paper.pdf"
    render_paper(paper, path)
    data = path.read_bytes()
    lines, _views = document_lines(read_document(data))
    return extract_bytes(data), [ln.text for ln in lines]


def _width(font: str, size: float, words: str, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return stringWidth(words, f"{font}-Bold" if bold else font, size)


def assert_all_right(result, paper):
    wrong = {k: (result, expected_fields(paper)[k]) for k, ok in score(result, paper).items()
             if not ok}
    assert not wrong, list(wrong)


def test_wrapped_cells_keep_their_continuation_lines(tmp_path):
    paper = paper_where(lambda p: p["financial_impact"]["has_follow_up_costs"]
                        and p["staffing"]["has_staffing_impact"],
                        grid_scale=0.8, grid_jitter=[1.0] * 8, kind_columns="above",
                        hyphenate=True, font="Helvetica", size=10,
                        value_width=_width("Helvetica", 10, "1,0 VzÄ EG 11 (Sozial-") + 6)
    paper["staffing"]["positions_added"] = "1,0 VzÄ EG 11 (Sozialplanung)"
    for row in paper["financial_impact"]["follow_up_lines"]:
        row.update(kind="Folgekosten", budget_position="Sachkonto 42710000 (Personal- und "
                   "Sachkosten)")
    paper["financial_impact"]["follow_up_lines"][0].update(
        scope="Nach Durchführung der Maßnahme zu erwarten",
        item="Ergeb. HH Aufwand (ohne Abschreibungen)")
    result, lines = extracted(paper, tmp_path)
    assert "Nach Durchführung der Maßnahme zu erwarten" not in " | ".join(lines)  # it wraps
    assert any(ln.endswith("1,0 VzÄ EG 11 (Sozial-") for ln in lines)  # hyphenated
    assert result["staffing"]["positions_added"] == "1,0 VzÄ EG 11 (Sozialplanung)"
    first = result["financial_impact"]["follow_up_lines"][0]
    assert first["scope"] == "Nach Durchführung der Maßnahme zu erwarten"
    assert first["item"] == "Ergeb. HH Aufwand (ohne Abschreibungen)"
    assert first["budget_position"] == "Sachkonto 42710000 (Personal- und Sachkosten)"
    assert_all_right(result, paper)


@pytest.mark.parametrize("box_line, box_side", [("first", "left"), ("last", "left"),
                                                ("first", "right")])
def test_wrapped_question_labels_with_boxes_beside_any_line(tmp_path, box_line, box_side):
    paper = paper_where(lambda p: p["form"] == 2021 and p["financial_impact"]["is_investment"]
                        is not None, label_width=118, box_line=box_line, box_side=box_side)
    result, lines = extracted(paper, tmp_path)
    assert not any("Handelt" in ln and "aktivierungspflichtig" in ln for ln in lines)
    assert result["financial_impact"]["is_investment"] is \
        paper["financial_impact"]["is_investment"]
    assert not [w for w in result["file"]["warnings"] if "label" in w]
    assert_all_right(result, paper)


@pytest.mark.parametrize("method", ["text", "glyph", "vector", "widget"])
def test_kind_ticks_inside_the_follow_up_grid(tmp_path, method):
    paper = paper_where(lambda p: p["financial_impact"]["has_follow_up_costs"],
                        kind_columns="grid")
    paper["checkbox_method"] = method
    rows = paper["financial_impact"]["follow_up_lines"]
    rows[:] = [dict(rows[0], scope="Zu Lasten anderer OE", item="Ergeb. HH Aufwand",
                    kind="Einsparungen"),
               dict(rows[0], scope="Nach Durchführung der Maßnahme zu erwarten",
                    item="Ergeb. HH Erträge", kind="Folgekosten")]
    result, _lines = extracted(paper, tmp_path)
    got = result["financial_impact"]["follow_up_lines"]
    assert [(r["item"], r["kind"]) for r in got] == [("Ergeb. HH Aufwand", "Einsparungen"),
                                                    ("Ergeb. HH Erträge", "Folgekosten")]
    assert_all_right(result, paper)




@pytest.mark.parametrize("title, first_line", [
    ("Bau- und Finanzierungsbeschluss Ersatzneubau Grundschule Mockau", "Bau-"),
    ("Kinder- und Jugendförderplan der Stadt Leipzig 2024 bis 2026", "Kinder-"),
    ("Wahl der Schöffen und ehrenamtlichen Richter für die Jahre 2024 bis 2028",
     "Wahl der Schöffen und ehrenamtlichen Richter für die Jahre 2024 bis"),
])
def test_title_lines_join_with_the_hyphen_kept_and_the_last_line_read(tmp_path, title,
                                                                       first_line):
    paper = paper_where(lambda p: True, font="Helvetica", size=10)
    paper["title"] = title
    paper["layout"]["title_width"] = _width("Helvetica", 10, first_line, bold=True) + 3
    result, lines = extracted(paper, tmp_path)
    assert first_line in lines  # the title breaks right there
    assert result["paper"]["title"] == title


def test_label_without_its_options_is_a_warning():
    text = ("Ratsversammlung\nBeschlussvorlage-Nr. VII-DS-01234\nStatus: öffentlich\n"
            "Eingereicht von:\nDezernat Finanzen\nBetreff:\nEin Titel\n"
            "Beratungsfolge (Änderungen vorbehalten):\nRatsversammlung 17.05.2023 "
            "Beschlussfassung\nBeschlussvorschlag\n1. Die Ratsversammlung beschließt.\n"
            "Finanzielle Auswirkungen\nFinanzielle Auswirkungen X nein  wenn ja,\n"
            "Folgen bei Ablehnung\n\nSachverhalt\nText.\n")
    result = extract_bytes(text_to_pdf(text))
    assert result["financial_impact"]["has_financial_impact"] is False
    assert result["financial_impact"]["consequences_of_rejection"] is None
    assert "label found without its options: financial_impact.consequences_of_rejection" \
        in result["file"]["warnings"]


@pytest.mark.slow  # 14 s
def test_scanned_paragraph_sign_and_reference(tmp_path):
    """OCR reads '§' as '$' at times: the post-correction gives '§ 79' back (one page)."""
    from etl.samples.scan import rasterize

    paper = paper_where(lambda p: True, font="Helvetica", size=11, title_width=None)
    paper["title"] = "Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO"
    path = tmp_path / "paper.pdf"
    render_paper(paper, path)
    result = extract_bytes(rasterize(path.read_bytes(), dpi=200, seed=3, pages=[1]))
    assert result["file"]["ocr_pages"] == [1]
    assert result["paper"]["title"] == paper["title"]
    assert result["paper"]["reference"] == paper["reference"]


@pytest.mark.slow  # 12 s
def test_randomised_layouts_read_at_least_99_percent(tmp_path):
    """A small accuracy check on randomised layouts (seed family 500: neither the tuning
    family nor the benchmark's 9000); needs nothing from ../shared."""
    from etl.samples.layouts import variation_groups
    from etl.samples.score import summarise

    scores = []
    for index, paper in enumerate(generate_papers(500, 24, randomised=True)):
        path = tmp_path / f"{index}.pdf"
        render_paper(paper, path)
        result = extract_bytes(path.read_bytes())
        scores.append((variation_groups(paper["layout"], paper["checkbox_method"]),
                       score(result, paper)))
    summary = summarise(scores)
    assert summary["accuracy"] >= 0.99, summary["per_field"]
    assert min(summary["per_field"].values()) >= 0.9, summary["per_field"]
