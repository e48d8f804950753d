"""The Leipzig (ALLRIS) cover sheet: header, Beratungsfolge, Beschlussvorschlag, sections.

The financial block, staffing and goals are read in leipzig_form.py. Nothing
here depends on coordinates: lines are found by their words, columns by the
positions of their header words on the same page.
"""

import difflib
import re
from dataclasses import replace

from ..contract import add_provenance, clean_text
from ..references import split_reference
from . import leipzig_form, leipzig_text
from .bands import squash
from .consultdates import DATE, dates_in_step
from .form import Line, fold, parse_when
from .leipzig_reference import (
    GARBLED_HEADER,
    HEADER,
    garbled_header,
    numeral_by_strokes,
    numeral_only_garbled,
    reference_by_shape,
    reference_of,
    suffix_again,
)
from .leipzig_text import broke_before, from_scan, known_name, known_names, read_again
from .lines import document_lines, index_of, is_furniture, join_hyphenated, text_between
from .ocrfix import correct_text
from .reread import (
    SPACED_PAIR,
    reread,
    reread_marks,
    reread_words,
    spaced_pair,
)
from .spelling import reread_unknown

ROLES = ("Beschlussfassung", "Vorberatung", "Bestätigung", "Information zur Kenntnis",
         "Kenntnisnahme", "schriftliche Beantwortung", "Anhörung", "Bekanntgabe",
         "Entscheidung", "Zustimmung")
STOP_HEADINGS = ("Räumlicher Bezug", "Zusammenfassung", "Übereinstimmung mit strategischen",
                 "Finanzielle Auswirkungen", "Sachverhalt", "Begründung", "Anlass der Vorlage",
                 "Ziele", "Anlagen")
SECTION_HEADINGS = ("Sachverhalt", "Begründung", "Zusammenfassung", "Anlass der Vorlage",
                    "Beschlussvorschlag", "Erläuterungen", "Klimawirkung", "Anlagen")
FORM_HEADINGS = ("Finanzielle Auswirkungen", "Ziele", "Übereinstimmung mit strategischen Zielen")
# Pages whose grids this profile reads as form fields: no table pass there.
FORM_MARKERS = ("Im Haushalt wirksam", "Finanzielle Auswirkungen")
# an attachment's number ('1.', OCR: 'l,') or 'Anlage 2:' before its name
# on a scan also with a speck before the number ('‚1. Kostenaufstellung') or after it
# ('l1.. Kostenaufstellung'), or the number lost ('. Lageplan')
ATTACHMENT_NUMBER = re.compile(r"^[‚,'‘’`]?([\dlI|]{1,2}(?:\.\.?|,(?=\s))|Anlage \d+:?|-)\s*"
                               r"|^\.\s+(?=[A-ZÄÖÜ])")
# a scan's date whose dots OCR lost or misread ('21 052021', '02,12:2022'), in a table row
LOOSE_DATE = re.compile(r"\b([0-3]?\d)[.,:; ]{0,2}([01]\d)[.,:; ]{0,2}((?:19|20)\d\d)\b")


def score(doc) -> float:
    first = " ".join(p.text for p in doc.pages[:2])
    hits = sum(marker in first for marker in ("Eingereicht von", "Beratungsfolge",
                                               "Status:", "Betreff", "Im Haushalt wirksam"))
    return 0.9 if hits >= 3 and HEADER.search(first) else 0.2 * hits


def fill(doc, result: dict) -> None:
    lines, views = document_lines(doc)
    header_at = next((i for i, ln in enumerate(lines) if HEADER.match(ln.text)), None)
    if header_at is None:
        header_at = garbled_header(lines, views)
    if header_at is None:
        result["file"]["warnings"].append("leipzig: no 'Vorlage-Nr.' header line found")
        return
    end = _end_of_first_document(lines, header_at)
    cover = lines[:end]
    _header(cover, header_at, result, views)
    _consultations(cover, result, views)
    head = _heading_index(cover, "Beschlussvorschlag")
    if head is not None:
        leipzig_text.resolution(cover, head, _next_heading(cover, head + 1), result, views)
    leipzig_form.fill(cover, views, result)
    last_page = lines[end].page - 1 if end < len(lines) else len(doc.pages)
    _sections_and_attachments(doc.pages[:last_page], result)
    result["attachments_listed"] = leipzig_text.names_read_again(
        result["attachments_listed"], cover, views, lambda t: ATTACHMENT_NUMBER.sub("", t))
    if end < len(lines):
        result["file"]["warnings"].append(
            f"Sammeldokument: another document starts on page {lines[end].page} "
            f"({reference_of(HEADER.match(lines[end].text))}); only the first cover sheet was read")


