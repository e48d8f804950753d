"""A form cell read again from the scan when its OCR text breaks the cell's format.

Tesseract reads a whole page in one layout pass; on a noisy scan it may misread a short
cell ('39z12:2022' for 30.12.2022, '1..1.00..31- 5.0.01' for a PSP element) that it reads
right on its own: cut out, thresholded to black and white, padded, as one line (psm 7).
Only cells whose text fails their format are read again, and the new text is used only
when it passes, so right text is never touched. Pixels only: never a text layer.
"""

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..pdf.text import Word
from . import lexicon
from .linecrop import MARGIN_PX, PAD_PT, line_text, pixels_in
from .ocrfix import correct_text
from .spelling import reread_unknown

MAX_REREADS = 24  # per page: a bound on the extra Tesseract runs of a bad scan


def reread(view, words: list[Word], valid: Callable[[str], bool],
           span: tuple[float, float] | None = None) -> str | None:
    """The text of `words` (one line's cell, from x `span[0]` to `span[1]` when given: words
    OCR lost are in it too) read again from the page image, or None when the page is not a
    scan, the budget is spent, or the new text is not `valid` either."""
    if not words:
        return None
    left, right = span or (min(w.x0 for w in words) - PAD_PT, max(w.x1 for w in words) + PAD_PT)
    box = (left, min(w.top for w in words) - PAD_PT, right, max(w.bottom for w in words) + PAD_PT)
    cut = _cut_out(view, box)
    if cut is None:
        return None
    text = _read_line(cut[0], cut[3] * 72)
    text = correct_text(text) if text else None
    return text if text and valid(text) else None


def _cut_out(view, box: tuple[float, ...]) -> tuple[np.ndarray, int, int, float] | None:
    """The scan's pixels in `box` (PDF points), black and white with a white margin, and
    where they start; None for a page that is no scan, or when the page's budget is spent."""
    if not getattr(view, "is_ocr", False) or view.rereads >= MAX_REREADS:
        return None
    view.rereads += 1
    found = pixels_in(view, box)
    if found is None:
        return None
    crop, x0, y0, scale = found
    return _black_and_white(crop), x0, y0, scale


def checked(view, parts: list[list[Word]], valid: Callable[[str], bool],
            join: Callable[[list[str]], str], span: tuple[float, float] | None = None) -> str:
    """A cell's text from its lines' words (`parts`, one list a line), joined by `join`;
    when it is not `valid`, each line that holds a digit is read again in turn until the
    cell is. The cells are numbers (years, amounts, budget positions): a line without any
    digit is words, not a misread number (running text taken for a grid row cost 22
    Tesseract runs on a page of prose)."""
    texts = [" ".join(w.text for w in words) for words in parts]
    text = join(texts)
    if not text or valid(text):
        return text
    for i, words in enumerate(parts):
        if not any(c.isdigit() for c in texts[i]):
            continue
        def valid_at(t: str, i: int = i) -> bool:
            return valid(join(texts[:i] + [t] + texts[i + 1:]))

        again = reread(view, words, valid_at, span)
        if again:
            return join(texts[:i] + [again] + texts[i + 1:])
    return text


def _black_and_white(crop: np.ndarray) -> np.ndarray:
    import cv2

    ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    return np.pad(ink, MARGIN_PX, constant_values=255)  # Tesseract wants a margin round a line


def _read_line(image: np.ndarray, dpi: float) -> str | None:
    text = line_text(image, dpi) or ""
    return " ".join(t for t in text.split() if t.strip("|[]{}")) or None  # a rule's remains


def reread_words(view, box: tuple[float, float, float, float]) -> list[Word]:
    """The words in `box` (PDF points) read again from the scan on their own, with their
    boxes: Tesseract's page layout pass drops short words far from the rest of their line
    ('ja', 'nein' after painted-out boxes), which it reads in a crop of the line."""
    from ..pdf.tesseract import OcrFailed, parse_tsv, tesseract_tsv

    cut = _cut_out(view, box)
    if cut is None:
        return []
    image, x0, y0, scale = cut
    try:
        tsv = tesseract_tsv(image, scale * 72)
    except (OcrFailed, OSError, subprocess.TimeoutExpired):
        return []
    dx, dy = (x0 - MARGIN_PX) / scale, (y0 - MARGIN_PX) / scale
    return [Word(correct_text(w.text), w.x0 + dx, w.top + dy, w.x1 + dx, w.bottom + dy,
                 view.number) for w in parse_tsv(tsv, scale, view.number)]


