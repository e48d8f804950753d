"""Vote results in minutes, per agenda item: 'einstimmig', 'mehrheitlich',
'Ja 12 Nein 3 Enthaltung 1'."""

import re

from ..contract import clean_text

AGENDA_ITEM = re.compile(
    r"^(TOP|Tagesordnungspunkt)\s*(\d+[a-z]?(?:\.\d+)?)\s*[:.)-]?\s*(.*)$", re.I)
COUNTS = re.compile(r"(?:(?P<yes>\d+)\s*(?:Ja|Ja-Stimmen|Dafür|Für)\b[^\d]{0,20}?"
                    r"(?P<no>\d+)\s*(?:Nein|Nein-Stimmen|Dagegen|Gegenstimmen)\b"
                    r"(?:[^\d]{0,20}?(?P<abstain>\d+)\s*Enthaltung(?:en)?)?)|"
                    r"(?:Ja[:\s]+(?P<yes2>\d+)[,;\s]+Nein[:\s]+(?P<no2>\d+)"
                    r"(?:[,;\s]+Enthaltung(?:en)?[:\s]+(?P<abstain2>\d+))?)", re.I)
RATIO = re.compile(r"\b(?:mit\s+)?(?P<yes>\d{1,3})\s*:\s*(?P<no>\d{1,3})\s*(?:Stimmen|angenommen|"
                   r"abgelehnt|beschlossen)", re.I)
# A sentence that reports an earlier decision (of this or another body) is not this item's
# vote: "Der Antrag wurde bereits im Bauausschuss am 12.03.2021 abgelehnt."
REPORTED = re.compile(r"\b(?:hatte|hatten|bereits|zuvor|damals|seinerzeit|teilt\w* mit|berichte\w*|"
                      r"informier\w*|im Jahr \d{4}|in (?:seiner|ihrer|der) (?:letzten |vorigen )?"
                      r"Sitzung)\b|\b(?:am|vom) \d{1,2}\.\s?\d{1,2}\.", re.I)
WORDS = [("einstimmig", "einstimmig"), ("mehrheitlich", "mehrheitlich"),
         ("ohne Gegenstimme", "einstimmig"), ("abgelehnt", "abgelehnt")]


def find_votes(pages) -> list[dict]:
    """Every sentence that states a vote result, with the agenda item it stands under."""
    votes, item = [], None
    for page in pages:
        for raw in page.raw_text.split("\n"):
            line = raw.strip()
            if match := AGENDA_ITEM.match(line):
                heading = f"{match.group(1)} {match.group(2)}: {match.group(3)}"
                item = clean_text(heading.rstrip(": "))
                continue
            vote = vote_in(line)
            if vote:
                votes.append({"agenda_item": item, "page": page.number, **vote,
                              "text": clean_text(line)})
    return votes


def vote_in(text: str) -> dict | None:
    if REPORTED.search(text):
        return None
    numbers = COUNTS.search(text)
    if numbers:
        yes = numbers.group("yes") or numbers.group("yes2")
        no = numbers.group("no") or numbers.group("no2")
        abstain = numbers.group("abstain") or numbers.group("abstain2")
        return {"result": "angenommen" if int(yes) > int(no) else "abgelehnt",
                "yes": int(yes), "no": int(no), "abstain": int(abstain) if abstain else None}
    ratio = RATIO.search(text)
    if ratio:
        yes, no = int(ratio.group("yes")), int(ratio.group("no"))
        return {"result": "angenommen" if yes > no else "abgelehnt", "yes": yes, "no": no,
                "abstain": None}
    lowered = text.lower()
    for word, result in WORDS:
        if word in lowered and re.search(r"\b(stimmt|stimmen|abgestimmt|beschl\w*|angenommen|"
                                         r"abgelehnt|zugestimmt|befürw\w*|antrag)\b", lowered):
            return {"result": result, "yes": None, "no": None, "abstain": None}
    return None