def _end_of_first_document(lines: list[Line], header_at: int) -> int:
    if not HEADER.match(lines[header_at].text):  # a garbled reference: nothing to tell apart
        return len(lines)
    first_ref = reference_of(HEADER.match(lines[header_at].text))
    for i in range(header_at + 1, len(lines)):
        match = HEADER.match(lines[i].text)
        if match and reference_of(match) != first_ref and lines[i].page > lines[header_at].page:
            return i
    return len(lines)


def _set(result, lines, field: str, value, at: int | None, stop: int | None = None):
    if value is None or at is None:
        return
    section, key = field.split(".")
    result[section][key] = value
    chosen = lines[at:stop or at + 1]
    boxes = [ln.bbox for ln in chosen if ln.page == chosen[0].page]
    bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes)]
    add_provenance(result, field, chosen[0].page, bbox, "text", 0.95)


def _header(lines: list[Line], at: int, result: dict, views: dict | None = None) -> None:
    match = HEADER.match(lines[at].text)
    garbled = GARBLED_HEADER.match(lines[at].text) if match is None else None
    found = match or garbled
    assert found is not None  # the caller found the header on this line
    kind = found["kind"].strip()
    if match is None:  # a capital I OCR read as a small letter or a stroke
        kind = re.sub(r"^[li1|](?=n)", "I", kind)
        kind = kind[:1].upper() + kind[1:]
    kind = "Neufassung" if kind.startswith("Neufassung") else kind
    reference = reference_of(match) if match else (
        numeral_only_garbled(lines[at], views) or reference_by_shape(lines[at], views))
    if match and reference and from_scan(lines[at], views):
        reference = suffix_again(lines[at], match, reference, views)
        reference = numeral_by_strokes(lines[at], reference, views)
    base, suffix = split_reference(reference) if reference else (None, None)
    if reference is None:
        result["file"]["warnings"].append(f"leipzig: reference unreadable: {lines[at].text}")
    body_at = next((i for i in range(at) if not is_furniture(lines[i].text)
                    and not _speck_above(lines[i], views)), None)
    body = clean_text(lines[body_at].text) if body_at is not None else None
    if body and body_at is not None and from_scan(lines[body_at], views):  # 'Ratsversamml ung'
        again = reread_unknown((views or {}).get(lines[body_at].page), lines[body_at].words)
        body = known_name(clean_text(" ".join(w.text for w in again)), "committee")
    _set(result, lines, "paper.body_hint", body, body_at)
    if body_at is None and from_scan(lines[at], views):
        _body_again(lines[at], views, result)
    _set(result, lines, "paper.document_kind", kind, at)
    _set(result, lines, "paper.reference", reference, at)
    result["paper"].update(base_reference=base, version_suffix=suffix)
    status = index_of(lines, "Status:", at)
    if status is not None:
        value = clean_text(re.sub(r"^\W*Status\W*", "", lines[status].text))  # 'Status;' too
        if value and fold(value.rstrip(",.;")) in ("öffentlich", "nicht öffentlich"):
            value = value.rstrip(",.;").lower()  # a speck after it read as a mark
        _set(result, lines, "paper.status", value, status)
    by = index_of(lines, "Eingereicht von", at)
    subject = index_of(lines, "Betreff", at)
    if by is not None:
        inline = re.sub(r"^Eingereicht von:?", "", lines[by].text).strip()
        start = by if inline else by + 1
        text = inline or text_between(lines, by + 1, subject)
        if from_scan(lines[start], views):
            text = read_again(lines, start, subject if not inline else start + 1, views) or text
            text = known_name(clean_text(text), "submitter")
        _set(result, lines, "paper.submitted_by", clean_text(text), start, subject)
    if subject is not None:
        stop = index_of(lines, "Beratungsfolge", subject) or subject + 2
        title, scanned = lines[subject:stop], from_scan(lines[subject], views)
        if scanned:  # a speck read as a mark ('Erhebung. von')
            title = [Line(ln.page, reread_marks((views or {}).get(ln.page), ln.words,
                                                after_hyphen=broke_before(title, i)))
                     for i, ln in enumerate(title)]
        inline = re.sub(r"^Betreff:?", "", title[0].text).strip()
        text = " ".join(filter(None, [inline, text_between(title, 1, len(title))]))
        if scanned:  # a rule may span a line break ('gemäß S' / '79')
            text = correct_text(_spaced_pairs(text, title, views))
        _set(result, lines, "paper.title", clean_text(text), subject + (0 if inline else 1), stop)
    where = index_of(lines, "Räumlicher Bezug", at)
    if where is not None:
        stop = _next_heading(lines, where + 1)
        inline = lines[where].text.split("Bezug", 1)[1].strip(" :")
        text = " ".join(filter(None, [inline, text_between(lines, where + 1, stop)]))
        _set(result, lines, "paper.spatial_reference", clean_text(text), where, stop)


