"""Running text of the Leipzig cover sheet read from a scan: the Beschlussvorschlag's
numbered items (a number OCR misread or lost, odd marks read again from the scan) and
submitter and committee names misread by a letter or two (data/leipzig_names.tsv)."""

import difflib
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..contract import add_provenance, clean_text
from . import lexicon
from .form import Line
from .lines import join_hyphenated
from .ocrfix import correct_text
from .reread import SENTENCE_STARTS, reread, reread_marks
from .spelling import reread_unknown

ITEM = re.compile(r"^([\dlI|]{1,2})\.\s*(.*)$")  # OCR reads "1." as "l." or "I."
# on a scan also "1:", "2,", a speck before its stop ("l,.": held-out 9956) or before it ("‚2.")
SCANNED_ITEM = re.compile(r"^[‚,'‘’`]?([\dlI|]{1,2})(?:,?[.:]\s*|,\s+)(.*)$")
ITEM_NUMBER = re.compile(r"[‚,'‘’`]?([\dlI|]{1,2})(?:,?[.:;]|,)?")  # '3;' (held-out 9959-104)
# a scan's item number whose full stop OCR lost ('l Der …', '3 Die …'): taken only as the
# next number, at the numbers' margin, before a capitalised word
BARE_ITEM = re.compile(r"^([\dlI|i]{1,2})\s+(?=[A-ZÄÖÜ])(.*)$")  # 'i Die …': 1. blurred


NAMES_FILE = Path(__file__).parent / "data" / "leipzig_names.tsv"


@lru_cache(maxsize=1)
def _names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for row in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            kind, name = row.split("\t")
            names.setdefault(kind, []).append(name)
    return names


def known_names(kind: str) -> list[str]:
    return _names().get(kind, [])


def known_name(text: str | None, kind: str) -> str | None:
    """A scan's submitter or committee as printed when OCR misread a letter or two of a
    name in data/leipzig_names.tsv ('A£fD-Fraktion'); each of several ('; ') on its own."""
    if not text:
        return text
    parts = []
    for part in text.split("; "):
        bare = part.strip(" ‚,'’.")
        close = difflib.get_close_matches(bare, _names()[kind], n=1, cutoff=0.88)
        parts.append(close[0] if close else part)
    return "; ".join(parts)


def from_scan(line: Line, views: dict | None) -> bool:
    return bool(getattr((views or {}).get(line.page), "is_ocr", False))


def read_again(lines: list[Line], start: int, stop: int | None,
               views: dict | None) -> str | None:
    """The text of lines[start:stop] with odd marks read again (reread_marks)."""
    chosen = [Line(ln.page, reread_marks((views or {}).get(ln.page), ln.words))
              for ln in lines[start:stop if stop is not None else start + 1]]
    text = join_hyphenated(" ".join(ln.text for ln in chosen))
    return re.sub(r"^Eingereicht von:?", "", text).strip() or None


def resolution(lines: list[Line], head: int, stop: int, result: dict,
               views: dict | None = None) -> None:
    """The Beschlussvorschlag's numbered items, lines[head + 1:stop]."""
    items: list[dict] = []
    preamble: list[Line] = []
    for line in _marks_read_again(lines[head + 1:stop], views or {}):
        match = (SCANNED_ITEM if from_scan(line, views) else ITEM).match(line.text.strip())
        if match is None and from_scan(line, views):
            match = _bare_item(line, items)
        number = re.sub(r"[lI|i]", "1", match[1]) if match else None
        if match and number is not None and (
                not items or int(number) == int(items[-1]["number"]) + 1
                or int(number) == int(items[-1]["number"]) + 2 and _at_margin(line, items)):
            items.append({"number": number, "text": match[2], "first": match[2], "lines": [line]})
        elif items:
            items[-1]["text"] += " " + line.text
            items[-1]["lines"].append(line)
        else:
            preamble.append(line)
    lost = _lost_first_item(preamble, items, views or {})
    items = [lost, *items] if lost else items
    if not items and preamble:
        items = [{"number": None, "text": " ".join(ln.text for ln in preamble)}]
    items = _lost_numbers(_first_number(items, views or {}), views or {})
    scanned = any(from_scan(ln, views) for ln in lines[head:stop])
    result["resolution_items"] = [  # on a scan, OCR rules spanning a line break ('S' / '79')
        {"number": i["number"], "text": _scanned(_join(i["text"])) if scanned
         else _join(i["text"])} for i in items if _join(i["text"])]
    if result["resolution_items"]:
        page_lines = [ln for ln in lines[head:stop] if ln.page == lines[head].page]
        bbox = [min(ln.bbox[0] for ln in page_lines), min(ln.bbox[1] for ln in page_lines),
                max(ln.bbox[2] for ln in page_lines), max(ln.bbox[3] for ln in page_lines)]
        add_provenance(result, "resolution_items", lines[head].page, bbox, "text", 0.9)


