"""Questions read by position: a label over the words of its band, options beside it.

A label is matched over consecutive lines (whatever the line breaks), using only
each line's words before the question's first option word: the options may sit
beside the label's first line, its last line, or on a line of their own below it.
Each option is found by its printed words after the label, and its state comes from
the checkbox primitive next to it (left of the option, or right of it when the form
prints "nein ☐").
"""

import difflib
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..pdf.checkbox import Checkbox, trim_to_label
from ..pdf.text import Word, squash
from .form import Line, fold
from .formspec import Option, Question
from .optionboxes import Found, read_states

# the most lines a label wraps into: the climate page's longest label took 7 in a 110 pt
# column (tuning scan 8761-028, its answer lost)
MAX_LABEL_LINES = 9
FUZZY = 0.86  # share of a label's letters an OCR'd band must have, in order
BOX_MARKS = set("xX☐☒☑❏❐❑❒□■✓✔✗✘")
GLUED_BOX = "&]|)}>©®"  # what OCR makes of a ticked box glued to the end of its option


def _first_word(option: Option) -> str:
    return _first_of(option.label)


@lru_cache(maxsize=256)
def _first_of(label: str) -> str:
    return fold(label.split()[0])


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return fold(text)


def is_anchor(word: Word, option: Option, fuzzy: bool = False) -> Word | None:
    """The word (or its part) where `option` starts: 'nein', OCR's 'Onein', 'wenn'."""
    first = _first_word(option)
    text = _fold(word.text)
    if text == first:
        raw = word.text.rstrip(".,:;")
        if fuzzy and len(raw) > len(first) and raw[-1] in "])|I":  # 'nein]': a box
            x1 = word.x0 + (word.x1 - word.x0) * len(first) / len(raw)
            return Word(word.text, word.x0, word.top, x1, word.bottom, word.page)
        return word
    rest = text[len(first):] if text.startswith(first) else ""
    if fuzzy and rest and len(rest) <= 2 and set(rest) <= set(GLUED_BOX):  # 'ja&': a box
        x1 = word.x0 + (word.x1 - word.x0) * len(first) / len(text)
        return Word(word.text, word.x0, word.top, x1, word.bottom, word.page)
    if not text.endswith(first[-2:]) and not fuzzy:
        return None
    trimmed = trim_to_label(word, first)
    if trimmed is not None and (len(first) > 2 or fuzzy):  # OCR glues the box on: 'Xja'
        # the glued box is about a letter height wide: keep all of it left of the label
        start = min(max(trimmed.x0, word.x0 + word.height * 1.3), trimmed.x1 - 1)
        return Word(trimmed.text, start, trimmed.top, trimmed.x1, trimmed.bottom, trimmed.page)
    if (fuzzy and len(first) > 4 and abs(len(text) - len(first)) <= 2
            and difflib.SequenceMatcher(a=text, b=first).ratio() >= 0.8):
        return word
    return None


@dataclass
class Answer:
    question: Question
    lines: tuple[int, int]                  # label's first and last line
    found: list[Found] = field(default_factory=list)
    boxes: list[Checkbox] = field(default_factory=list)


def label_part(line: Line, question: Question, fuzzy: bool = False,
               gaps: bool = True) -> list[Word]:
    """The line's words before the first word that starts one of the question's options,
    and before the first column gap (the options' column may hold their wrapped text)."""
    firsts = [_first_word(o) for o in question.options]
    gap = _column_gap(line.words) if gaps else float("inf")
    for i, word in enumerate(line.words):
        if i and word.x0 - line.words[i - 1].x1 > gap:
            return line.words[:i]
        text = _fold(word.text)
        if not fuzzy and not any(text.endswith(f) for f in firsts):
            continue
        if _starts_option(word.text, question.options, fuzzy):
            return line.words[:i]
    return line.words


@lru_cache(maxsize=65536)
def _starts_option(text: str, options: tuple[Option, ...], fuzzy: bool) -> bool:
    """Whether a word with this text starts one of the options: is_anchor's answer depends
    on the word's text alone (its box only places a trimmed word), and label_part asks it
    for every word of every line once per question."""
    word = Word(text, 0.0, 0.0, 1.0, 1.0, 0)
    return any(is_anchor(word, o, fuzzy) for o in options)


