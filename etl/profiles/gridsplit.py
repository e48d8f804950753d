"""A scanned grid row's words that OCR's page pass glued across a column edge, read again.

The page image has its table rules erased, so two cells' texts may stand a word space
apart and be read as one word ('250..000,00'1z300.11.1:1.01' for '1.250.000,00' and
'1.100.11.1.1.01', held-out scan 9954-056); the word's box read again on its own
(reread.reread_words) gives the cells' words with their own boxes (split at a rule read
as '|'), taken only when none of them still crosses an edge.
"""

import difflib
from collections.abc import Collection
from dataclasses import replace

from ..pdf.text import Word
from .form import Line, fold
from .reread import PAD_PT, reread, reread_words

LABEL_LIKE = 0.85  # how like a label a word read again is (einzahlungen, auszahlungen: 0.75)
OVER = 6  # points a word reaches past a column's left edge to be glued across it


def crosses(word: Word, xs: list[float]) -> bool:
    return any(word.x0 < x - OVER and word.x1 > x + OVER for x in xs)


def glued_apart(view, lines: list[Line], xs: list[float]) -> list[Line] | None:
    """`lines` with each word across a column edge (`xs`, the columns' left edges) read
    again as the words it holds; None when there is no such word or no new reading."""
    out, changed = [], False
    for line in lines:
        words: list[Word] = []
        for word in line.words:
            parts = _apart(view, word, xs) if crosses(word, xs) else None
            words += parts or [word]
            changed |= parts is not None
        out.append(replace(line, words=words) if words != line.words else line)
    return out if changed else None


def _apart(view, word: Word, xs: list[float]) -> list[Word] | None:
    found = reread_words(view, (word.x0 - PAD_PT, word.top - PAD_PT, word.x1 + PAD_PT,
                                word.bottom + PAD_PT))
    found = [part for w in found for part in at_rules(w)]
    if len(found) < 2 or any(crosses(w, xs) for w in found):
        return None
    return sorted(found, key=lambda w: w.x0)


def at_rules(word: Word) -> list[Word]:
    """`word` split at the column rules read in it ('250.000,00|1.100.11.1.1.01': the
    image read again has its rules), each part's box by its share of the letters."""
    texts = [t for t in word.text.split("|") if t]
    if len(texts) < 2:
        return [word]
    width = (word.x1 - word.x0) / len(word.text)
    parts, at = [], 0
    for text in texts:
        at = word.text.index(text, at)
        parts.append(replace(word, text=text, x0=word.x0 + at * width,
                             x1=word.x0 + (at + len(text)) * width))
        at += len(text)
    return parts



def label_again(view, line: Line, right: float, known: dict[str, str],
                needed: Collection[str]) -> list[str | None]:
    """The row labels (`known`: folded to printed) of a scanned row's label words left of
    `right` that OCR's page pass misread all ('BEgebnlehäushalt.' 'BEELSIE' for
    'Ergebnishaushalt Erträge'), read again; one of `needed` must be among them (a word
    close to a label is it: 'jerträge', a rule's remains before it); else []."""
    words = [w for w in line.words if w.x0 < right]
    if view is None or not view.is_ocr or not words:
        return []
    text = reread(view, words, lambda t: any(_label(x, known) in needed for x in t.split()))
    return [_label(x, known) for x in text.split()] if text else []


def _label(token: str, known: dict[str, str]) -> str | None:
    scores = {name: difflib.SequenceMatcher(a=fold(token), b=folded).ratio()
              for folded, name in known.items()}
    best = max(scores, key=lambda name: scores[name], default=None)
    return best if best is not None and scores[best] >= LABEL_LIKE else None
