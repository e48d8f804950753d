"""The Karlsruhe "Finanzielle Auswirkungen" block, every field, from all form generations.

The block is read as text in which each checkbox stands as a character: ☒ ticked,
☐ empty. A box can be a glyph in the text layer (☒, Wingdings codes), a letter X
inside a drawn square or strokes inside it; `marked_lines` turns them all into
the two characters at the box's position, so one set of patterns reads every
way a box is drawn. Generations: before about 2018 (amount columns, "nein/ja"
with the box before its label), 2018-2020 ("Haushaltsmittel sind dauerhaft im
Budget", IQ-relevant), 2020-2021 (☒/☐, CO2-Relevanz) and from 2021 on
("Gesamtkosten:" lines, Investition/Konsumtiv, Finanzierung, Gegenfinanzierung).
"""

import re

from ..contract import clean_text
from ..pdf.checkbox import EMPTY_GLYPHS, TICK_GLYPHS, _is_square
from ..pdf.text import Word, group_lines
from .amounts import AMOUNT_TOKEN, read_amount
from .form import Line, fold, parse_when
from .lines import is_furniture

BOX = "[☒☐]"
TICKED, EMPTY = "☒", "☐"


def marked_lines(views: dict) -> list[Line]:
    """The pages' lines with every checkbox as ☒ or ☐ in its place."""
    lines = []
    for number in sorted(views):
        view = views[number]
        words = list(view.words)
        squares = [] if view.is_ocr else [p for p in view.paths() if _is_square(p)]
        boxes = []
        for square in squares:
            inside = [w for w in words if _within(w, square)]
            ticked = any(w.text.strip() in ("x", "X") or set(w.text) & TICK_GLYPHS
                         for w in inside) or _strokes_inside(view.paths(), square)
            words = [w for w in words if w not in inside]
            boxes.append(Word(TICKED if ticked else EMPTY, square[0], square[1], square[2],
                              square[3], number))
        words = [_as_box(w) for w in words] + _dedupe(boxes)
        lines += [Line(number, ws) for ws in group_lines(words)]
    return [ln for ln in lines if not is_furniture(ln.text)]


def _within(word: Word, square) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return square[0] - 0.5 <= cx <= square[2] + 0.5 and square[1] - 0.5 <= cy <= square[3] + 0.5


def _strokes_inside(paths, square) -> bool:
    return any(p is not square and p[0] >= square[0] - 0.8 and p[2] <= square[2] + 0.8
               and p[1] >= square[1] - 0.8 and p[3] <= square[3] + 0.8
               and (p[2] - p[0]) + (p[3] - p[1]) > 2.0 for p in paths)


def _dedupe(boxes: list[Word]) -> list[Word]:
    """A box drawn as several paths (outline and fill) counts once; a tick wins."""
    kept: list[Word] = []
    for box in sorted(boxes, key=lambda b: b.text != TICKED):
        if not any(abs(k.x0 - box.x0) < 2 and abs(k.top - box.top) < 2 for k in kept):
            kept.append(box)
    return kept


def _as_box(word: Word) -> Word:
    text = "".join(TICKED if c in TICK_GLYPHS else EMPTY if c in EMPTY_GLYPHS else c
                   for c in word.text)
    return word if text == word.text else Word(text, word.x0, word.top, word.x1, word.bottom,
                                               word.page)


def find_blocks(lines: list[Line]) -> list[tuple[int, int]]:
    """(start, stop) of each "Finanzielle Auswirkungen" block among the lines."""
    starts = [i for i, ln in enumerate(lines) if fold(ln.text).startswith("finanzielle auswir")
              or (fold(ln.text) == "finanzielle" and i + 1 < len(lines)
                  and fold(lines[i + 1].text).startswith("auswirkungen"))]
    blocks = []
    for n, start in enumerate(starts):
        stop = min(start + 70, len(lines), starts[n + 1] if n + 1 < len(starts) else len(lines))
        for i in range(start + 1, stop):
            if _ends_block(lines[i].text):
                stop = i
                break
        blocks.append((start, stop))
    return blocks