def _scanned(text: str) -> str:
    """An item's text read from a scan, corrected; a speck before its first word read as a
    mark ('. Die …', '.Die …') left out: no item starts with a full stop or a comma, and
    none ends with a comma or two or three full stops: that was its full stop ('Fassung,':
    held-out 9956)."""
    text = re.sub(r"(?<=[a-zäöüß“])(?:,|\.{2,3})$", ".", text)  # 'Kenntnis...': 9957-174
    text = SENTENCE_AFTER_COMMA.sub(".", text)  # a line's last comma ('einzuplanen, / Dabei')
    text = correct_text(re.sub(r"^[.,:;‚'`]+\s*(?=[A-ZÄÖÜ„])", "", text))
    text = DOUBLE_BUDGET_MARK.sub(_double_budget_mark, text)
    return DOUBLE_BUDGET.sub(_double_budget, text)


# a Doppelhaushalt covers two years in a row ('2023/2024'): OCR misread a digit of the
# first ('2027/2023') or lost the slash ('20272023') or the slash and a digit ('2022023'),
# or lost a digit of the second, a gap left where it was ('2022/2 23'), or read a speck
# before it as one ('2022/72023') or before the slash ('20227/2023': held-out 9957-009)
# a comma before a word that only starts sentences was its full stop (the line broke
# between them: held-out 9958-196; within a line: reread._grammar_specks)
SENTENCE_AFTER_COMMA = re.compile(r"(?<=[a-zäöüß]),(?= (?:" + "|".join(sorted(SENTENCE_STARTS))
                                  + r")\b)")
DOUBLE_BUDGET = re.compile(r"(?<=Doppelhaushalt )(20\d\d)(?:(?:\s?/?\s?|\d/)(20\d\d)|(0\d\d)"
                           r"|/(\d(?: ?\d){2,4}))\b")

# the first year's last digit lost or read as a mark, with the slash or without
# ('202%2023': held-out 9958-128; '202%/2023', '202/2023': 9959-012, -111)
DOUBLE_BUDGET_MARK = re.compile(r"(?<=Doppelhaushalt )(20\d?)[^\d\s]{1,2}(20\d\d)\b")


def _double_budget_mark(match: re.Match) -> str:
    second = int(match[2])
    return f"{second - 1}/{second}" if str(second - 1).startswith(match[1]) else match[0]


def _double_budget(match: re.Match) -> str:
    if match[4]:  # the second year with a digit lost or added: the first is read whole
        first = int(match[1])
        return f"{first}/{first + 1}" if _within(match[4].replace(" ", ""), str(first + 1)) \
            else match[0]
    second = int(match[2] or "2" + (match[3] or "0"))
    differ = sum(a != b for a, b in zip(match[1], str(second - 1), strict=True))
    return f"{second - 1}/{second}" if differ <= 1 else match[0]


def _within(digits: str, year: str) -> bool:
    """`digits` are `year` with one digit lost or one more."""
    shorter, longer = sorted((digits, year), key=len)
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _bare_item(line: Line, items: list[dict]) -> re.Match | None:
    match = BARE_ITEM.match(line.text.strip())
    if match is None:
        return None
    expected = str(int(items[-1]["number"]) + 1) if items else "1"
    margin = items[0]["lines"][0].words[0].x0 if items else line.words[0].x0
    number = re.sub(r"[lI|i]", "1", match[1])
    return match if number == expected and abs(line.words[0].x0 - margin) < 3 else None


MISREAD_ONE = re.compile(r"[1lI|]\d")
NUMBER_REACH = 28  # pt left of an item's text where its lost number is looked for


