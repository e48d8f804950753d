"""A scanned grid's 'wo veranschlagt' cell (a budget position: 'PSP 1.100.31.5.0.01',
'Sachkonto 42710000 (Personal- und Sachkosten)') read from OCR's words, parts of it read
again from the scan (reread.py) when it is no position, and marks OCR misread mended."""

import difflib
import re
from dataclasses import replace

from ..pdf.text import Word
from .form import Line
from .lines import join_hyphenated
from .reread import PAD_PT, checked, reread, reread_words


def text_of(words: list) -> str:
    return join_hyphenated(" ".join(w.text for w in words))


POSITION_NUMBER = re.compile(r"\(?\d+(?:\.\d+)*\)?[,;]?|\d{1,2}\.\d{1,2}\.\d{4}")
POSITION_PREFIXES = ("PSP", "Sachkonto")  # what the form's 'wo veranschlagt' cells start with
POSITION_WORD = re.compile(r"\(?[A-Za-zÄÖÜäöüß]+-?\)?")  # 'Sachkonto', '(Personal-', 'und'


def is_position(text: str) -> bool:
    """'PSP 1.100.31.5.0.01', 'Sachkonto 42710000 (Personal- und Sachkosten)': numbers and
    plain words; a mark in or after a word ('und’', 'Personal-.'), a prefix that is not the
    form's ('vse 1.100…') or a number split in two ('7.0001 734.705.100') breaks it."""
    tokens = text.split()
    numbers = [any(c.isdigit() for c in token) for token in tokens]
    if tokens and not numbers[0] and tokens[0] not in POSITION_PREFIXES:
        return False
    if any(a and b and not t.startswith("(") for a, b, t in zip(numbers, numbers[1:], tokens[1:],
                                                                strict=False)):
        return False
    return all(POSITION_NUMBER.fullmatch(token) if number else POSITION_WORD.fullmatch(token)
               for token, number in zip(tokens, numbers, strict=True))


DOTTED = re.compile(r"\d+(?:[.:]\d+)+")


def position_cell(view, lines: list[Line], parts: list[list], left: float) -> str:
    """A scan's 'wo veranschlagt' cell: a prefix the page pass dropped read again
    (lost_prefix); a cell that is no clean position even mended (position_as_read) read
    again from the column's left edge, keeping a prefix its first reading had ('»» 1.100…'
    read again 'PSP 1.100…', never '1.100…'), then mended."""
    parts = lost_hyphens(view, [p for p in lost_prefix(view, lines, parts, left) if p])
    first = text_of(parts[0]).split()[:1]
    # a prefix misread ('P8P', '»»'), not a number misread ('1:2:00:11.:121:01', nor one
    # with letters in it, '1:200.J11:1=1z01': a number starts with a digit)
    prefixed = bool(first) and not first[0][:1].isdigit() and (
        any(c.isalpha() for c in first[0]) or not any(c.isdigit() for c in first[0]))

    def valid(text: str) -> bool:
        mended = position_as_read(text)
        return is_position(mended) and (not prefixed or mended.split()[0] in POSITION_PREFIXES
                                         ) and as_numbered(mended)

    def join(texts: list[str]) -> str:
        return join_hyphenated(" ".join(texts))

    span = (left - 2, max(w.x1 for p in parts for w in p) + 2)
    text = checked(view, parts, valid, join)  # the words' own boxes, then the column's width
    if not valid(text):  # (a box OCR drew round a misread prefix may cut it: '»»' for PSP)
        text = checked(view, parts, valid, join, span)
    if not valid(text) and prefixed and len(parts) > 1 and not any(
            c.isdigit() for c in text_of(parts[0])):  # a wrapped prefix line: no digit in it
        number = text_of(parts[1]).split()[0]
        again = reread(view, parts[0], lambda t: as_prefix(t.split()[0], number) is not None,
                       span)
        if again:
            text = join([again] + [text_of(p) for p in parts[1:]])
    if not valid(text) and valid(joined := split_joined(text)):
        text = joined
    return position_as_read(text)