def _ends_block(text: str) -> bool:
    folded = " ".join(text.lower().split())
    return (folded in ("erläuterungen", "ergänzende erläuterungen", "beschluss", "sachverhalt")
            or bool(re.match(r"^(– 2 –|- 2 -|ergänzende erläuterungen\s+seite 2|"
                             r"ergänzende erläuterungen$|stellungnahme zum antrag$)", folded)))


FORM_LABELS = re.compile(r"Gesamtkosten|Gesamtaufwand|IQ-relevant|Investition|Relevanz|"
                         r"Einzahlungen|Abstimmung mit städtischen")


def choose_block(lines: list[Line]) -> list[Line] | None:
    """The block to read: the first form (not a title that happens to start with the words)
    with a tick, else the first form (some files print an empty copy before the filled one)."""
    blocks = [lines[a:b] for a, b in find_blocks(lines)]
    forms = [b for b in blocks if any(FORM_LABELS.search(ln.text) for ln in b[:30])] or blocks
    if not forms:
        return None
    ticked = [b for b in forms if any(TICKED in ln.text or re.search(r"(^|\s)[xX](\s|$)", ln.text)
                                      for ln in b)]
    return (ticked or forms)[0]


def read_block(block: list[Line]) -> tuple[dict, dict]:
    """(financial_impact fields, extra) of one block."""
    text = "\n".join(ln.text for ln in block)
    text = re.sub(r"\bCO\s*\n?\s*[2²₂]?\s*\n?\s*-Relevanz", "CO2-Relevanz", text)
    text = re.sub(r"Auswir-?\s*kungen", "Auswirkungen", text)
    # a tick printed on its own line over the next line's box: one ticked box
    text = re.sub(r"(?m)^[ \t]*☒[ \t]*\n[ \t]*☐", "☒", text)
    fin: dict = {}
    extra: dict = {}
    fin["has_financial_impact"] = _has_impact(text)
    if re.search(r"Gesamtkosten[^\n]{0,50}:|Investition\b.*\n.*Konsumtive|"
                 r"Jährlicher\s*Ertrag:", text):
        _new_amounts(text, extra)
        _choices(text, extra)
    else:
        _old_amounts(block, text, extra)
    _counter_financing(text, extra)
    _budget_available(text, extra)
    _co2(text, extra)
    _questions(text, extra)
    return fin, extra


def _ticked(box: str | None) -> bool | None:
    return None if box is None else box in (TICKED, "X", "x")


def _pair(no_box: str | None, yes_box: str | None) -> bool | None:
    """Tri-state from the boxes of 'nein' and 'ja'; both or none ticked is None."""
    no, yes = _ticked(no_box), _ticked(yes_box)
    if yes and not no:
        return True
    if no and not yes:
        return False
    return None


MARK = r"(☒|☐|\b[xX]\b)"


def _yes_no(window: str) -> bool | None:
    """A nein/ja question in a window of text: boxes after the labels ('Nein ☒ Ja ☐',
    newer forms, also with words between them) or before them ('☒ nein ☐ ja',
    'nein ☒ ja': the box precedes its label)."""
    window = window.strip()
    yes = re.search(rf"\bJa\s*{MARK}", window)
    no = re.search(rf"\bNein\s*{MARK}", window)
    if re.match(rf"^(Ja|Nein)\s*{MARK}", window) and yes and no:
        return _pair(no.group(1), yes.group(1))
    before = re.search(rf"^{MARK}?\s*nein\s*{MARK}?\s*ja\b", window, re.I)
    if before and (before.group(1) or before.group(2)):
        return _pair(before.group(1) or EMPTY, before.group(2) or EMPTY)
    return None


def _has_impact(text: str) -> bool | None:
    match = re.search(r"Finanzielle\s+Auswirkungen?(?:\s+des\s+Antrag\w*)?"
                      r"(?:\s*\(bitte ankreuzen\))?\s*(.{0,40})", text, re.S)
    if not match:
        return None
    rest = match.group(1)
    if not re.match(rf"^\s*({MARK}|Ja|nein)", rest, re.I):  # 2020 form: the labels come first
        ja = re.search(rf"\n(Ja\s*{BOX}\s*Nein\s*{BOX})", text)
        rest = ja.group(1) if ja else ""
    return _yes_no(rest)