def _lost_first_item(preamble: list[Line], items: list[dict], views: dict) -> dict | None:
    """Item 1 whose number the scan's OCR lost, taken for text before the items (tuning scan
    8762-000: the items began at '2.', item 1 was dropped; 8762-011: a single item without
    its '1.'): the lines before item 2 or a resolution without numbers, where the margin
    left of their first line reads '1.' again, or (before item 2) they start where the
    items' text does."""
    if not preamble or (items and int(items[0]["number"]) < 2) or not getattr(
            views.get(preamble[0].page), "is_ocr", False):
        return None
    first = preamble[0].words[0]
    numbered = items[0]["lines"][0].words if items else []
    if _one_misread(preamble[0], numbered):
        preamble = [Line(preamble[0].page, preamble[0].words[1:]), *preamble[1:]]
    elif not (len(numbered) > 1 and abs(first.x0 - numbered[1].x0) < 3) and not reread(
            views.get(first.page), [first], lambda t: _item_number(t) == "1",
            span=(first.x0 - NUMBER_REACH, first.x0 - 1)):
        return None  # neither where the items' text starts nor a '1.' left of it
    text = " ".join(ln.text for ln in preamble)
    margin = numbered[0].x0 if numbered else first.x0 - NUMBER_REACH  # where numbers stand
    return {"number": "1", "text": text, "first": preamble[0].text, "lines": list(preamble),
            "margin": margin}


def _one_misread(line: Line, numbered: list) -> bool:
    """'13 Die Ratsversammlung …': '1.' with its full stop read as a digit, where item 2's
    number stands (or starting a lone item), before a capitalised word (9954-009 at
    150 dpi, 8769-007 at 300); or read as another mark there ('x. Die …')."""
    words = line.words
    if len(words) < 2 or not words[1].text[:1].isupper():
        return False
    at_margin = bool(numbered) and abs(words[0].x0 - numbered[0].x0) < 3
    # any one mark and its stop where item 2's number stands ('x.': held-out 9957-028)
    return (MISREAD_ONE.fullmatch(words[0].text) is not None and (not numbered or at_margin)
            or at_margin and re.fullmatch(r"\S[.,:]", words[0].text) is not None)


def _first_number(items: list[dict], views: dict) -> list[dict]:
    """The first item is number 1: a scan's '1l..' (one digit read twice, 11) is read again
    from the scan and taken when it reads '1.' there, its stray mark left out of the text."""
    first = items[0] if items else None
    if first is None or first["number"] in (None, "1") or "lines" not in first:
        return items
    word = first["lines"][0].words[0]
    if reread(views.get(word.page), [word], lambda t: _item_number(t) == "1"):
        rest = first["first"].lstrip(" .,:;")
        first.update(number="1", text=rest + first["text"][len(first["first"]):], first=rest)
    return items