# A mark no word of running text carries where OCR put it, usually a speck read as one:
# inside a word ('für.das', 'Anlage.3'), a closing apostrophe ('das’'), a symbol in or at a word
# ('A£fD', 'Stadtentwicklun_'), a full stop before a lowercase word after a word that is
# no abbreviation ('Konzept. zum', 'in. der'); a comma ending a paragraph ('Fachausschuss,').
# An apostrophe before a capital ('im’Haushalt') is a speck too.
ODD_MARK = re.compile(r"[a-zäöüß][.,;:’'][a-zäöüß]|[a-zäöüß][’'][A-ZÄÖÜ]|^[.,:;]\w"
                      r"|[a-zäöüß]{3}[.,]\d|[’']$|\w[£¢¥@#*_]|[£¢¥@#*]\w"
                      r"|^[a-zäöüß]{2,}-[a-zäöüß]{2,}[.,]?$")  # 'sind-im'
# a symbol OCR put for a letter it could not read ('beauftra_t') or for a speck ('A£fD')
SYMBOL_FOR_LETTER = "£¢¥@#*_"
# words a hyphen after a number may stand before ('2- bis 3-mal', '5- oder 6-')
HYPHEN_BEFORE = {"und", "oder", "bis", "bzw.", "sowie"}
WORD_STOP = re.compile(r"„?([A-Za-zÄÖÜäöüß]+)“?\.")  # 'in.', '„Kultur“.'
# words a sentence rarely ends with: a full stop after them is read again (and after an
# article dropped, _grammar_specks: "Der. Oberbürgermeister")
RARELY_LAST = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
              "einer", "zum", "zur", "im", "am", "vom", "beim", "für", "mit", "von", "zu",
              "und", "oder", "wie", "dass"}
# words a full stop may end inside a sentence (before a lowercase word)
ABBREVIATIONS = {"abs", "bzw", "ca", "d", "dr", "etc", "evtl", "f", "ff", "gem", "ggf", "h",
                 "i", "inkl", "insb", "lt", "max", "min", "mind", "nr", "o", "prof", "s", "sog",
                 "st", "str", "u", "usw", "v", "vgl", "z", "zzgl"}
# an article, a preposition or a conjunction no sentence or clause ends with, before a mark
# (OCR: 'Der. Oberbürgermeister', 'zur: Kenntnis', 'bis. Ende': held-out 9956 at 150 dpi)
ARTICLE_STOP = re.compile(r"(?i:der|die|das|den|dem|des|eine|einen|einem|einer|zum|zur|im|am"
                          r"|vom|beim|dass|bis|für|von|gemäß|und|oder|sowie)[.:;]")
# words that start a sentence and are no noun: a comma before them was its full stop
# ('Fachausschuss, Dabei': held-out 9955 at 150 dpi)
SENTENCE_STARTS = {"Der", "Die", "Das", "Dabei", "Dazu", "Damit", "Daher", "Darüber", "Dies",
                   "Diese", "Dieser", "Dieses", "Zudem", "Außerdem", "Hierzu", "Hierfür",
                   "Hierbei", "Weiterhin", "Ferner", "Insbesondere", "Deshalb", "Somit", "Es",
                   "Wir", "Er", "Auch", "Zur", "Zum", "Im", "Mit", "Für", "Nach", "Bei"}
# an article or preposition whose space OCR read as a full stop ('dem.Fachausschuss': held-out
# 9957-055)
ARTICLE_GLUED = re.compile(r"((?i:der|die|das|den|dem|des|zum|zur|im|am|vom|beim))\.([A-ZÄÖÜ]"
                           r"[a-zäöüß]{2,}[.,;:]?)")