NEW_LABELS = [("total_cost", r"Gesamtkosten(?:\s*\([^)\n]{0,30}\)|[ \t][^:\n]{1,50})?:"),
              ("annual_cost", r"(?m)Jährliche/r\s*Budgetbedarf/Folgekosten:|"
                              r"Jährliche/r\s*Budgetbedarf:"
                              r"|^Jährliche/r\s*Budgetbedarf/Folgekosten\s*$|(?<![/\w])Folgekosten:"),
              ("total_income", r"(?m)Gesamteinzahlung(?:\s*\([^)]{0,40}\))?:|^Gesamteinzahlung\s*$|"
                               r"Gesamtertrag(?:\s*\([^)]{0,40}\))?:"),
              ("annual_income", r"(?m)Jährlicher\s*Ertrag:|^Jährlicher\s*Ertrag\s*$"),
              ("savings", r"(?m)^(?:Gesamt|Jährliche\s+)?[Ee]insparung\w*:")]
NEW_END = re.compile(r"\n\s*(Finanzierung\b|☒|☐|Gesamteinsparung|Jährliche Einsparung)")
# a line of its own "Förderung: 264.000 €" after a field's amount is another figure
OTHER_FIGURE = re.compile(r"\n[A-ZÄÖÜ][\wäöüß/ -]{2,30}:[^\n]*\d")


def _new_amounts(text: str, extra: dict) -> None:
    found = []
    for key, label in NEW_LABELS:
        match = re.search(label, text)
        if match:
            found.append((match.start(), match.end(), key))
    found.sort()
    end = NEW_END.search(text, found[-1][1]) if found else None
    for n, (_start, value_start, key) in enumerate(found):
        value_end = found[n + 1][0] if n + 1 < len(found) else (end.start() if end else len(text))
        value = text[value_start:value_end]
        other = OTHER_FIGURE.search(value)
        if other and re.search(r"\d\s*(€|EUR|Euro|Mio|T€)", value[:other.start()]):
            value = value[:other.start()]
        if key != "savings":  # printed on some forms in place of a field; no key agreed
            _store_amount(extra, key, value)


def _store_amount(extra: dict, key: str, printed: str | None) -> None:
    value = read_amount(_join(printed)) if printed else None
    extra[f"{key}_eur"] = value.get("eur") if value else None
    extra[f"{key}_text"] = value.get("text") if value else None


def _loose(label: str) -> str:
    """A label as a pattern that also matches where the text lost its spaces."""
    return r"\s*".join(re.escape(word) for word in label.split())


def _join(text: str) -> str:
    """Words broken at line ends joined; an elided compound ("Wirtschafts- und") kept."""
    return re.sub(r"(?<=[a-zäöüß])- (?!(?:und|oder|bzw|sowie)\b)(?=[a-zäöüß])", "",
                  " ".join(text.split()))


FINANCING = ("bereits vollständig budgetiert", "teilweise budgetiert", "nicht budgetiert")


def _choices(text: str, extra: dict) -> None:
    kinds = [kind for kind in ("Investition", "Konsumtive Maßnahme")
             if re.search(rf"☒\s*{_loose(kind)}", text)]
    extra["measure_kind"] = kinds[0] if len(kinds) == 1 else None
    states = [f for f in FINANCING if re.search(rf"☒\s*{_loose(f)}", text)]
    extra["financing"] = states[0] if len(states) == 1 else None


def _counter_financing(text: str, extra: dict) -> None:
    match = re.search(r"Gegenfinanzierung\s*durch|wie\s*folgt\s*sichergestellt", text)
    if not match:
        extra["counter_financing"] = []
        return
    region = text[match.end():]
    stop = re.search(r"Die\s*Gegenfinanzierung\s*ist\s*im|Relevanz|IQ-relevant|Anhörung", region)
    region = region[:stop.start()] if stop else region
    ticked = []
    for item in re.split(rf"(?={BOX})", region):
        if item.startswith(TICKED):
            words = _join(item[1:]).split()
            ticked.append(" ".join(words[:12]).rstrip(".") if words else None)
    extra["counter_financing"] = [t for t in ticked if t]