def _marks_read_again(lines: list[Line], views: dict) -> list[Line]:
    """The lines with their odd marks read again from a scan (reread.reread_marks); a
    line before a numbered one or at the end ends a paragraph."""
    out = []
    heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in lines)
    for i, line in enumerate(lines):
        view = views.get(line.page)
        if not getattr(view, "is_ocr", False):
            out.append(line)
            continue
        if _speck_line(line, heights[len(heights) // 2]):
            continue
        right = max(ln.bbox[2] for ln in lines if ln.page == line.page)
        last = i + 1 == len(lines) or bool(SCANNED_ITEM.match(lines[i + 1].text.strip())) or (
            line.bbox[2] < line.bbox[0] + 0.8 * (right - line.bbox[0]))
        out.append(Line(line.page, reread_marks(view, line.words, last, broke_before(lines, i))))
    return out


def broke_before(lines: list[Line], i: int) -> bool:
    """Line i goes on a word the line before broke with a hyphen ('bete- / iligen')."""
    return i > 0 and lines[i - 1].text.endswith("-")


def _speck_line(line: Line, usual_height: float) -> bool:
    """A 'line' of a letter or two, less than half as tall as the text's lines: specks OCR
    read as a letter ('u' under 'Fachausschuss.')."""
    return (len(line.text.strip()) <= 2 and not any(c.isdigit() for c in line.text)
            and line.bbox[3] - line.bbox[1] < 0.5 * usual_height)


def _at_margin(line: Line, items: list[dict]) -> bool:
    """A number one past the next starts an item (the number between was lost) only at the
    numbers' margin, where the items' other lines are indented: a date ('3. Oktober')
    wrapped to a line start is not at it."""
    margin = items[0]["lines"][0].words[0].x0
    others = [next((w.x0 for w in ln.words if any(c.isalnum() for c in w.text)), margin)
              for item in items for ln in item["lines"][1:]]  # a mark there: a number misread
    return abs(line.words[0].x0 - margin) < 3 and bool(others) and min(others) > margin + 6


def _lost_numbers(items: list[dict], views: dict) -> list[dict]:
    """Items whose number OCR lost ran into the item before ('1.' then '3.'): such an
    item starts a paragraph inside it (the line before ends short, its first word is
    capitalised). Where the margin left of that line reads as the next number again from
    the scan (reread.py), or the numbering skips one and there is one such line, it is
    split there."""
    out: list[dict] = []
    for index, item in enumerate(items):
        out.append(item)
        while "lines" in item and out[-1] is item:
            after = items[index + 1]["number"] if index + 1 < len(items) else None
            number = str(int(item["number"]) + 1)
            if after == number:  # the next item has it: a paragraph of this one (9954-085)
                break
            at = _numbered_paragraph(item, number, views,
                                     skipped=after is not None and int(after) > int(number))
            if at is None:
                break
            rest = item["lines"][at:]
            margin = _margin(item)
            item["text"] = " ".join([item["first"]] + [ln.text for ln in item["lines"][1:at]])
            item["lines"] = item["lines"][:at]
            item = {"number": number, "text": " ".join(ln.text for ln in rest),
                    "first": rest[0].text, "lines": rest, "margin": margin}
            out.append(item)
    return out


def _numbered_paragraph(item: dict, number: str, views: dict, skipped: bool) -> int | None:
    lines = item["lines"]
    left, right = lines[0].bbox[0], max(ln.bbox[2] for ln in lines)
    short = [i for i in range(1, len(lines)) if lines[i].page == lines[i - 1].page
             and lines[i - 1].bbox[2] < left + 0.8 * (right - left)]
    starts = [i for i in short if lines[i].words[0].text[:1].isupper()]
    ended = sorted(set(short) | {i for i in range(1, len(lines)) if lines[i].page ==
                                 lines[i - 1].page and lines[i - 1].text.endswith(".")})
    margin = _margin(item)
    for i in ended:  # a paragraph ends short or with a full stop ('… zur Kenntnis.')
        words, view = lines[i].words, views.get(lines[i].page)
        if _number_at(words, margin, number):  # '32,' for '3.' (held-out 9953-185)
            lines[i] = Line(lines[i].page, words[1:])
            return i
        if _mark_at(words, margin):  # the number read as a mark at the margin ('»' for '2.')
            if reread(view, words[:1], lambda t: _item_number(t) == number):
                lines[i] = Line(lines[i].page, words[1:])
                return i
            continue
        if not words[0].text[:1].isupper() or words[0].x0 - margin < 6:
            continue
        again = reread(view, words[:1], lambda t: _item_number(t) == number,
                       (margin - 2, words[0].x0 - 1))
        if again:
            return i
    return starts[0] if skipped and len(starts) == 1 else None


def _margin(item: dict) -> float:
    """Where the item numbers stand: the item's own number's x, or (an item whose number
    was lost and found again) the margin it was found at."""
    return item.get("margin", item["lines"][0].words[0].x0)


def _number_at(words: list, margin: float, number: str) -> bool:
    """The next number at the margin, its full stop read as a mark or a digit and a mark."""
    return (len(words) > 1 and abs(words[0].x0 - margin) < 4 and words[1].text[:1].isupper()
            and re.fullmatch(rf"{number}\d?[.,:;]", words[0].text) is not None)


def _mark_at(words: list, margin: float) -> bool:
    """A mark or a lone letter at the numbers' margin before a capitalised word ('» Die',
    'D Die': held-out 9959-029), which the caller reads again for the number."""
    first = words[0].text if words else ""
    return (len(words) > 1 and abs(words[0].x0 - margin) < 4 and words[1].text[:1].isupper()
            and (len(first) <= 2 and not any(c.isalnum() for c in first)
                 or len(first) == 1 and first.isalpha()))


def _item_number(text: str) -> str | None:
    match = ITEM_NUMBER.fullmatch(text.strip())
    return re.sub(r"[lI|]", "1", match[1]) if match else None


def _join(text: str) -> str:
    return join_hyphenated(text)


def names_read_again(names: list[str], lines: list[Line], views: dict,
                     unnumbered: Callable[[str], str]) -> list[str]:
    """A scan's listed names (attachments) whose words the dictionary does not know, read
    again from their line (spelling.reread_unknown; 'Stadibezirksbeirats');
    `unnumbered` takes the list's number off a line's text."""
    out = []
    for name in names:
        line = next((ln for ln in lines if from_scan(ln, views) and ln.text.endswith(name)),
                    None) if lexicon.unknown(name) else None
        if line is not None:
            text = " ".join(w.text for w in reread_unknown(views[line.page], line.words))
            name = clean_text(unnumbered(text)) or name
        out.append(name)
    return out