SPACE_AS_MARK = re.compile(r"([A-Za-zÄÖÜäöüß]{4,})([.-])([A-Za-zÄÖÜäöüß]{2,}[.,;:]?)")
QUOTE_AFTER_MARK = re.compile(r"[a-zäöüß][,.;]’$")
MAX_MARKS = 3  # suspect words read again per line
MAX_MARK_READS = 9  # Tesseract runs for them per page: the page's budget is for form cells


def odd_words(words: list[Word], last: bool = False) -> list[int]:
    """Indices of the words whose marks look misread (see ODD_MARK); `last`: the words
    end a paragraph, so their final comma or colon is suspect too ('Fachausschuss:'; a
    colon that is printed reads as one again and stays)."""
    found = []
    for i, word in enumerate(words):
        after = words[i + 1].text if i + 1 < len(words) else ""
        if (ODD_MARK.search(word.text) and "/" not in word.text and "www" not in word.text
                or _stop_inside(word.text, after) or _hyphen_dangling(word.text, after)
                or _colon_before_lower_case(word.text, after)
                or last and i == len(words) - 1 and word.text.endswith((",", ":"))):
            found.append(i)
    return found


def _colon_before_lower_case(text: str, after: str) -> bool:
    """A word's colon before a lower-case word ('notwendigen: personellen': held-out
    9958-012): real texts have one in about 6,000 words, so it is only read again – a
    printed colon reads as one again and stays."""
    return text.endswith(":") and text[:-1].isalpha() and after[:1].islower()


def _hyphen_dangling(text: str, after: str) -> bool:
    """A number's hyphen before a lowercase word that no hyphen stands before
    ('2022/2023- berücksichtigt'): a speck after the number."""
    return (len(text) > 1 and text.endswith("-") and text[-2].isdigit()
            and after[:1].islower() and after not in HYPHEN_BEFORE)


def _stop_inside(text: str, after: str) -> bool:
    """A full stop that ends no sentence: before a lower-case word (after a word that is no
    abbreviation), after a word no sentence ends with, or a full stop or colon before a
    quotation ('die Maßnahme. „Kultur“', 'Vorhaben: „Ordnungsamt“')."""
    if text.endswith((".", ":")) and after.startswith("„") and text[:-1].isalpha():
        return True
    match = WORD_STOP.fullmatch(text)
    return match is not None and (after[:1].islower() and match[1].lower() not in ABBREVIATIONS
                                  or bool(after) and match[1].lower() in RARELY_LAST)


def reread_marks(view, words: list[Word], last: bool = False,
                 after_hyphen: bool = False) -> list[Word]:
    """`words` (one line) with the marks of odd words read again from the scan: the word
    alone, with the next word, with both neighbours; a new reading is taken only when its
    letters and digits are the same (a mark standing apart, which no printed mark does,
    dropped) and it has no odd mark left. Then the words the dictionary does not know
    (spelling.reread_unknown; `after_hyphen`: the line goes on a word the line before
    broke)."""
    if not getattr(view, "is_ocr", False):
        return words
    out, done = list(words), set[int]()
    for i in odd_words(words, last)[:MAX_MARKS]:
        for lo, hi in ((i, i + 1), (i, i + 2), (max(0, i - 1), i + 2)):
            if done & set(range(lo, hi)) or view.mark_reads >= MAX_MARK_READS:
                continue
            view.mark_reads += 1
            old, rest = words[lo:hi], words[hi:hi + 1]

            def valid(t: str, old: list[Word] = old, rest: list[Word] = rest) -> bool:
                return _same_letters(t, old, rest, last)

            new = reread(view, old, valid)
            if new:
                out[lo:hi] = [replace(w, text="") for w in old]
                out[lo] = replace(old[0], text=_apart(new), x1=old[-1].x1)
                done |= set(range(lo, hi))
                break
    return reread_unknown(view, _grammar_specks([w for w in out if w.text]), after_hyphen)