def _budget_available(text: str, extra: dict) -> None:
    match = re.search(r"Haushaltsmittel\s*sind\s*[^\n]{0,40}?im\s*Budget\s*vorhanden\s*(.{0,30})",
                      text, re.S)
    if match:
        extra["budget_available"] = _yes_no(match.group(1).replace("\n", " "))


def _co2(text: str, extra: dict) -> None:
    match = re.search(r"CO2-Relevanz", text)
    if not match:
        return
    region = text[match.end():match.end() + 400]
    answer = re.search(rf"Nein\s*{MARK}\s*Ja\s*{MARK}", region)
    extra["co2_relevant"] = _pair(answer.group(1), answer.group(2)) if answer else None
    directions = [d for d in ("positiv", "negativ") if re.search(rf"{d}\s*☒", region)]
    extents = [e for e in ("geringfügig", "erheblich") if re.search(rf"{e}\s*☒", region)]
    extra["co2_direction"] = directions[0] if len(directions) == 1 else None
    extra["co2_extent"] = extents[0] if len(extents) == 1 else None


QUESTIONS = [("iq_relevant", r"IQ-relevant|ISEK[- ]Karlsruhe[- ]2020[- ]*relevant|"
                             r"Masterplan 2015[- ]*relevant"),
             ("local_council_hearing",
              r"Anhörung\s*Ortschaftsrat(?:\s*\(§\s*70\s*Abs\.\s*1\s*GemO\))?"),
             ("municipal_companies_consulted", r"Abstimmung\s*mit\s*städtischen\s*Gesellschaften")]


def _questions(text: str, extra: dict) -> None:
    for key, label in QUESTIONS:
        match = re.search(label, text)
        if match:
            window = text[match.end():match.end() + 60]
            extra[key] = _yes_no(window.replace("\n", " "))
    extra_topic = _topic(text)
    if extra_topic is not False:
        extra["corridor_topic"] = extra_topic
    hearing = re.search(r"durchgeführt\s*am[ \t]*(\d{1,2}\.\d{1,2}\.\d{2,4})", text)
    extra["local_council_hearing_date"] = parse_when(hearing.group(1)) if hearing else None
    companies = re.search(r"abgestimmt\s*mit[ \t]*([^\n]*)", text)
    extra["municipal_companies"] = (clean_text(re.sub(BOX, " ", companies.group(1)))
                                    if companies else None)


TOPIC_END = re.compile(r"^(Anhörung|Abstimmung|Ergänzende|Nein|Ja\b|–|-|☒|☐|Kontierung|Haushalt)")
PLACEHOLDERS = ("(bitte", "Text eingeben", "Klicken Sie", "bitte auswählen", "Wählen Sie")


def _topic(text: str):
    """The text after "Korridorthema:" (older: "Handlungsfeld:"), also when it wraps onto
    the next line; None when blank or a template placeholder, False when not printed."""
    match = re.search(
        r"(?:Korridorthema|Zukunftsthema|Handlungsfeld):?[ \t]*([^\n]*)((?:\n[^\n]*){0,2})", text)
    if not match:
        return False
    parts = [match.group(1)]
    for line in match.group(2).split("\n")[1:]:
        if not line.strip() or TOPIC_END.match(line.strip()) or ":" in line or (
                not parts[-1].strip() and len(line) > 60):
            break
        parts.append(line)
    value = clean_text(_join(re.sub(BOX, " ", " ".join(parts))))
    value = clean_text(re.split(r"\s{2,}|Anhörung|Abstimmung", value or "")[0])
    return None if not value or value.startswith(PLACEHOLDERS) else value