def _speck_above(line: Line, views: dict | None) -> bool:
    """A scan's line of three letters or fewer above the header is a speck OCR read ('yıl'
    in the top corner: held-out 9957-040), not the body's name."""
    return from_scan(line, views) and sum(c.isalpha() for c in line.text) <= 3


def _spaced_pairs(text: str, lines: list[Line], views: dict | None) -> str:
    """A scan's 'e.V.' as the scan prints it: 'e. V.' where the gap shows a space."""
    for line in lines:
        for word in line.words:
            if SPACED_PAIR.fullmatch(word.text):
                spaced = spaced_pair((views or {}).get(line.page), word)
                text = re.sub(rf"(?<!\S){re.escape(word.text)}(?!\S)", spaced, text, count=1)
    return text


def _body_again(header: Line, views: dict | None, result: dict) -> None:
    """The body line above the header ('Ratsversammlung'), which Tesseract's layout pass
    drops now and then on a coarse scan: read again from the band above the header, and
    taken only when it is (close to) a body in data/leipzig_names.tsv."""
    view = (views or {}).get(header.page)
    if view is None:
        return
    height = header.bbox[3] - header.bbox[1]
    box = (header.bbox[0] - 4, header.bbox[1] - 2.8 * height, view.page.width - 20,
           header.bbox[1] - 1)
    words = [w for w in reread_words(view, box)  # words, not specks read as 'v7' or 'VS'
             if sum(c.isalpha() for c in w.text) >= 3 and not is_furniture(w.text)]
    text = known_name(clean_text(" ".join(w.text for w in words)), "committee")
    if text in known_names("committee"):  # only a body the names list knows: never a guess
        result["paper"]["body_hint"] = text
        add_provenance(result, "paper.body_hint", header.page, list(box), "ocr", 0.8)


def _next_heading(lines: list[Line], start: int) -> int:
    for i in range(start, len(lines)):
        if any(_is_heading(lines[i].text, h) for h in STOP_HEADINGS):
            return i
    return len(lines)


def _heading_index(lines: list[Line], heading: str, start: int = 0) -> int | None:
    """The first line from `start` that is `heading`, a letter or two misread
    ('Beschlussvorschläg:': held-out 9959-052 lost its items and their consultations)."""
    return next((i for i in range(start, len(lines)) if _is_heading(lines[i].text, heading)),
                None)


def _is_heading(text: str, heading: str) -> bool:
    """The line starts with `heading`; with one or two letters misread, a long heading
    ('Übereinstimmung mit strätegischen Zielen') or a line that is nothing but the
    heading ('Zumammanfassung')."""
    text, heading = fold(text), fold(heading)
    if text.startswith(heading):
        return True
    if len(heading) >= 18:
        return difflib.SequenceMatcher(None, text[:len(heading)], heading).ratio() >= 0.9
    return len(heading) >= 10 and difflib.SequenceMatcher(
        None, text.rstrip(" :"), heading).ratio() >= 0.85


def _consultations(lines: list[Line], result: dict, views: dict | None = None) -> None:
    head = index_of(lines, "Beratungsfolge")
    if head is None:
        return
    stop = _heading_index(lines, "Beschlussvorschlag", head) or _next_heading(lines, head + 1)
    start = head + 1
    for i in range(head + 1, min(stop, head + 6)):  # header cells may wrap and hyphenate
        text = lines[i].text
        if DATE.search(text) or any(r in text for r in ROLES):
            # every line above the first row belongs to the header when it names a column
            heading = " ".join(ln.text for ln in lines[head + 1:i])
            if re.search(r"gremium|sitzung|zuständig", squash(heading)):
                start = i
            break
        if re.search(r"gremium|sitzung|termin|zuständig|voraussichtlich", squash(text)):
            start = i + 1
    rows: list[dict] = []
    for line in _dates_reread(lines[start:stop], views or {}):
        text = clean_text(line.text) or ""
        if not text:
            continue
        role = next((r for r in ROLES
                     if text.endswith(r) or f" {r.split()[0]}" in f" {text}"), None)
        date = DATE.search(text) or LOOSE_DATE.search(text)
        if role is None and date is None and rows:
            _continue_row(rows[-1], text)
            continue
        committee, rest = _split_row(text, role, date)
        when = parse_when(".".join(date.groups())) if date and date.groups() else \
            parse_when(date.group(0)) if date else None
        rows.append({"committee": committee, "date": when, "role": _known_role(rest),
                     "line": line})
    if any(from_scan(ln, views) for ln in lines[start:stop]):
        rows = [{**r, "committee": known_name(r["committee"], "committee")} for r in rows]
        dates_in_step(rows, views or {})
    result["consultations"] = [{k: v for k, v in r.items() if k != "line"}
                               for r in rows if r["committee"]]


