"""A scanned word the dictionary does not know, read again with its neighbours.

OCR of a coarse scan slips by a letter in long running text ('Ratsversammlüng'), loses a
letter the box finder took for a checkbox and painted out ('bi zum', 'vor elegten'), or
splits a word ('Facha usschuss'). Such words are not German (lexicon.py); read again from
the scan – the word with both neighbours, then alone; black and white, gray, enlarged –
they often are. A new reading is taken only when every word of it is known, its marks are
the same and at most MAX_LETTERS_CHANGED letters differ, so a name the dictionary does not
know reads the same again and stays. Pixels only: never a text layer.
"""

from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from ..pdf.text import Word
from . import lexicon
from .linecrop import MARGIN_PX, PAD_PT, line_text, pixels_in
from .ocrfix import correct_text

MAX_UNKNOWN = 3  # words read again per line
MAX_WORD_READS = 24  # Tesseract runs for them per page, a budget apart from the form cells'
MAX_LETTERS_CHANGED = 2
SENTENCE_ENDS = (".", ":", "!", "?")
PAD_SIDES = 0.6  # of the words' height left and right: a letter lost at a line's edge


def reread_unknown(view, words: list[Word], after_hyphen: bool = False) -> list[Word]:
    """`words` (one line of a scan) with its unknown words read again where a new reading
    passes (see the module); `after_hyphen`: the first word ends a word the line before
    broke ('bete- / iligen'), no word on its own."""
    if not getattr(view, "is_ocr", False) or not lexicon.available():
        return words
    out, done = list(words), set[int]()
    for i in _suspects(words, after_hyphen)[:MAX_UNKNOWN]:
        spans = [(max(0, i - 1), min(len(words), i + 2)), (i, i + 1)]
        for lo, hi in spans[:1] if words[i].text[:1].isupper() else spans:  # names: once
            if done & set(range(lo, hi)):
                continue
            old = words[lo:hi]
            readings = image_readings(view, old, lo == 0, hi == len(words))
            new = next((t for t in readings if _better_words(t, old)), None)
            if new:
                out[lo:hi] = _spliced(old, new.split())
                done |= set(range(lo, hi))
                break
        if i not in done and (guess := one_slip_mended(words[i].text)):
            out[i] = replace(words[i], text=guess)
    return _split_words_joined([w for w in out if w.text])


# A glyph a coarse scan misreads the same way every time it is read: an umlaut's dots from
# specks ('Bebauungsplän'), 'l' read 'i', 'o' read 'c', 'm' read 'ni'. Not 'rn' or 'in'
# for 'm' nor 'c' for 'e': over 1 M words of Karlsruhe's texts they turned 'dern',
# 'Erkranktein', '-lich' into other words. An umlaut loses its dots only in a capitalised
# word: a small word's umlaut is most often a noun's broken tail ('Grün- flächen').
SLIPS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("i", "l"), ("c", "o"), ("ni", "m"))
MIN_SLIP_WORD = 4


def one_slip_mended(token: str) -> str | None:
    """An unknown word that every reading got wrong, mended where exactly one of SLIPS at
    one place makes it a word the list holds ('perscnellen', 'Thenia': held-out 9959 at
    150 dpi); None when none or several do (a name the list does not know stays). Over
    1 M words of Karlsruhe's texts it changes about one in 9,000, a fair share of them
    OCR's own slips there ('Abschiuss', 'Schuie')."""
    core = token.strip(lexicon.EDGE_MARKS)
    if len(core) < MIN_SLIP_WORD or not core.isalpha() or lexicon.known(core):
        return None
    found = {core[:k] + good + core[k + len(bad):] for bad, good in SLIPS
             for k in range(len(core)) if core.startswith(bad, k)
             and (len(bad) > 1 or bad.isascii() or core[:1].isupper())}
    # listed itself: taken as a compound, 'Schätzwerte' became 'Schatzwerte' (Karlsruhe)
    known = [w for w in found if lexicon.listed(w)]
    if len(known) != 1:
        return None
    start = token.index(core)
    return token[:start] + known[0] + token[start + len(core):]


def _split_words_joined(words: list[Word]) -> list[Word]:
    """A word OCR split at a gap ('Trink wasser': held-out 9957-128, 150 dpi): a lower-case
    part no list knows, after a word, where the two are one word the list knows."""
    out: list[Word] = []
    for word in words:
        joined = out[-1].text + word.text if out else ""
        if (out and word.text[:1].islower() and out[-1].text.lstrip("„‚(").isalpha()
                and not lexicon.known(word.text) and lexicon.known(joined)):
            out[-1] = replace(out[-1], text=joined, x1=word.x1)
        else:
            out.append(word)
    return out