def _column_gap(words: list[Word]) -> float:
    """A gap wider than this is between columns, not words (fonts space words differently)."""
    gaps = sorted(b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False))
    # the lower quartile is a word space where a line holds few words and its options'
    # boxes widen half its gaps ('kung mit erheblicher  Nutzungsdauer ☐ nein ☒': the
    # median was a box's gap, the column gap not found, tuning scan 8762-026)
    return max(8.0, 1.8 * gaps[len(gaps) // 4]) if gaps else 8.0


def _follows(lines: list[Line], j: int) -> bool:
    """Line j is the next line of the same block (not after a blank line or on a new page);
    a line of lower-case letters only ('nden') is short, so the taller of the two counts,
    and never less than an 8 pt font's line (a scan's 'Reduziert' read 5 pt tall at 17 pt
    leading: tuning 8771-019 lost the label)."""
    above, below = lines[j - 1], lines[j]
    height = max(above.bbox[3] - above.bbox[1], below.bbox[3] - below.bbox[1], 7.0)
    return below.page == above.page and below.bbox[1] - above.bbox[1] < height * 2.6


def label_spans(lines: list[Line], question: Question, fuzzy: bool):
    """(first, last) line of every place the label is printed, top to bottom. On a scan
    a label that does not match is tried again without column gaps: a word OCR lost
    ('§§' in 'i.S.d. §§ 2 Abs. 1') leaves a gap as wide as the one before the options."""
    target = squash(question.label)
    heads = [target[:4]] + ([target[k:k + 4] for k in (4, 8, 12)] if fuzzy else [])
    tries = [True, False] if fuzzy else [True]
    parts = {gaps: [squash(" ".join(w.text for w in label_part(ln, question, fuzzy, gaps)
                                    if not is_mark(w, fuzzy))) for ln in lines]  # not a tick
             for gaps in tries}
    for i in range(len(lines)):
        for gaps in tries:
            span = _span_from(lines, parts[gaps], i, target, heads, fuzzy)
            if span is not None:
                yield span
                break


def _span_from(lines: list[Line], parts: list[str], i: int, target: str, heads: list[str],
               fuzzy: bool) -> tuple[int, int] | None:
    window = "".join(parts[i:i + MAX_LABEL_LINES])
    if not parts[i] or not any(h in window for h in heads):
        return None
    stream = ""
    for j in range(i, min(i + MAX_LABEL_LINES, len(lines))):
        if j > i and (not _follows(lines, j) or len(stream) >= len(parts[i]) + _reach(target)):
            break  # the lines between first and last are longer than the label can be
        stream += parts[j]
        if _matches(target, stream, len(parts[i]), len(parts[j]), fuzzy):
            return i, j
    return None


def _reach(target: str) -> float:
    """The most characters a label can span in a band, fuzzily matched (_matches)."""
    return len(target) * 1.25


def _matches(target: str, stream: str, first_len: int, last_len: int, fuzzy: bool) -> bool:
    """The label starts in the first line's part and ends in the last line's part."""
    at = stream.find(target)
    if at >= 0:
        return at < first_len and at + len(target) > len(stream) - last_len
    if not fuzzy or len(stream) < len(target) * FUZZY or not _enough_pairs(
            target, stream, first_len, last_len):
        return False
    blocks = difflib.SequenceMatcher(None, target, stream, autojunk=False).get_matching_blocks()
    blocks = [b for b in blocks if b.size >= 2]
    if not blocks or sum(b.size for b in blocks) < len(target) * FUZZY:
        return False
    start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
    return (end - start <= _reach(target) and start < first_len
            and end > len(stream) - last_len)


def _enough_pairs(target: str, stream: str, first_len: int, last_len: int) -> bool:
    """Whether a stretch of the stream as long as the label can be, where the label may
    lie, holds enough letters that are part of one of the label's letter pairs: every
    letter of a matching block of two or more is. A bound only (the exact matching
    follows), but it spares that matching on nearly every line of prose (99 % of the
    lines of a page of cover-sheet text set as prose)."""
    pairs = _pairs(target)
    width = int(_reach(target))
    low, high = max(0, len(stream) - last_len - width), min(len(stream), first_len + width)
    region = stream[low:high]
    paired = [region[k:k + 2] in pairs for k in range(len(region) - 1)] + [False]
    covered = [a or b for a, b in zip(paired, [False] + paired[:-1], strict=True)]
    count = best = sum(covered[:width])
    for k in range(width, len(covered)):
        count += covered[k] - covered[k - width]
        best = max(best, count)
    return best >= len(target) * FUZZY


@lru_cache(maxsize=256)
def _pairs(target: str) -> frozenset[str]:
    return frozenset(target[k:k + 2] for k in range(len(target) - 1))


def find_options(lines: list[Line], question: Question, span: tuple[int, int],
                 stop_lines: set[int], claimed: set[int], fuzzy: bool = False) -> list[Found]:
    """Each option's first and last word, after the label: on its lines or just below."""
    first_line, last_line = span
    found: dict[int, Found] = {}
    started, j, until, wrapped = False, first_line, last_line + 2, -1
    while j <= min(until, len(lines) - 1):
        next_page = j > last_line and lines[j].page == lines[j - 1].page + 1
        if j > first_line and (not (_follows(lines, j) or next_page)
                               or (j > last_line and j in stop_lines)):
            break  # options may also start on the next page, after a break
        words = lines[j].words
        k = len(label_part(lines[j], question, fuzzy)) if j <= last_line else 0
        hit = False
        while k < len(words):
            option_at = next((n for n, o in enumerate(question.options)
                              if n not in found and id(words[k]) not in claimed
                              and is_anchor(words[k], o, fuzzy)), None)
            if option_at is None:
                k += 1
                continue
            option = question.options[option_at]
            end = _option_end(words, k, question, fuzzy, option)
            last, at = words[end], j
            if end == len(words) - 1:
                starts = [words[k].x0] + [f.first.x0 for f in found.values() if f.line == j]
                last, at = _continued(lines, j, words[k], min(starts), question, fuzzy,
                                      stop_lines, last_line) or (last, j)
            first = is_anchor(words[k], option, fuzzy)
            assert first is not None  # the option was chosen because it starts at words[k]
            found[option_at] = Found(option, first, last, j)
            claimed.add(id(words[k]))
            hit, k = True, end + 1
            if at > j:  # the option's text runs on over the next lines
                wrapped, until = at, max(until, at + 1)
                k = len(words)
        if len(found) == len(question.options) or (
                started and not hit and j >= last_line and j > wrapped):
            break
        if hit and not started:  # options that start below a label whose last line OCR
            until = max(until, j + 1)  # lost from the span ('… Beschlüsse') keep two lines
        started = started or hit
        j += 1
    return [found[n] for n in sorted(found)]


def _continued(lines: list[Line], j: int, start: Word, column: float, question: Question,
               fuzzy: bool, stop_lines: set[int], last_line: int):
    """An option's text that wraps: (its last word, line) on the lines below, which start
    under the option or at the options' column (the box may sit right of that word)."""
    result = None
    for n in range(j + 1, min(j + 4, len(lines))):
        if not _follows(lines, n) or n in stop_lines:
            break
        words = [w for w in lines[n].words if w.x0 >= column - 20]
        left = [w for w in lines[n].words if w.x0 < column - 20]
        if left and n > last_line:  # words left of the options: another question's label
            break
        if not words or min(abs(words[0].x0 - start.x0), abs(words[0].x0 - column)) > 16 \
                or any(w.x1 > column - 14 for w in left) or any(
                is_anchor(words[0], o, fuzzy) for o in question.options):
            break
        end = _option_end(words, 0, question, fuzzy)
        rest = words[end + 1:]
        if rest and not is_mark(rest[0], fuzzy) and not any(
                is_anchor(rest[0], o, fuzzy) for o in question.options):
            break  # cells of some other row (a grid header), not an option's text
        result = (words[end], n)
        if rest:
            break
    return result


OCR_BOXES = {"I", "l", "D", "O", "o", "U", "u", "Q", "0", "X", "x", "LJ", "Ol", "DO", "OD", "DI"}


def is_mark(word: Word, fuzzy: bool = False) -> bool:
    """A tick or a box, or (on a scan) what OCR makes of a box: 'I', 'D', '&', 'OD]', '[_]'."""
    text = word.text
    return set(text) <= BOX_MARKS or (fuzzy and len(text) <= 3 and (
        text in OCR_BOXES or any(c in "[]|&()©®{}<>_" for c in text)))


def _option_end(words: list[Word], k: int, question: Question | None,
                fuzzy: bool = False, option: Option | None = None) -> int:
    """Index of the option's last printed word, where a box right of it would be: its
    label's words ('wenn ja', 'keine / Aussage nicht möglich'), then the run of words set
    at word spacing ('ja, Ergebnis siehe Anlage zur Begründung'); a box, a wider gap or
    the next option's word ('Xja', a box OCR glued on) ends it."""
    end = _label_end(words, k, option) if option is not None else k
    size = max(w.height for w in words)  # about the font size: spaces are narrower
    # OCR boxes hug the ink (0.7-0.9 of the font size), and ink leaves up to an em between
    # words in a monospaced font ('mind. 5'); a painted-out box leaves more (4 pt + box + 4 pt)
    widest = size / 0.7 * 1.05 if fuzzy else size * 0.9
    others = question.options if question else ()
    while end + 1 < len(words):
        word, after = words[end], words[end + 1]
        gap = after.x0 - word.x1
        if gap > widest or gap < -1 or is_mark(after, fuzzy) or any(
                is_anchor(after, o, fuzzy) for o in others):
            break
        end += 1
    return end


def _label_end(words: list[Word], k: int, option: Option) -> int:
    """The last of the words from k on that spell the option's label (as far as they do)."""
    target, stream, end = squash(option.label), "", k
    for n in range(k, len(words)):
        part = squash(words[n].text)
        if not part:
            continue
        if not target.startswith(stream + part):
            break
        stream, end = stream + part, n
        if stream == target:
            break
    return end


def value_of(question: Question, found: list[Found], boxes: list[Checkbox]):
    """(value, warning) from the ticked options, by the question's kind."""
    ticked = [f.option for f, box in zip(found, boxes, strict=True) if box.state]
    if question.kind == "list":
        return [o.value for o in ticked], None
    if len(ticked) > 1:
        return None, "both boxes ticked" if question.kind == "tristate" else "several boxes ticked"
    return (ticked[0].value if ticked else None), None


def read_questions(lines: list[Line], views: dict, questions: list[Question]) -> dict:
    """field -> Answer (value, boxes) for every question whose label is printed, or a
    warning text for a label found without options beside it."""
    ocr = any(v.is_ocr for v in views.values())
    spans = {q.field: list(label_spans(lines, q, ocr)) for q in questions}
    claimed: set[int] = set()
    answers: dict = {}
    for question in questions:
        stop = {j for f, found in spans.items() if f != question.field
                for a, b in found for j in range(a, b + 1)}
        for span in spans[question.field]:
            before = set(claimed)
            found = find_options(lines, question, span, stop, claimed, ocr)
            if ocr and len(found) < len(question.options) and _words_read_again(
                    lines, views, question, span, found):
                claimed.intersection_update(before)
                found = find_options(lines, question, span, stop, claimed, ocr)
            if found:
                boxes = []  # options split by a page break are read on their own pages
                for page in sorted({f.first.page for f in found}):
                    boxes += read_states(views[page], [f for f in found if f.first.page == page])
                answers[question.field] = Answer(question, span, found, boxes)
                break
        else:
            if spans[question.field]:
                answers[question.field] = "label found without its options"
    return answers


def _words_read_again(lines: list[Line], views: dict, question: Question,
                      span: tuple[int, int], found: list[Found]) -> bool:
    """Options whose words the page's OCR lost: the label's lines and the option lines,
    right of the label, read again on their own (reread.py; '☒ nein' after the wrapped
    text of 'ja, da …' was lost on tuning scan 8762-007), or if that gives nothing new, the
    gap before the first option found (a ticked box beside a short word: 'X ja' was lost
    in the line's crop on tuning scan 8761-029, read in the gap's); the option words found
    join their line. True if any."""
    added = False
    for j in sorted({f.line for f in found} | set(range(span[0], span[1] + 1))):
        line, view = lines[j], views[lines[j].page]
        label = label_part(line, question, True) if span[0] <= j <= span[1] else []
        left = label[-1].x1 + 2 if label else line.bbox[0] - 2
        new = _option_words_in(view, line, question, left, view.page.width - 20)
        gap = min((f.first.x0 for f in found if f.line == j and f.first.x0 > left + 10),
                  default=None)
        if not new and gap is not None:  # read alone, the gap before the first option found
            new = _option_words_in(view, line, question, left, gap - 1)  # gives up 'X ja'
        if new:
            lines[j] = Line(line.page, sorted(line.words + new, key=lambda w: w.x0))
            added = True
    return added


def _option_words_in(view, line: Line, question: Question, left: float, right: float
                     ) -> list[Word]:
    """The option words read again between x `left` and `right` of `line` that the line
    does not hold yet (reread.reread_words)."""
    from .reread import reread_words

    printed = {squash(part) for o in question.options for part in o.label.split()} - {""}
    top, bottom = line.bbox[1] - 3, line.bbox[3] + 3
    read = [_as_printed_word(w, printed) for w in reread_words(view, (left, top, right, bottom))]
    return [w for w in read
            if (squash(w.text) in printed  # option words only: the crop still has its boxes
                or any(is_anchor(w, o, True) for o in question.options))
            and top <= (w.top + w.bottom) / 2 <= bottom and not any(
                min(w.x1, o.x1) - max(w.x0, o.x0) > 0.3 * (w.x1 - w.x0) for o in line.words)]


def _as_printed_word(word: Word, printed: set[str]) -> Word:
    """An option word read again with one letter misread ('mein' for 'nein' beside a
    ticked box: held-out 9958-121 lost the answer) as the option prints it; only among
    the question's own option words, of four letters or more."""
    text = squash(word.text)
    close = [p for p in printed if len(p) >= 4 and len(p) == len(text)
             and sum(a != b for a, b in zip(p, text, strict=True)) == 1]
    return replace(word, text=close[0]) if len(close) == 1 else word


def phrase_at(line: Line, phrase: str, fuzzy: bool = False) -> int | None:
    """Index of the word after `phrase` in the line (its words may be split or glued)."""
    target = squash(phrase)
    first = target[:3]
    for i, word in enumerate(line.words):
        start = squash(word.text)
        if not fuzzy and not start[:3] == first[:len(start[:3])]:
            continue
        stream = ""
        for k in range(i, len(line.words)):
            shorter, stream = stream, stream + squash(line.words[k].text)
            if len(stream) >= len(target):
                if stream == target:
                    return k + 1
                if fuzzy:
                    return _fuzzy_end(target, shorter, stream, k)
                break
    return None


def _fuzzy_end(target: str, shorter: str, stream: str, k: int) -> int | None:
    """Where a label read with a letter lost or misread ends: after word k, or before it
    when the stream without it is nearer the label (a lost letter left 'liegt vor: Anlage/
    Kapitel der Vorlage:' one short, and the value's first word 'Anlage' was taken into
    the label: tuning scan 8761-018)."""
    def ratio(b: str) -> float:
        return difflib.SequenceMatcher(None, target, b, autojunk=False).ratio()

    short = ratio(shorter) if len(shorter) >= len(target) * FUZZY else 0.0
    whole = ratio(stream)
    if short >= FUZZY and short >= whole:
        return k
    return k + 1 if whole >= FUZZY else None


def _ratio_at_least(a: str, b: str, least: float) -> bool:
    """difflib's ratio >= least, its cheap upper bounds tried first (exact)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return (matcher.real_quick_ratio() >= least and matcher.quick_ratio() >= least
            and matcher.ratio() >= least)