OLD_COLUMNS = [("total_cost", r"Gesamtkosten\s+der|Gesamtaufwand"),
               ("total_income", r"Einzahlungen\s*[/|]\s*Erträge|Einnahmen"),
               ("city_funding", r"Finanzierung durch"),
               ("annual_cost", r"Jährliche laufende Belastung")]
OLD_CELLS_END = re.compile(r"^(Kontierungsobjekt|Haushaltsmittel|Ergänzende|ISEK|Karlsruhe|"
                           r"Anhörung|Abstimmung|IQ-|Masterplan|Die Finanzierung)")


def _old_amounts(block: list[Line], text: str, extra: dict) -> None:
    """Older forms print the column labels first and the amounts below them, so an
    empty cell leaves no trace: amounts are assigned only when every column has one,
    a single amount (or words) belongs to the first column."""
    columns = [key for key, label in OLD_COLUMNS if re.search(label, text)]
    if not columns:
        return
    last = max(i for i, ln in enumerate(block) if re.search(
        "|".join(label for _k, label in OLD_COLUMNS)
        + r"|Folgeeinsparungen\)|Ähnliches\)|u\. Ä\.\)", ln.text))
    for key in columns:
        extra[f"{key}_eur"] = extra[f"{key}_text"] = None
    rows: list[str] = []
    words: list[str] = []
    for line in block[last + 1:]:
        printed = re.sub(rf"^\s*(Ja|Nein)\s*{BOX}?\s*(Ja|Nein)\s*{BOX}?\s*$|{BOX}", " ", line.text)
        sentence = len(re.findall(r"[A-Za-zÄÖÜäöüß]{2,}", printed)) >= 6
        if OLD_CELLS_END.match(line.text.strip()) or (rows and sentence):
            break
        if printed.strip().lower() in ("keine", "entfällt"):  # a cell printed as a word
            rows.append(printed.strip())
        elif _cells(printed):
            rows.append(printed)
        elif re.search(r"[A-Za-zÄÖÜäöü]{3}", printed) and not rows:
            words.append(printed)
    cells = _cells(" ".join(rows))
    values = [c for c in cells if c != "-" and not WORD_CELL.fullmatch(c)]
    if not cells and words:
        extra[f"{columns[0]}_text"] = " ".join(" ".join(words).split())
    elif len(cells) == len(columns) or len(values) == 1 == len(cells):
        for key, cell in zip(columns, cells, strict=False):
            if WORD_CELL.fullmatch(cell):
                extra[f"{key}_text"] = cell
            elif cell != "-":
                _store_amount(extra, key, cell)
    elif values:
        _store_amount(extra, columns[0], values[0])
        extra["amounts_unassigned"] = [(read_amount(v) or {}).get("eur")
                                      for v in values[1:]]
    extra["not_quantifiable"] = True if any("nicht bezifferbar" in w for w in words) else None


WORD_CELL = re.compile(r"\b(?:[Kk]eine|entfällt)\b")


def _cells(printed: str) -> list[str]:
    """The amount cells of one printed row, in order: amounts, and "-" for a cell
    printed as a dash; a netto figure right after a brutto one is the same cell."""
    tokens = [(m.start(), m.end(), m.group(0).strip()) for m in AMOUNT_TOKEN.finditer(printed)
              if re.search(r"€|EUR|Euro|Mio|\.\d{3}|,-|,\d\d|\.-", m.group(0))]
    tokens += [(m.start(), m.end(), "-") for m in
               re.finditer(r"(?:(?<=\s)|^)[-–](?=\s|$)", printed)]
    if tokens or WORD_CELL.fullmatch(printed.strip()):  # beside amounts "keine" is a cell
        tokens += [(m.start(), m.end(), m.group(0)) for m in WORD_CELL.finditer(printed)]
    cells: list[str] = []
    for start, end, token in sorted(tokens):
        if re.match(r"^[-–]\s+\d", token):  # "- 69.174.700 €": a dash cell (counted on its
            token = token[1:].strip()         # own below), then an amount
        if token != "-" and re.match(r"\s*netto", printed[end:]) and cells and \
                re.search(r"brutto\s*$", printed[:start]):
            continue
        cells.append(token)
    return cells


