"""The Karlsruhe Beschlussvorlage: header, Beratungsfolge, Antrag, the financial block.

Three generations of the form are read: before about 2018 (four amount columns,
nein/ja boxes), about 2018-2021 (three columns, Ja/Nein) and from about 2021
("Gesamtkosten: 7.000 €" lines with ☒/☐ glyphs). What means the same as the
Leipzig form goes into `financial_impact`; the rest into `financial_impact.extra`.
"""

import re

from ..contract import add_provenance, clean_text
from .form import Line, fold, parse_when
from .karlsruhe_form import choose_block, marked_lines, read_block
from .lines import document_lines, index_of, join_hyphenated

KINDS = {"BESCHLUSSVORLAGE": "Beschlussvorlage", "INFORMATIONSVORLAGE": "Informationsvorlage",
         "ANFRAGE": "Anfrage", "ÄNDERUNGSANTRAG": "Änderungsantrag",
         "ERGÄNZUNGSANTRAG": "Ergänzungsantrag", "ANTRAG": "Antrag",
         "STELLUNGNAHME": "Stellungnahme"}
REFERENCE = re.compile(r"\b((?:19|20)\d{2}/\d{4})\b")
DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
MARKERS = ("Vorlage Nr.:", "Beratungsfolge dieser Vorlage", "Gremium:", "Verantwortlich:",
           "Gesamtkosten", "Gremien Termin TOP", "KARLSRUHE", "Dienststelle:", "Gremium Termin TOP",
           "Gesamtaufwand der",
           "Abstimmung mit städtischen Gesellschaften", "Anhörung Ortschaftsrat")
# its money form: read by this profile, never again as a table
FORM_MARKERS = ("Finanzielle Auswirkungen", "Gesamtkosten der")


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
    for line in lines[:20]:
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
    parts: list[str] = []
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
    block = choose_block(marked_lines(views))
    if block is None:
        return
    fields, extra = read_block(block)
    fin = result["financial_impact"]
    fin["has_financial_impact"] = fields["has_financial_impact"]
    _accounts(block, extra)
    if extra.get("measure_kind"):
        fin["is_investment"] = extra["measure_kind"] == "Investition"
    _money_lines(fin, extra)
    extra.pop("city_funding_text", None)
    fin["extra"] = extra
    add_provenance(result, "financial_impact", block[0].page, block[0].bbox, "text", 0.8)
    _field_provenance(block, fin, result)


# field -> the words on the line that carries its value or boxes
WHERE = {"has_financial_impact": "Nein", "is_investment": "Investition",
         "extra.total_cost_eur": "Gesamtkosten", "extra.total_income_eur": "Gesamteinzahlung",
         "extra.annual_cost_eur": "Folgekosten", "extra.annual_income_eur": "Ertrag:",
         "extra.financing": "budgetiert", "extra.co2_relevant": "Nein",
         "extra.iq_relevant": "IQ-relevant", "extra.corridor_topic": "Korridorthema",
         "extra.local_council_hearing": "Ortschaftsrat",
         "extra.municipal_companies_consulted": "Gesellschaften"}


def _field_provenance(block: list[Line], fin: dict, result: dict) -> None:
    """Where each read value stands: the line of its label or its ticked box."""
    for field, word in WHERE.items():
        value = fin["extra"].get(field[6:]) if field.startswith("extra.") else fin.get(field)
        if value is None:
            continue
        ticked = [ln for ln in block if word in ln.text and "☒" in ln.text]
        line = next(iter(ticked or [ln for ln in block if word in ln.text]), None)
        if line is not None:
            method = "glyph" if "☒" in line.text else "text"
            add_provenance(result, f"financial_impact.{field}", line.page, line.bbox, method, 0.9)


def _money_lines(fin: dict, extra: dict) -> None:
    """The amounts as contract lines: totals in budget_lines, yearly ones in follow_up_lines."""
    # city_funding_eur (Finanzierung durch städtischen Haushalt) is part of Gesamtkosten:
    # it stays in extra only, so a sum over the lines never counts it twice.
    for key, kind in (("total_cost_eur", "Gesamtkosten"), ("total_income_eur", "Einzahlungen")):
        if extra.get(key) is not None:
            fin["budget_lines"].append({
                "budget": "städtischer Haushalt", "kind": kind, "from": None, "to": None,
                "amount_eur": extra[key], "budget_position": extra.get("account_object")})
    for key, kind in (("annual_cost_eur", "Folgekosten"), ("annual_income_eur", "Erträge")):
        if extra.get(key) is not None:
            fin["follow_up_lines"].append({
                "scope": "jährlich", "item": kind, "kind": kind, "from": None, "to": None,
                "amount_eur_per_year": extra[key], "budget_position": None})
    if extra.get("annual_cost_eur"):
        fin["has_follow_up_costs"] = True


def _accounts(block: list[Line], extra: dict) -> None:
    for line in block:
        if "Kontierungsobjekt" in line.text:
            match = re.search(r"(?:PSP-Element|Kostenstelle|Innenauftrag):\s*([\d.]+)", line.text)
            kind = re.search(r"Kontenart:\s*(\d+)", line.text)
            extra["account_object"] = match.group(1) if match else None
            extra["account_type"] = kind.group(1) if kind else None
        if "Haushaltsmittel stehen" in line.text and "budget_available" not in extra:
            extra["budget_available"] = _available(line.text)
    explanation = next((ln.text.split(":", 1)[1] for ln in block
                        if ln.text.startswith("Ergänzende Erläuterungen:")), None)
    extra["explanations"] = clean_text(explanation) if explanation else None




def _available(text: str) -> bool | None:
    """The older forms' drop-down text: 'stehen (in voller Höhe) zur Verfügung' or not."""
    if "zur Verfügung/nicht" in text:
        return None  # the unfilled template
    return "nicht zur Verfügung" not in text if "zur Verfügung" in text else None
