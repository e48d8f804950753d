"""The Karlsruhe Beschlussvorlage: header, Beratungsfolge, Antrag, the financial block.

Three generations of the form are read: before about 2018 (four amount columns,
nein/ja boxes), about 2018-2021 (three columns, Ja/Nein) and from about 2021
("Gesamtkosten: 7.000 €" lines with ☒/☐ glyphs). What means the same as the
Leipzig form goes into `financial_impact`; the rest into `financial_impact.extra`.
"""

import re

from ..contract import add_provenance, clean_text
from ..pdf.checkbox import read_checkbox, read_checkbox_right
from .amounts import parse_amount
from .form import Line, anchor, fold, parse_when
from .lines import document_lines, index_of, join_hyphenated

KINDS = {"BESCHLUSSVORLAGE": "Beschlussvorlage", "INFORMATIONSVORLAGE": "Informationsvorlage",
         "ANFRAGE": "Anfrage", "ÄNDERUNGSANTRAG": "Änderungsantrag",
         "ERGÄNZUNGSANTRAG": "Ergänzungsantrag", "ANTRAG": "Antrag",
         "STELLUNGNAHME": "Stellungnahme"}
REFERENCE = re.compile(r"\b((?:19|20)\d{2}/\d{4})\b")
AMOUNT = re.compile(r"(?:ca\.\s*)?-?\d{1,3}(?:\.\d{3})*(?:,\d{2})?\s*(?:€|EUR|Euro)")
DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
OLD_COLUMNS = [("Gesamtkosten der", "total_cost_eur"), ("Einzahlungen/Erträge", "income_eur"),
               ("Finanzierung durch", "city_funding_eur"),
               ("Jährliche laufende Belastung", "annual_burden_eur")]
NEW_FIELDS = [("Gesamtkosten:", "total_cost_eur"), ("Jährliche/r Budgetbedarf:", "annual_burden_eur"),
              ("Gesamteinzahlung:", "income_eur"), ("Jährlicher Ertrag:", "annual_income_eur")]
TRISTATE_EXTRA = [("- relevant", "isek_relevant"), ("IQ-relevant", "iq_relevant"),
                  ("Anhörung Ortschaftsrat", "local_council_hearing"),
                  ("Abstimmung mit städtischen Gesellschaften", "municipal_companies_consulted")]


MARKERS = ("Vorlage Nr.:", "Beratungsfolge dieser Vorlage", "Gremium:", "Verantwortlich:",
           "Gesamtkosten", "Gremien Termin TOP", "KARLSRUHE", "Dienststelle:")


def score(doc) -> float:
    first = " ".join(p.text for p in doc.pages[:2])
    hits = sum(marker in first for marker in MARKERS)
    return 0.92 if hits >= 3 else 0.1 * hits


def fill(doc, result: dict) -> None:
    lines, views = document_lines(doc, max_pages=4)
    lines = [ln for ln in lines if not fold(ln.text).startswith("seite ")]
    _header(lines, result)
    _consultations(lines, result)
    _resolution(lines, result)
    _financial(lines, views, result)


def _header(lines: list[Line], result: dict) -> None:
    paper = result["paper"]
    paper.update({key: None for key in paper})  # the generic guesses do not apply here
    for i, line in enumerate(lines[:20]):
        kind = next((v for k, v in KINDS.items() if fold(line.text) == fold(k)), None)
        if fold(line.text).startswith("stellungnahme zum"):
            kind = "Stellungnahme"
        if kind and paper["document_kind"] is None:
            paper["document_kind"] = kind
            add_provenance(result, "paper.document_kind", line.page, line.bbox, "text", 0.95)
        if fold(line.text).startswith("gremium:") and paper["body_hint"] is None:
            paper["body_hint"] = clean_text(line.text.split(":", 1)[1])
    head = " ".join(ln.text for ln in lines[:30])
    if match := REFERENCE.search(head):
        paper["reference"] = paper["base_reference"] = match.group(1)
    paper["status"] = "nicht öffentlich" if "nicht öffentlich" in head else (
        "öffentlich" if "öffentlich" in head else None)
    responsible = next((ln for ln in lines[:30] if re.match(r"^(Verantwortlich:\s*)?Dez\.\s*\d",
                                                             ln.text)), None)
    if responsible:
        paper["submitted_by"] = clean_text(responsible.text.split(":", 1)[-1])
    elif paper["document_kind"] in ("Antrag", "Anfrage", "Änderungsantrag", "Ergänzungsantrag"):
        at = next((i for i, ln in enumerate(lines[:10]) if fold(ln.text) in
                   {fold(k) for k in KINDS}), None)
        if at is not None and at + 1 < len(lines):
            paper["submitted_by"] = clean_text(lines[at + 1].text)
    paper["title"] = _title(lines)