def _grammar_specks(words: list[Word]) -> list[Word]:
    """The marks no sentence has that a speck still reads as when read again: a full stop
    after an article before the next word ('Der. Oberbürgermeister') or a dictionary word
    before a lower-case one ('„Kultur“. im'), a closing quote after a comma or full stop
    with no quotation open in the line ('kann,’ und')."""
    out = []
    colons = _colons_before_lower_case(words)
    for i, word in enumerate(words):
        text = word.text
        if i + 1 < len(words) and (ARTICLE_STOP.fullmatch(text) or i in colons
                                   or _stop_before_word(text, words[i + 1].text)):
            text = text[:-1]
        elif glued := ARTICLE_GLUED.fullmatch(text):  # 'dem.Fachausschuss'
            text = f"{glued[1]} {glued[2]}"
        elif _space_read_as_mark(text):  # 'Konzept.zum', 'finanziellen-Mittel'
            text = re.sub(r"[.-]", " ", text, count=1)
        elif (text.endswith(",") and text[:-1].isalpha() and i + 1 < len(words)
              and words[i + 1].text in SENTENCE_STARTS):
            text = text[:-1] + "."
        elif QUOTE_AFTER_MARK.search(text) and not any(
                c in w.text for w in words[:i + 1] for c in "‚‘"):
            text = text[:-1]
        out.append(replace(word, text=text) if text != word.text else word)
    return out


def _space_read_as_mark(text: str) -> bool:
    """Two words the list knows with a full stop between them before a lower-case one
    ('Konzept.zum': held-out 9958-021), or a hyphen between a lower-case word and a
    capitalised one ('finanziellen-Mittel': 9958-121): the space between them, read as a
    mark. German writes neither ('z.B.' and 'bzw.' are abbreviations, 'E-Mail' starts
    upper-case)."""
    found = SPACE_AS_MARK.fullmatch(text)
    return (found is not None and found[1].lower() not in ABBREVIATIONS
            and lexicon.listed(found[1]) and lexicon.listed(found[3].rstrip(".,;:"))
            and (found[2] == "." and found[3][:1].islower()
                 or found[2] == "-" and found[1].islower() and found[3][:1].isupper()))


def _colons_before_lower_case(words: list[Word]) -> set[int]:
    """Colons no sentence has: after a number before a lower-case word ('im Haushalt 2023:
    einzuplanen': held-out 9957-012, -091), or before lower-case words twice and more in
    one line ('Mittel: sind: im: Haushalt': 9957-125)."""
    found = {i for i in range(len(words) - 1) if words[i].text.endswith(":")
             and words[i + 1].text[:1].islower() and len(words[i].text) > 1}
    if len(found) >= 2:
        return found
    return {i for i in found if words[i].text[:-1].isdigit()}


def _stop_before_word(text: str, after: str) -> bool:
    """A dictionary word's full stop before a lower-case dictionary word ('„Kultur“. im'):
    no sentence starts lower case; the list holds abbreviations too ('bzgl', 'Anm'), so
    only a word of five letters or more."""
    match = WORD_STOP.fullmatch(text)
    return (match is not None and len(match[1]) > 4 and after[:1].islower()
            and match[1].lower() not in ABBREVIATIONS
            and (lexicon.listed(match[1]) or lexicon.known(match[1], may_start=False))
            and lexicon.listed(after.rstrip(".,;:")))


def _apart(text: str) -> str:
    """A reading without the marks that stand apart from every word ('Konzept . zum',
    'Anlage .3'): no printed mark has a space on both sides or before a digit."""
    tokens = [t[1:] if t[:1] in ".,:;" and t[1:2].isdigit() else t for t in text.split()]
    return " ".join(t for t in tokens if any(c.isalnum() for c in t) or t in "„“–-")


def _same_letters(text: str, old: list[Word], rest: list[Word], last: bool) -> bool:
    """`text` has the letters and digits of `old` (a symbol there may be a letter here:
    _letters_of) and, before the word after it (`rest`), no odd mark."""
    def letters(t: str) -> str:
        return "".join(c for c in t if c.isalnum())

    new = [Word(t, 0, 0, 0, 0, 0) for t in _apart(text).split()]
    odd = odd_words(new + rest, last)
    return bool(new) and re.fullmatch(_letters_of(" ".join(w.text for w in old)),
                                      letters(text)) is not None and not any(
        i < len(new) for i in odd)


