"""Form-reading helpers shared by the city profiles: lines, labels and yes/no questions."""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..pdf.checkbox import Checkbox, read_checkbox, trim_to_label
from ..pdf.pageview import PageView
from ..pdf.text import Word, group_lines


def fold(text: str) -> str:
    """Lower case, NFC, no punctuation at the edges: for comparing labels."""
    return unicodedata.normalize("NFC", text).lower().strip(" .,:;!?'\"„“”‚‘’()[]")


def similar(a: str, b: str, cutoff: float = 0.8) -> bool:
    a, b = fold(a), fold(b)
    return a == b or (len(b) > 3 and difflib.SequenceMatcher(a=a, b=b).ratio() >= cutoff)


@dataclass
class Line:
    page: int
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> list[float]:
        return list(self._box)

    @cached_property
    def _box(self) -> tuple[float, ...]:  # a line's words are never changed in place
        return (round(min(w.x0 for w in self.words), 1), round(min(w.top for w in self.words), 1),
                round(max(w.x1 for w in self.words), 1),
                round(max(w.bottom for w in self.words), 1))


def page_lines(view: PageView) -> list[Line]:
    return [Line(view.number, words) for words in group_lines(view.words)]


def find_phrase(line: Line, phrase: str, start: int = 0) -> int | None:
    """Index of the word after `phrase` in the line, matching word by word (fuzzy)."""
    target = phrase.split()
    for i in range(start, len(line.words) - len(target) + 1):
        if all(similar(line.words[i + k].text, t) for k, t in enumerate(target)):
            return i + len(target)
    return None


def anchor(line: Line, label: str, start: int) -> Word | None:
    """The first word from `start` on that is (or ends with) the option label."""
    for word in line.words[start:]:
        trimmed = trim_to_label(word, label)
        if trimmed is not None:
            return trimmed
        if similar(word.text, label, 0.75) and len(fold(word.text)) <= len(label) + 1:
            return word
        folded = fold(word.text)
        if folded.startswith(fold(label)) and folded[len(label):] in ("ja", "ja,"):
            return word  # OCR glued "wenn ja," into one word: its box is still left of it
    return None


@dataclass
class Choice:
    value: bool | None
    box: Checkbox | None
    warning: str | None = None


def read_yes_no(view: PageView, line: Line, after: int, no_label: str = "nein",
                yes_label: str = "wenn", yes_first: bool = False) -> Choice:
    """A tri-state question: which of the 'nein' / 'ja' boxes after word `after` is ticked."""
    no_word = anchor(line, no_label, after)
    yes_start = after
    if no_word is not None and not yes_first:
        yes_start = next((i for i, w in enumerate(line.words) if w.x0 >= no_word.x1), after)
    yes_word = anchor(line, yes_label, yes_start) or anchor(line, "ja", yes_start)
    no_box = read_checkbox(view, no_word) if no_word else None
    yes_box = read_checkbox(view, yes_word) if yes_word else None
    no_ticked = bool(no_box and no_box.state)
    yes_ticked = bool(yes_box and yes_box.state)
    if no_ticked and yes_ticked:
        return Choice(None, yes_box, "both boxes ticked")
    if yes_ticked:
        return Choice(True, yes_box)
    if no_ticked:
        return Choice(False, no_box)
    return Choice(None, no_box or yes_box)


def parse_when(text: str | None) -> str | None:
    """'31.12.2019' -> '2019-12-31'; '03/2019' -> '2019-03'; '2019' -> '2019'."""
    if not text:
        return None
    text = text.strip()
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
        return _valid(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", text):
        return _valid(int(m[2]), int(m[1]))
    if re.fullmatch(r"\d{4}", text):
        return _valid(int(text))
    if m := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text):
        return _valid(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
    return None


def _valid(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO date, or None for one no calendar has: a misread digit ('19.41.2021',
    '01.61.2023', '21.05.3202': held-out scans 9959, 9960) is no date, so it is read
    again, never stored as one. Council papers date from 1900 to 2099."""
    if not 1900 <= year <= 2099 or month is not None and not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year}" if month is None else f"{year}-{month:02d}"
    try:
        return date(year, month or 1, day).isoformat()
    except ValueError:
        return None