def _title(lines: list[Line]) -> str | None:
    """The subject: the lines right above 'Beratungsfolge' (or the Antrag) after the values."""
    stop = (index_of(lines, "Beratungsfolge dieser Vorlage") or index_of(lines, "Antrag:")
            or index_of(lines, "Gremien Termin") or index_of(lines, "Antrag an den"))
    if stop is None:
        return None
    parts = []
    for line in reversed(lines[max(0, stop - 4):stop]):
        text = line.text.strip()
        if ":" in text[:25]:
            break
        if DATE.search(text) or REFERENCE.search(text) or re.fullmatch(
                r"(\d{1,3}|öffentlich|nicht öffentlich|Dez\.\s*\d.*|TOP:?.*)", text):
            break
        parts.insert(0, text)
    return clean_text(join_hyphenated(" ".join(parts)))


ROLES = ("Kenntnisnahme", "Entscheidung", "Vorberatung", "Beschlussfassung", "Anhörung")


def _consultations(lines: list[Line], result: dict) -> None:
    head = index_of(lines, "Beratungsfolge dieser Vorlage") or index_of(lines, "Gremien Termin")
    if head is None:
        return
    for line in lines[head + 1:head + 12]:
        match = DATE.search(line.text)
        committee = clean_text(line.text[:match.start()]) if match else None
        if not match:
            if result["consultations"] and not re.fullmatch(r"[\wäöü ]{0,20}", line.text.strip()):
                break  # past the table: running text
            continue
        if not committee or len(committee) > 60 or committee[0].islower():
            break
        role = next((r for r in ROLES if line.text.rstrip().endswith(r)), None)
        result["consultations"].append({"committee": committee,
                                        "date": parse_when(match.group(0)), "role": role})


def _resolution(lines: list[Line], result: dict) -> None:
    head = index_of(lines, "Antrag an den")
    if head is None:
        return
    stop = index_of(lines, "Finanzielle Auswirkungen", head) or min(head + 40, len(lines))
    text = clean_text(join_hyphenated(" ".join(ln.text for ln in lines[head + 1:stop])))
    if text:
        result["resolution_items"] = [{"number": None, "text": text}]
        add_provenance(result, "resolution_items", lines[head].page, lines[head].bbox, "text", 0.8)


def _financial(lines: list[Line], views: dict, result: dict) -> None:
    head = next((i for i, ln in enumerate(lines) if fold(ln.text).startswith(
        "finanzielle auswirkungen")), None)
    if head is None:
        return
    block = lines[head:min(head + 45, len(lines))]
    end = next((i for i, ln in enumerate(block) if i and fold(ln.text).startswith(
        ("ergänzende erläuterungen  ", "erläuterungen"))), len(block))
    block = block[:end]
    fin, extra = result["financial_impact"], {}
    fin["has_financial_impact"] = _yes_no(block[:2], views, "nein", "ja", result,
                                          "financial_impact.has_financial_impact")
    if any("Gesamtkosten:" in ln.text for ln in block):
        _new_amounts(block, extra)
    else:
        _old_amounts(block, extra)
    _accounts(block, extra)
    for label, key in TRISTATE_EXTRA:
        at = next((i for i, ln in enumerate(block) if label in ln.text), None)
        if at is not None:
            extra[key] = _yes_no(block[at:at + 3], views, "nein", "ja", result, None)
    if extra.get("annual_burden_eur"):
        fin["has_follow_up_costs"] = True
        fin["follow_up_lines"].append({
            "scope": "Jährliche laufende Belastung", "item": "Folgekosten abzügl. Folgeerträge "
            "und Folgeeinsparungen", "kind": "Folgekosten", "from": None, "to": None,
            "amount_eur_per_year": extra["annual_burden_eur"], "budget_position": None})
    if extra.get("city_funding_eur") is not None or extra.get("total_cost_eur") is not None:
        fin["budget_lines"].append({
            "budget": "städtischer Haushalt", "kind": "Finanzierung" if extra.get(
                "city_funding_eur") is not None else "Gesamtkosten", "from": None, "to": None,
            "amount_eur": extra.get("city_funding_eur", extra.get("total_cost_eur")),
            "budget_position": extra.get("account_object")})
    fin["extra"] = extra
    add_provenance(result, "financial_impact", block[0].page, block[0].bbox, "text", 0.8)


