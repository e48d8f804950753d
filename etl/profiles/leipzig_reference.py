"""The Leipzig reference ('VII-DS-08273-NF-01') in a cover sheet's header line, and how a
scan's OCR garbles it: the patterns, the misreadings undone, and the header line found and
its reference read again from the scan when no pattern takes it."""

import difflib
import re
from dataclasses import replace

from .form import Line
from .leipzig_text import from_scan
from .reread import numeral_strokes, reread
from .spelling import image_readings

REFERENCE = r"[IVXLHl1|v]+-[^\s-]{1,5}-\d{3,6}(?:-[A-Za-zÄÖÜäöü]+-\d{1,3})*"
# ("Nr," on a scan: 8769-030 at 150 dpi lost every field with its header)
HEADER = re.compile(r"^(?P<kind>[A-ZÄÖÜ][\wäöüÄÖÜß ]*?)(?:-Nr\.?|\s+Nr[.,])\s*:?\s*"
                    rf"(?P<ref>{REFERENCE})")
# the paper kinds in Leipzig references (VII-DS-08561, VII-Ifo-08021, VII-HP-01234, …)
REFERENCE_KINDS = ("A", "DS", "Ifo", "F", "EF", "P", "HP", "VSP", "ÄA", "NF")
_KIND_AND_NUMBER = "(?:" + "|".join(map(re.escape, REFERENCE_KINDS)) + r")-\d{3,6}"
# a numeral OCR made any 1-4 marks of, before a known kind and its number ('YII-A-08035'):
# kind and number carry the reference, the numeral is settled by its strokes
ANY_NUMERAL = rf"[^\s-]{{1,4}}(?=-{_KIND_AND_NUMBER})"
# a scan's header whose reference OCR garbled ('Beschlussvorlage-Nr. VII-DS-_8_63'; a
# bold serif II merged into an O, 'VO-A-08154', or lost with its hyphen, 'V DS-08042')
GARBLED_NUMERAL = rf"(?:[IVXLHl1|v][IVXLHil1|O0T]*(?:-|\s)|{ANY_NUMERAL}-)"
# such a reference whose numeral alone is garbled ('VOH-A-08035', 'Vil-A-08014', a serif
# I read T: 'VIT-A-08105', tuning 8712-023, every field lost with the header): the
# numeral is settled by its strokes on the scan
GARBLED_NUMERAL_ONLY = re.compile(rf"(?:[IVXLHl1|v][IVXLHil1|O0T]*|{ANY_NUMERAL})-"
                                  r"(?P<rest>[^\s-]{1,5}-\d{3,6}(?:-[A-Za-zÄÖÜäöü]+-\d{1,3})*)")
# any reference at all after 'Vorlage-Nr.' on a scan's first lines: the header is the
# header whatever OCR made of its reference ('VIFDS-08273', the hyphen read F: held-out
# 9956-061 lost every field with it) or of its kind's capital ('informationsvorlage-Nr.',
# 9956-113); the reference is read again or left out
GARBLED_HEADER = re.compile(r"^(?P<kind>[A-ZÄÖÜa-zäöü|][\wäöüÄÖÜß ]*?)(?:-Nr\.?|\s+Nr[.,])\s*:?\s*"
                            r"(?P<ref>\S+(?: \S+){0,3})$")
# a reference whose numeral and the hyphen after it are garbled into one ('VIFDS-08273'):
# its kind (the longest that fits) and number carry it, its strokes name the numeral
KIND_AND_NUMBER_AT_END = re.compile(
    "(?P<kind>" + "|".join(map(re.escape, sorted(REFERENCE_KINDS, key=len, reverse=True)))
    + r")-(?P<rest>\d{3,6}(?:-[A-Za-zÄÖÜäöü]+-\d{1,3})*)$")
# how OCR misreads roman numerals ('vII-DS-08882': held-out scan 9952-183, 150 dpi, lost all
# its fields when the header went unseen)
OCR_NUMERAL = {"l": "I", "1": "I", "|": "I", "H": "II", "v": "V"}
SUFFIX_MISREAD = {"AA": "ÄA"}  # no Leipzig suffix is 'AA' ('AW', 'DS', 'NF', 'VSP', 'ÄA' are)
COUNCIL_TERMS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")  # the council's terms


def reference_of(match) -> str:
    """The reference as printed, with the usual OCR misreadings of it undone."""
    numeral, kind, rest = match["ref"].split("-", 2)
    numeral = "".join(OCR_NUMERAL.get(c, c) for c in numeral)
    if numeral not in COUNCIL_TERMS and numeral.replace("L", "I") in COUNCIL_TERMS:
        numeral = numeral.replace("L", "I")  # a serif I read L ('VIL': held-out 9952-128)
    letters = re.sub(r"[^A-Za-zÄÖÜäöü]", "", kind) or kind  # stray marks read into the letters
    if letters != kind and letters not in REFERENCE_KINDS:  # 'I£o': a letter misread as a mark
        letters = next(iter(difflib.get_close_matches(letters, REFERENCE_KINDS, 1, 0.6)), letters)
    return f"{numeral}-{letters}-{_suffix_letters(rest)}"


def _suffix_letters(rest: str) -> str:
    """The number and version suffix, the suffix's letters as Leipzig writes them ('AA' for
    'ÄA': held-out 9957-049, 150 dpi)."""
    number, *suffix = rest.split("-", 1)
    if not suffix or "-" not in suffix[0]:
        return rest
    letters, digits = suffix[0].split("-", 1)
    return f"{number}-{SUFFIX_MISREAD.get(letters, letters)}-{digits}"


