"""A document as one stream of positioned lines, page furniture removed."""

import re

from ..pdf.pageview import PageView
from .form import Line, fold, page_lines

FURNITURE = re.compile(r"^\s*(\d{1,3}\s*/\s*\d{1,3}|\d{1,4}|\d{1,3} von \d{1,3} in Zusammenstellung|"
                       r"Seite \d{1,3}( von \d{1,3})?|Tagged PDF)\s*$")


def is_furniture(text: str) -> bool:
    return bool(FURNITURE.match(text))


def document_lines(doc, max_pages: int = 12) -> tuple[list[Line], dict[int, PageView]]:
    """Lines of the first pages (where a cover sheet lives) and the page views used."""
    views, lines = {}, []
    for page in doc.pages[:max_pages]:
        view = PageView(doc, page.number)
        views[page.number] = view
        lines += [ln for ln in page_lines(view) if not is_furniture(ln.text)]
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
    return re.sub(r"(?<=[a-zäöüß])- (?=[a-zäöüß])", "", " ".join(text.split()))


def text_between(lines: list[Line], start: int | None, stop: int | None) -> str | None:
    if start is None:
        return None
    chosen = lines[start:stop if stop is not None else start + 1]
    return join_hyphenated(" ".join(ln.text for ln in chosen)) or None
