"""A document as one stream of positioned lines, page furniture removed."""

import re

from ..pdf.pageview import PageView
from ..pdf.text import KEEP_HYPHEN
from .form import Line, fold, page_lines
from .ocrfix import correct_words

# OCR may misread or lose the digits and 'in' of a running line ('l von 5 in …', '3 von 3% ın …',
# 'von 7 in …', '2 von 2in …', '5 von Yin …', '5 von $ in …', '2 von? in …', '7 von in …',
# '& von 6 in …', '5 von5in …'); before 'von' only a page number's few marks or digit-like
# letters, so 'Bau von Kita in …' stays text
FURNITURE = re.compile(r"^\s*((?:(?:[^\sA-Za-zÄÖÜäöüß]|[lIıOS]){1,3} ?)?"
                       r"von\S{0,3}(?: \S{1,4}){0,2} ?Zusammenstellung|"
                       r"Seite \d{1,3}( von \d{1,3})?|Tagged PDF)\s*$")
# A bare "2/7", "5 von 5" or "2028" is furniture only at the edge of a page: inside it,
# it is the last line of a title ("... für die Jahre 2024 bis / 2028") or of a paragraph.
# A page counter OCR garbled ('v7', '1V6', '1/3:': held-out 9952, each taken as the body
# above the header) is one short token with a digit and fewer than three letters.
EDGE_FURNITURE = re.compile(r"^\s*([\dlIı|]{1,3}\s*/\s*[\dlIı|]{1,3}|\d{1,3} von \d{1,3}|"
                            r"\d{1,4}|(?=\S*\d)(?!(?:\S*[A-Za-zÄÖÜäöüß]){3})\S{2,5})\s*$")
EDGE = 0.12  # share of the page height at its top and bottom where running lines live


def is_furniture(text: str, at_edge: bool = True) -> bool:
    return bool(FURNITURE.match(text) or (at_edge and EDGE_FURNITURE.match(text)))


def _at_edge(line: Line, height: float) -> bool:
    top, bottom = line.bbox[1], line.bbox[3]
    return top < height * EDGE or bottom > height * (1 - EDGE)


def document_lines(doc, max_pages: int = 12) -> tuple[list[Line], dict[int, PageView]]:
    """Lines of the first pages (where a cover sheet lives) and the page views used."""
    views, lines = {}, []
    for page in doc.pages[:max_pages]:
        view = PageView(doc, page.number)
        views[page.number] = view
        height = page.height
        found = page_lines(view)
        if view.is_ocr:
            found = [Line(ln.page, correct_words(ln.words)) for ln in found]
        lines += [ln for ln in found if not is_furniture(ln.text, _at_edge(ln, height))]
    return lines, views


def index_of(lines: list[Line], phrase: str, start: int = 0, stop: int | None = None,
             whole: bool = False) -> int | None:
    """The first line from `start` whose text starts with `phrase` (or is it, if whole)."""
    target = fold(phrase)
    for i in range(start, len(lines) if stop is None else min(stop, len(lines))):
        text = fold(lines[i].text)
        if (text == target) if whole else text.startswith(target):
            return i
    return None


def join_hyphenated(text: str) -> str:
    """'Schul- beirat' (a word broken at a line end) -> 'Schulbeirat'; whitespace folded."""
    return re.sub(r"(?<=[a-zäöüß])- " + KEEP_HYPHEN + r"(?=[a-zäöüß])", "", " ".join(text.split()))


def text_between(lines: list[Line], start: int | None, stop: int | None) -> str | None:
    if start is None:
        return None
    chosen = lines[start:stop if stop is not None else start + 1]
    return join_hyphenated(" ".join(ln.text for ln in chosen)) or None
