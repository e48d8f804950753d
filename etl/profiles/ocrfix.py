"""OCR post-correction of the tokens that carry meaning: §, €, reference numbers, dates.

The rules are data (data/ocr_corrections.tsv), each with an example that the tests
check, so a reviewer can read and extend them without reading code. They are applied
only to text recognised from pixels, never to a text layer.
"""

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "ocr_corrections.tsv"
AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


@lru_cache(maxsize=1)
def rules() -> list[tuple[str, re.Pattern, str, str, str]]:
    """(name, pattern, replacement, example, expected) for every rule in the data file."""
    found = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, pattern, replacement, example, expected = line.split("\t")
        found.append((name, re.compile(pattern), replacement, example, expected))
    return found


def correct_text(text: str) -> str:
    for _name, pattern, replacement, _example, _expected in rules():
        if replacement == "DIGITS":
            text = pattern.sub(_as_digits, text)
        else:
            text = pattern.sub(replacement, text)
    return text


def _as_digits(match: re.Match) -> str:
    if "d" not in match.re.groupindex:
        return match.group(0).translate(AS_DIGIT)
    start, end = match.span("d")
    offset = match.start()
    whole = match.group(0)
    return whole[:start - offset] + match["d"].translate(AS_DIGIT) + whole[end - offset:]


def correct_words(words: list) -> list:
    """The same words (text.Word) with corrected text where a rule keeps the word count."""
    if not words:
        return words
    original = " ".join(w.text for w in words)
    corrected = correct_text(original)
    if corrected == original:
        return words
    parts = corrected.split(" ")
    if len(parts) != len(words):
        return words
    return [w if w.text == t else replace(w, text=t) for w, t in zip(words, parts, strict=True)]