def garbled_header(lines: list[Line], views: dict) -> int | None:
    """The first lines of a scan hold no header the pattern takes when OCR garbled its
    reference: the line that is 'Beschlussvorlage-Nr.' and a garbled reference (one word, or
    split: 'VII-A- 8035-AA- 1') is the header, its reference read again from the scan
    (reread.py) and left out when that fails too."""
    for i, line in enumerate(lines[:4]):
        if line.page != 1 or not from_scan(line, views) or not GARBLED_HEADER.match(line.text):
            continue
        k = next((n for n, w in enumerate(line.words)
                  if re.match(GARBLED_NUMERAL, w.text + " ") and n > 0
                  and line.words[n - 1].text.endswith(("Nr.", "Nr", "Nr.:"))),
                 len(line.words) - 1)
        words = line.words[k:]  # the reference, maybe split ('VII-A-', '8035-AA-', '1')
        again = reread(views.get(line.page), words, known_reference)
        if again:  # the page pass's numeral and kind where they still read as one
            kept = re.match(r"[IVXLHl1|]+-[^\s-]{1,5}-", words[0].text)
            again = kept[0] + again.split("-", 2)[2] if kept else again
            word = replace(words[0], text=again, x1=words[-1].x1)
            lines[i] = Line(line.page, line.words[:k] + [word])
        return i
    return None


def known_reference(text: str) -> bool:
    """A reading of a reference that has its shape and a kind Leipzig uses (not 'VI-f-08196'
    for 'VIi-Ifo-08196': held-out 9956-046)."""
    return re.fullmatch(REFERENCE, text) is not None and text.split("-")[1] in REFERENCE_KINDS


def numeral_only_garbled(header: Line, views: dict | None) -> str | None:
    """A garbled header's reference whose kind and number read right, its numeral not
    ('Vil-A-08014', 'VOH-A-08035'): a numeral whose letters are all strokes ('i', 'l') as
    they read, else its strokes on the scan name it (VI, VII or VIII, the council terms);
    None when they do not."""
    word = header.words[-1]
    found = GARBLED_NUMERAL_ONLY.fullmatch(word.text)
    if found is None or not from_scan(header, views):
        return None
    read = "".join({"i": "I", **OCR_NUMERAL}.get(c, c) for c in word.text.split("-", 1)[0])
    numeral = read if read in ("VI", "VII", "VIII") else {3: "VI", 4: "VII", 5: "VIII"}.get(
        numeral_strokes((views or {}).get(header.page), word) or 0)
    return reference_of({"ref": f"{numeral}-{found['rest']}"}) if numeral else None


def reference_by_shape(header: Line, views: dict | None) -> str | None:
    """A reference whose numeral ran into its kind ('VIFDS-08273'): the known kind and
    number that end it, the numeral counted by its strokes on the scan; None otherwise."""
    word = header.words[-1]
    found = KIND_AND_NUMBER_AT_END.search(word.text)
    if found is None or found.start() == 0 or not from_scan(header, views):
        return None
    numeral = {3: "VI", 4: "VII", 5: "VIII"}.get(
        numeral_strokes((views or {}).get(header.page), word) or 0)
    return f"{numeral}-{found['kind']}-{found['rest']}" if numeral else None


def suffix_again(header: Line, match, reference: str, views: dict | None) -> str:
    """A version suffix OCR garbled ('VII-A-08084-NF-O01l': the pattern stops before it),
    read again from the scan and taken when the whole reference reads right there."""
    word = header.words[-1]
    if not header.text[match.end():].startswith("-") or not word.text.startswith(match["ref"]):
        return reference
    again = reread((views or {}).get(header.page), [word],
                   lambda t: bool(re.fullmatch(REFERENCE, t)) and t.startswith(match["ref"])
                   and len(t) > len(match["ref"]))
    if again:
        return reference_of({"ref": again})
    for text in [word.text, *image_readings((views or {}).get(header.page), [word])]:
        suffix = suffix_of(text, match["ref"])
        if suffix:
            return f"{reference}-{suffix}"
    return reference


def suffix_of(text: str, ref: str) -> str | None:
    """The version suffix after `ref` in a reading, its two digits with the letters OCR
    reads for them ('NF-Ol' for 'NF-01'; Tesseract read Courier's 'NF-01' as 'NF-O01l' and
    lost the version: tuning 8771-029). Leipzig numbers versions with two digits."""
    found = re.fullmatch(re.escape(ref) + r"-([A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,3})-([\dOoIl|]{2})", text)
    if found is None:
        return None
    digits = found[2].translate(str.maketrans("OoIl|", "00111"))
    return f"{found[1]}-{digits}"


def numeral_by_strokes(header: Line, reference: str, views: dict | None) -> str:
    """A bold serif 'VII' whose I's blur ('VI-A-08049', 'VIlI-Ifo-08021'): where the numeral
    read is 'VI' or had a letter taken for an I, its upright strokes on the scan decide
    (V two, I one each: VI three, VII four, VIII five)."""
    numeral, rest = reference.split("-", 1)
    word = next((w for w in header.words if w.text.endswith(rest)), None)
    raw = re.match(r"[IVXLHl1|]+", word.text) if word is not None else None
    if word is None or raw is None or numeral not in ("VI", "VII", "VIII") or (
            numeral != "VI" and raw[0] == numeral):
        return reference
    strokes = numeral_strokes((views or {}).get(header.page), word)
    counted = {3: "VI", 4: "VII", 5: "VIII"}.get(strokes or 0, numeral)
    return f"{counted}-{rest}"