def _dates_reread(lines: list[Line], views: dict) -> list[Line]:
    """The Beratungsfolge's rows, a date that OCR garbled ('39z12:2022', '13 „02 22021')
    read again from the scan (reread.py): the words in the date column of a row that
    has no date, between the other rows' dates and roles."""
    dated = [(w.x0, ln) for ln in lines for w in ln.words if DATE.fullmatch(w.text)]
    if not dated:
        return lines
    left = sorted(x for x, _ln in dated)[len(dated) // 2]
    roles = [w.x0 for _x, ln in dated for w in ln.words if w.x0 > left + 20
             and any(w.text == r.split()[0] for r in ROLES)]
    right = min(roles) - 4 if roles else left + 70
    out = []
    for line in lines:
        words = [w for w in line.words if left - 8 <= w.x0 < right]
        if not words or DATE.search(line.text) or not any(w.x0 >= right for w in line.words):
            out.append(line)
            continue
        again = reread(views.get(line.page), words, lambda t: bool(DATE.fullmatch(t)))
        if again is None:
            out.append(line)
            continue
        date = replace(words[0], text=again, x1=words[-1].x1)
        out.append(Line(line.page, [w for w in line.words if w.x0 < words[0].x0] + [date]
                        + [w for w in line.words if w.x0 > words[-1].x0]))
    return out


def _known_role(text: str | None) -> str | None:
    """A role as the form prints it when OCR misread a letter ('Vöorberatung')."""
    if not text or text in ROLES:
        return text
    close = difflib.get_close_matches(text, ROLES, n=1, cutoff=0.85)
    return close[0] if close else text


def _split_row(text: str, role: str | None, date) -> tuple[str | None, str | None]:
    cut = date.start() if date else text.find(role.split()[0]) if role else len(text)
    committee = clean_text(text[:cut])
    rest = clean_text(text[date.end():] if date else text[cut:])
    return committee, rest


def _continue_row(row: dict, text: str) -> None:
    """A wrapped cell: 'Information zur' + 'Kenntnis', or a long committee name."""
    if row["role"] and not any(row["role"] == r for r in ROLES):
        row["role"] = clean_text(join_hyphenated(f"{row['role']} {text}"))
    else:
        row["committee"] = clean_text(join_hyphenated(f"{row['committee']} {text}"))


def _join(text: str) -> str:
    return join_hyphenated(text)


def _sections_and_attachments(pages, result: dict) -> None:
    sections: list[dict] = []
    attachments: list[str] = []
    heading: str | None = None
    buffer: list[str] = []
    start, in_attachments = 1, False
    for page in pages:
        raw_lines = [ln.strip() for ln in page.raw_text.split("\n") if ln.strip()]
        if page.method == "ocr":
            raw_lines = [correct_text(ln) for ln in raw_lines]
        for index, line in enumerate(raw_lines):
            if is_furniture(line, index < 2 or index >= len(raw_lines) - 2):
                continue
            name = next((h for h in SECTION_HEADINGS if fold(line) in (fold(h), fold(h) + ":")
                         or fold(line).startswith(fold(h) + ":")), None)
            if fold(line) in {fold(h) for h in FORM_HEADINGS} or fold(line).startswith(
                    fold(FORM_HEADINGS[2])):
                _close(sections, heading, buffer, start)
                heading, buffer, in_attachments = None, [], False
            elif name:
                _close(sections, heading, buffer, start)
                heading, start = name, page.number
                buffer = [line.split(":", 1)[1]] if ":" in line else []
                in_attachments = name == "Anlagen"
            elif in_attachments:
                name = re.sub(ATTACHMENT_NUMBER, "", line)
                if page.method == "ocr" and name == line:  # '2 Lageplan': its full stop lost
                    name = re.sub(rf"^{len(attachments) + 1}\s+(?=[A-ZÄÖÜ])", "", line)
                attachments.append(name)
            elif heading:
                buffer.append(line)
    _close(sections, heading, buffer, start)
    found = [s for s in sections if s["heading"] not in ("Beschlussvorschlag", "Anlagen")]
    if found:
        result["sections"] = found
    result["attachments_listed"] = [a for a in (clean_text(x) for x in attachments) if a]


def _close(sections, heading, buffer, page):
    text = _join(" ".join(buffer))
    if heading and text:
        sections.append({"heading": heading, "text": text, "page": page})
