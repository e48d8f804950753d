"""The generic profile: sections split at headings and recognisable header fields."""

import re

from ..contract import clean_text
from .votes import find_votes

HEADING = re.compile(
    r"^(?:(?:TOP|Tagesordnungspunkt)\s*\d+[.:]?|\d{1,2}(?:\.\d{1,2})*\.?)\s+\S.{0,80}$|"
    r"^(Sachverhalt|Begründung|Beschlussvorschlag|Beschluss|Anlagen?|Zusammenfassung|"
    r"Anlass der Vorlage|Erläuterungen?|Niederschrift|Tagesordnung)\s*:?\s*$"
)
KINDS = ("Beschlussvorlage", "Informationsvorlage", "Änderungsantrag", "Antrag",
         "Anfrage", "Niederschrift", "Einladung", "Tagesordnung", "Stellungnahme", "Satzung")
REFERENCE = re.compile(
    r"\b(?:Drucksache|Vorlage|Drs\.?)(?:-?Nr\.?|nummer)?\s*:?\s*([A-Z0-9][\w/.-]{2,30})")
FORM_MARKERS: tuple[str, ...] = ()


def score(doc) -> float:
    return 0.0


def fill(doc, result: dict) -> None:
    first_text = doc.pages[0].text if doc.pages else ""
    found = [(m.start(), kind) for kind in KINDS
             if (m := re.search(rf"\b{kind}\b", first_text[:600]))]
    result["paper"]["document_kind"] = min(found)[1] if found else None
    match = REFERENCE.search(first_text)
    if match:
        result["paper"]["reference"] = clean_text(match.group(1).rstrip(".,"))
    result["sections"] = split_sections(doc.pages)
    if re.search(r"Niederschrift|Protokoll|Sitzungsniederschrift", first_text[:800]):
        result["paper"]["document_kind"] = result["paper"]["document_kind"] or "Niederschrift"
    votes = find_votes(doc.pages)
    if votes:
        result.setdefault("extra", {})["votes"] = votes


def split_sections(pages) -> list[dict]:
    """Running text cut at lines that look like headings."""
    sections: list[dict] = []
    heading, start = "", 1
    lines: list[str] = []
    for page in pages:
        for line in page.raw_text.split("\n"):
            stripped = line.strip()
            if stripped and HEADING.match(stripped):
                _close(sections, heading, lines, start)
                heading, lines, start = stripped.rstrip(":"), [], page.number
            elif stripped:
                lines.append(stripped)
    _close(sections, heading, lines, start)
    return sections


def _close(sections, heading, lines, page):
    text = clean_text(" ".join(lines))
    if text or heading:
        sections.append({"heading": heading, "text": text or "", "page": page})