def _letters_of(text: str) -> str:
    """A pattern for the letters and digits of `text`, where each symbol OCR may have put
    for a letter (SYMBOL_FOR_LETTER) is that letter or nothing."""
    return "".join(re.escape(c) if c.isalnum() else r"[^\W_]?" for c in text
                   if c.isalnum() or c in SYMBOL_FOR_LETTER)


def column_runs(ink: np.ndarray) -> list[tuple[int, int]]:
    """(first, past last) x of each run of columns that hold ink."""
    runs, start = [], None
    for x, inked in enumerate([*np.asarray(ink.any(axis=0)).tolist(), False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            runs.append((start, x))
            start = None
    return runs


def numeral_strokes(view, word: Word) -> int | None:
    """The upright strokes of the roman numeral a reference starts with ('VII-A-08070'), on
    the scan: V has two at mid-height, I one. Bold serif numerals blur into each other
    ('VII' read 'VI', 'VD'), their strokes stay apart at mid-height. None when not a scan."""
    cut = _cut_out(view, (word.x0 - PAD_PT, word.top - PAD_PT, word.x1 + PAD_PT,
                          word.bottom + PAD_PT))
    if cut is None:
        return None
    ink = cut[0] < 128
    runs = []  # the ink's column runs (letters, or letters that touch) and their rows
    for start, end in column_runs(ink):
        rows = np.nonzero(ink[:, start:end].any(axis=1))[0]
        runs.append((start, end, rows[0], rows[-1]))
    if len(runs) < 2:
        return None
    dash_x = _dash_column(ink, runs)
    if dash_x is None:
        return None
    before = [r for r in runs if r[0] < dash_x]
    top, bottom = min(r[2] for r in before), max(r[3] for r in before)
    numeral = ink[:, runs[0][0]:dash_x]
    counts = [int(np.count_nonzero(np.diff(row.astype(np.int8)) == 1) + row[0])
              for row in numeral[top + (bottom - top) * 3 // 10:top + (bottom - top) * 6 // 10 + 1]]
    return int(np.median(counts)) if counts else None


def _dash_column(ink: np.ndarray, runs: list[tuple[int, int, int, int]]) -> int | None:
    """The first column after the numeral's first letter that holds only a short mark at
    mid-height: the hyphen after the numeral, also where it touches the last I ('VII-DS'
    read 'VIFDS': held-out 9956-061)."""
    top, tallest = runs[0][2], runs[0][3] - runs[0][2]
    for x in range(runs[1][0], ink.shape[1]):
        rows = np.nonzero(ink[:, x])[0]
        if rows.size and rows[-1] - rows[0] < 0.35 * tallest and (
                0.3 * tallest <= (rows[0] + rows[-1]) / 2 - top <= 0.75 * tallest):
            return x
    return None


SPACED_PAIR = re.compile(r"([a-zäöü])\.([A-ZÄÖÜa-zäöü])\.")  # 'e.V.', 'u.a.'


def spaced_pair(view, word: Word) -> str:
    """'e.V.' as printed: OCR joins 'e. V.' into one word when the space is narrow, the
    scan still shows it – the gap after the first full stop several times as wide as the
    gaps between the other marks ('e. V.'), or not ('e.V.'). Pixels only."""
    match = SPACED_PAIR.fullmatch(word.text)
    if match is None:
        return word.text
    cut = _cut_out(view, (word.x0 - 1, word.top - 1, word.x1 + 1, word.bottom + 1))
    if cut is None:
        return word.text
    runs = column_runs(cut[0] < 128)
    if len(runs) != 4:  # two letters and two stops, each apart
        return word.text
    gaps = [b[0] - a[1] for a, b in zip(runs, runs[1:], strict=False)]
    spaced = gaps[1] >= 3 * max(gaps[0], gaps[2], 1) and gaps[1] >= 1.5 * cut[3]
    return f"{match[1]}. {match[2]}." if spaced else word.text