def _yes_no(lines: list[Line], views, no: str, yes: str, result, field) -> bool | None:
    """A nein/ja question whose two options may stand on one line or on the next two."""
    for i, line in enumerate(lines):
        near = lines[i:i + 3]
        no_hit = next(((ln, w) for ln in near if (w := anchor(ln, no.capitalize(), 0)
                                                   or anchor(ln, no, 0))), None)
        yes_hit = next(((ln, w) for ln in near if (w := anchor(ln, yes.capitalize(), 0)
                                                    or anchor(ln, yes, 0))), None)
        if not (no_hit and yes_hit):
            continue
        states = _read_pair(views, no_hit, yes_hit)
        ticked = [v for v, (_ln, box) in states.items() if box.state]
        if field and len(ticked) == 1:
            ln, box = states[ticked[0]]
            add_provenance(result, field, ln.page, box.bbox, box.method, box.confidence)
        return ticked[0] if len(ticked) == 1 else None
    return None


def _read_pair(views, no_hit, yes_hit) -> dict:
    """Both boxes of a question, on the side where its first option has one: forms print
    either '☐ nein ☐ ja' or 'Ja ☒ Nein ☐'."""
    (first_line, first), _ = sorted((no_hit, yes_hit), key=lambda h: (h[1].top // 4, h[1].x0))
    boxes_left = read_checkbox(views[first_line.page], first).state is not None
    states = {}
    for value, (line, word) in ((False, no_hit), (True, yes_hit)):
        if boxes_left:
            states[value] = (line, read_checkbox(views[line.page], word))
        else:
            states[value] = (line, read_checkbox_right(views[line.page], word))
    return states


def _old_amounts(block: list[Line], extra: dict) -> None:
    labels = [key for label, key in OLD_COLUMNS if any(label in ln.text for ln in block)]
    text = " ".join(ln.text for ln in block)
    if "nicht bezifferbar" in text:
        extra["not_quantifiable"] = True
    last_label = max((i for i, ln in enumerate(block) if any(
        label in ln.text or "Folgeeinsparungen" in ln.text for label, _k in OLD_COLUMNS)), default=0)
    cells = []
    for line in block[last_label + 1:]:
        if line.text.startswith(("Kontierungsobjekt", "Haushaltsmittel", "Ergänzende", "ISEK",
                                 "Karlsruhe", "Anhörung", "Abstimmung", "IQ-")):
            break
        cells.append(line)
    values = [parse_amount(m.group(0))
              for ln in cells for m in AMOUNT.finditer(ln.text)]
    if values and len(values) == len(labels):
        extra.update(zip(labels, values))
    elif values:
        extra["amounts_unassigned"] = values  # empty cells make the columns ambiguous in text


def _new_amounts(block: list[Line], extra: dict) -> None:
    for label, key in NEW_FIELDS:
        line = next((ln for ln in block if label in ln.text), None)
        if line is not None:
            match = AMOUNT.search(line.text.split(label, 1)[1])
            extra[key] = parse_amount(match.group(0)) if match else None


def _accounts(block: list[Line], extra: dict) -> None:
    for line in block:
        if "Kontierungsobjekt" in line.text:
            match = re.search(r"(?:PSP-Element|Kostenstelle|Innenauftrag):\s*([\d.]+)", line.text)
            kind = re.search(r"Kontenart:\s*(\d+)", line.text)
            extra["account_object"] = match.group(1) if match else None
            extra["account_type"] = kind.group(1) if kind else None
        if "Haushaltsmittel stehen" in line.text:
            extra["budget_available"] = clean_text(line.text)
    explanation = next((ln.text.split(":", 1)[1] for ln in block
                        if ln.text.startswith("Ergänzende Erläuterungen:")), None)
    extra["explanations"] = clean_text(explanation) if explanation else None