def _spliced(old: list[Word], new: list[str]) -> list[Word]:
    """`old` with the tokens the new reading changed put in; the words it read the same
    keep their boxes (a later pass may look at a word's pixels: 'e. V.'). As many words as
    `old`, the emptied ones with no text."""
    head = 0
    while head < min(len(old), len(new)) - 1 and old[head].text == new[head]:
        head += 1
    tail = 0
    while (tail < min(len(old), len(new)) - head - 1
           and old[-1 - tail].text == new[-1 - tail]):
        tail += 1
    middle = old[head:len(old) - tail]
    changed = replace(middle[0], text=" ".join(new[head:len(new) - tail]), x1=middle[-1].x1)
    return [*old[:head], changed, *[replace(w, text="") for w in middle[1:]],
            *old[len(old) - tail:]]


def _suspects(words: list[Word], after_hyphen: bool) -> list[int]:
    """Indices of the unknown words, lower-case ones first (a capitalised unknown word is
    more often a name); not a line's broken last word ('bete-') or its first after one."""
    found = [i for i, w in enumerate(words)  # mid-sentence, 'Zur' or 'Berichtet' is no word
             if not lexicon.known(w.text, i == 0 or words[i - 1].text.endswith(SENTENCE_ENDS))
             and not (i == 0 and after_hyphen)
             and not (i == len(words) - 1 and w.text.endswith("-"))]
    return sorted(found, key=lambda i: words[i].text[:1].isupper())


def image_readings(view, words: list[Word], first: bool = False,
                   last: bool = False) -> Iterator[str]:
    """The words read again, one image variant after another, within the budget; with a
    letter's room left of the line's `first` word and right of its `last`."""
    crop = _crop(view, words, first, last)
    if crop is None:
        return
    gray, scale = crop
    for image, dpi in _variants(gray, scale * 72):
        if view.word_reads >= MAX_WORD_READS:
            return
        view.word_reads += 1
        text = _read_line(image, dpi)
        if text:
            yield correct_text(text)


def first_reading(view, words: list[Word], valid) -> str | None:
    """The first of `words`' readings again (image_readings) that is `valid`, or None."""
    return next((t for t in image_readings(view, words) if valid(t)), None)


def _crop(view, words: list[Word], first: bool, last: bool) -> tuple[np.ndarray, float] | None:
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    side = max(PAD_PT, PAD_SIDES * (bottom - top))  # no room beside a neighbour: it reads
    box = (min(w.x0 for w in words) - (side if first else PAD_PT), top - PAD_PT,
           max(w.x1 for w in words) + (side if last else PAD_PT), bottom + PAD_PT)
    found = pixels_in(view, box)
    return (np.pad(found[0], MARGIN_PX, constant_values=255), found[3]) if found else None


def _variants(gray: np.ndarray, dpi: float) -> Iterator[tuple[np.ndarray, float]]:
    """Black and white (as the form cells are read again), the gray itself, and the gray
    enlarged twice: each reads some slips of the others right ('Ratsversammiung' black and
    white, 'Ratsversammlung' enlarged)."""
    import cv2

    yield cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1], dpi
    yield gray, dpi
    yield cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), 2 * dpi


def _read_line(image: np.ndarray, dpi: float) -> str | None:
    tokens = (line_text(image, dpi) or "").split()
    while tokens and not any(c.isalnum() for c in tokens[0]):
        tokens.pop(0)  # a neighbour's mark or a rule at the crop's edge ('. Die …')
    while tokens and not any(c.isalnum() for c in tokens[-1]):
        tokens.pop()
    return " ".join(tokens) or None


def _better_words(text: str, old: list[Word]) -> bool:
    """`text` is known words with the marks of `old` – or one fewer, a letter OCR read as a
    mark ('Verwaltun, prüft,') – and nearly its letters, a mark lost counting as one."""
    before = " ".join(w.text for w in old)
    unchanged_start = text.split()[:1] == before.split()[:1]
    marks_lost = _marks_lost(_marks(before), _marks(text))
    return (not lexicon.unknown(text, unchanged_start) and marks_lost is not None
            and marks_lost + _letters_changed(_letters(before), _letters(text))
            <= MAX_LETTERS_CHANGED)


def _marks_lost(before: str, after: str) -> int | None:
    """0 for the same marks, 1 for one of them left out, None otherwise."""
    if before == after:
        return 0
    one_less = any(before[:i] + before[i + 1:] == after for i in range(len(before)))
    return 1 if one_less else None


def _marks(text: str) -> str:
    return "".join(c for c in text if not c.isalnum() and not c.isspace())


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _letters_changed(a: str, b: str) -> int:
    """Levenshtein distance: letters put in, left out or changed."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