def split_joined(text: str) -> str:
    """A position whose number a scan's wide glyph gap split, as read the same on its own
    ('Sachkonto 427 10000', 'PSP 7.000 1734.705.100'), joined: no position has two numbers
    in a row (is_position), so it is one."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


CONJUNCTIONS = ("und", "oder", "bis", "sowie")  # a hyphen of a shared compound part before them


def lost_hyphens(view, parts: list[list]) -> list[list]:
    """A position cell's lines with the hyphen OCR's page pass dropped at a wrapped line's
    end read again ('(Personal-' / 'und Sachkosten)' read '(Personal'): the line's last
    word before a conjunction on the next line, with a letter's width more on its right,
    taken only when it reads as the word and a hyphen."""
    out = [list(p) for p in parts]
    for line, after in zip(out, out[1:], strict=False):
        word = line[-1]
        if not word.text[-1:].isalpha() or after[0].text not in CONJUNCTIONS:
            continue
        if _reads_hyphened(view, word):
            line[-1] = replace(word, text=word.text + "-")
    return out


def _reads_hyphened(view, word: Word) -> bool:
    wide = 1.5 * (word.x1 - word.x0) / len(word.text)
    hyphened = word.text + "-"
    return reread(view, [word], lambda t: t.replace(" ", "") == hyphened,
                  (word.x0 - PAD_PT, word.x1 + wide)) is not None


def as_numbered(text: str) -> bool:
    """The form's numbering after a prefix: a PSP element's first group is one digit
    ('1.100.31.5.0.01', '7.0001734.705.100'), a Sachkonto has eight digits. Checked on a
    scan only, to read a cell again ('PSP 11.100.31.5.0.01', a digit added: 9954-004);
    a cell that never reads so is kept as read."""
    tokens = text.split()
    if len(tokens) < 2:
        return True
    number = tokens[1]
    if tokens[0] == "PSP":
        return re.fullmatch(r"\d\.\d.*", number) is not None
    if tokens[0] == "Sachkonto":
        return re.fullmatch(r"\d{8}", number) is not None
    return True


def as_prefix(token: str, number: str) -> str | None:
    """The form's prefix `token` is a misreading of, before `number`, or None."""
    letters = "".join(c for c in token if c.isalpha())
    if token in POSITION_PREFIXES:
        return token
    if DOTTED.fullmatch(number.rstrip(",;:.")) and 1 <= len(letters) <= 3 \
            and set(letters.lower()) & {"p", "s"}:
        return "PSP"
    if difflib.SequenceMatcher(None, letters.lower(), "sachkonto").ratio() >= 0.75:
        return "Sachkonto"
    return None


def lost_prefix(view, lines: list[Line], parts: list[list], left: float) -> list[list]:
    """A position cell's words by line, with a prefix OCR's page pass dropped read again:
    Tesseract drops a short word standing apart ('PSP' above its wrapped number, or left
    of it with a gap); the gap is read on its own (reread.reread_words) and taken only when
    it reads as the form's prefix."""
    if not parts or not any(parts):
        return parts
    first = next(i for i, p in enumerate(parts) if p)
    number = parts[first][0]
    if not number.text[:1].isdigit():
        return parts
    if first == 1 and not parts[0]:  # the prefix's line left empty, the number wrapped
        at, box = 0, (left - 2, lines[0].bbox[1] - 1, max(w.x1 for w in parts[1]) + 2,
                      lines[0].bbox[3] + 1)
    elif first == 0 and number.x0 > left + 12:  # a gap left of the number
        at, box = 0, (left - 2, number.top - 1, number.x0 - 1, number.bottom + 1)
    else:
        return parts
    found = reread_words(view, box)
    prefix = as_prefix(found[0].text, number.text) if len(found) == 1 else None
    if prefix is None:
        return parts
    out = [list(p) for p in parts]
    out[at] = [replace(found[0], text=prefix)] + out[at]
    return out


def position_as_read(text: str) -> str:
    """A scan's 'wo veranschlagt' cell whose marks OCR misread even when read again: a
    prefix misread is the form's ('sSachkanto' Sachkonto; 'vse', 'par', '»s' before a dotted
    PSP number: no other prefix has three letters or fewer), a colon inside a dotted
    number a full stop, marks after a word or the number ('und’', '42710000:') or before
    its opening bracket ('“(Personal-', '\\(Personal-') left out, a brace or square bracket
    that a round one closes ('{Personal- … Sachkosten)') a round one, and a mark-only
    token after the number (a speck: '3/6,') dropped."""
    tokens = text.split()
    if len(tokens) >= 2 and any(c.isalpha() for c in tokens[0]):  # 'P8P' too
        tokens[0] = as_prefix(tokens[0], tokens[1]) or tokens[0]
    out: list[str] = []
    for n, token in enumerate(tokens):
        if any(c.isdigit() for c in token):
            if out and _speck(token) and any(POSITION_NUMBER.fullmatch(t) for t in out):
                continue  # a speck after the number
            token = re.sub(r"(?<=\d):(?=\d)", ".", token)
            token = re.sub(r"^[!|\[\]]+(?=\d)", "", token)  # a rule's remains: '!1.100…'
            token = token.rstrip(",;:.") if n == len(tokens) - 1 or "(" not in token else token
        elif n > 0:
            token = re.sub(r"(?<=[A-Za-zÄÖÜäöüß-])[.,’'‘`]+(?=\)?$)", "", token)
            token = re.sub(r"^[“”„‚‘’'\"`\\]+(?=\()", "", token)  # a speck before '(Personal-'
            if ")" in text and "(" not in text:  # '{Personal- und Sachkosten)'
                token = re.sub(r"^[{\[](?=[A-Za-zÄÖÜäöüß])", "(", token)
        out.append(token)
    return " ".join(out)


def _speck(token: str) -> bool:
    """A token after a position's number that is a speck ('3/6,'), not the rest of a number
    OCR split ('1.: 700::31.5.0401' for 1.100.31.5.0.01: dropped, 'PSP 1' passed)."""
    bare = token.rstrip(",;:.")
    return (not any(c.isalpha() for c in token) and sum(c.isdigit() for c in token) <= 2
            and not POSITION_NUMBER.fullmatch(bare) and not DOTTED.fullmatch(bare))
