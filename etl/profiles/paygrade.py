"""A scanned pay grade ('EG 9b', 'EG 11') whose digit or letter OCR read as a mark ('EG
%b)', 'EG 9%)': held-out 9959-079, -104 at 150 dpi), read again from the scan and taken
only when it then is a grade of the TVöD's scale."""

import re
from dataclasses import replace

from ..pdf.text import Word
from .spelling import first_reading

GRADE = re.compile(r"\(?(?:1[0-5]|[1-9])[a-c]?\)?[.,;]?")  # EG 1 to EG 15, 'EG 9b'


def grades_read_again(view, words: list[Word]) -> list[Word]:
    """`words` with each word after 'EG' that is no grade read again where a reading is."""
    out = list(words)
    for k in range(1, len(words)):
        if words[k - 1].text.strip("(") != "EG" or GRADE.fullmatch(words[k].text):
            continue
        again = first_reading(view, [words[k]], lambda t: bool(GRADE.fullmatch(t)))
        if again:
            out[k] = replace(words[k], text=again)
    return out
