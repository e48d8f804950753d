"""Query parameters as people type them: German numbers and dates, read or refused.

Used as SQL functions by plugins/sql_functions.py. An empty value means "no limit"
(None); a value that cannot be read raises ValueError with a German message, never a
guess.
"""

import json
import re
from collections.abc import Callable
from datetime import date

_SCALE = {"mio": 1e6, "millionen": 1e6, "million": 1e6, "mrd": 1e9, "milliarden": 1e9,
          "milliarde": 1e9, "tsd": 1e3, "tausend": 1e3, "t": 1e3, "k": 1e3}
_AMOUNT = re.compile(r"^([+-]?[\d.,' ]*\d)\s*(mio|millionen|million|mrd|milliarden|milliarde|"
                     r"tsd|tausend|t|k)?\.?\s*(?:€|eur|euro)?$", re.IGNORECASE)


def _empty(text) -> bool:
    return text is None or (isinstance(text, str) and not text.strip())


def german_number(text) -> float | None:
    """'1.000.000' -> 1000000.0, '1,5 Mio' -> 1500000.0, '38.400,50 €' -> 38400.5."""
    if _empty(text):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    match = _AMOUNT.match(text.strip().replace("\u00a0", " "))
    if not match:
        raise ValueError(f"„{text}“ ist kein Betrag. Bitte so schreiben: 1.000.000 oder "
                         "1,5 Mio oder 250000,50.")
    digits, scale = match.group(1).replace(" ", "").replace("'", ""), match.group(2)
    number = _digits(digits, text)
    return round(number * _SCALE[scale.lower()], 2) if scale else number


def _digits(digits: str, text: str) -> float:
    if "," in digits:
        whole, _, cents = digits.rpartition(",")
        if "," in whole or not re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})*|[+-]?\d+", whole):
            raise ValueError(f"„{text}“: Tausenderpunkte stehen vor je drei Ziffern, das "
                             "Komma vor den Cent (1.250.000,50).")
        return float(whole.replace(".", "") + "." + cents)
    if re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", digits):
        return float(digits.replace(".", ""))  # German thousands: 1.000 is a thousand
    if re.fullmatch(r"[+-]?\d+(?:\.\d{1,2})?", digits):
        return float(digits)
    raise ValueError(f"„{text}“ ist kein Betrag: Punkte trennen Tausender (1.000.000), "
                     "das Komma die Cent (1,5).")


_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$|^(\d{4})-(\d{2})-(\d{2})$|^(\d{4})$")


def german_date(text, end: bool = False) -> str | None:
    """'31.12.2023' or '2023-12-31' -> '2023-12-31'; a year alone -> its first day
    (its last day with end=True)."""
    if _empty(text):
        return None
    match = _DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"„{text}“ ist kein Datum. Bitte so schreiben: 31.12.2023 "
                         "(oder 2023-12-31).")
    if match.group(7):
        return f"{match.group(7)}-12-31" if end else f"{match.group(7)}-01-01"
    if match.group(1):
        day, month, year = (int(g) for g in match.group(1, 2, 3))
        year += 2000 if year < 100 else 0
    else:
        year, month, day = (int(g) for g in match.group(4, 5, 6))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"„{text}“: diesen Tag gibt es nicht.") from None


def german_year(text) -> int | None:
    """'2023' -> 2023; an empty value -> None."""
    if _empty(text):
        return None
    if isinstance(text, int) or re.fullmatch(r"\s*(19|20)\d\d\s*", str(text)):
        return int(text)
    raise ValueError(f"„{text}“ ist kein Jahr. Bitte vierstellig schreiben, z. B. 2023.")


def kind_of_parameter(name: str) -> str | None:
    """The parameter naming rule of the canned queries: *betrag is an amount, *datum, von
    and bis are dates, *jahr is a year."""
    if name.endswith("betrag"):
        return "amount"
    if name.endswith("datum") or name in ("von", "bis"):
        return "date"
    if name.endswith("jahr"):
        return "year"
    return None


READERS: dict[str, Callable] = {"amount": german_number, "date": german_date, "year": german_year}


def check_parameter(name: str, text) -> str | None:
    """The German message for a value that cannot be read, else None."""
    kind = kind_of_parameter(name)
    if kind is None:
        return None
    try:
        READERS[kind](text)
    except ValueError as error:
        return f"Eingabe „{name}“: {error}"
    return None


def diff_text(diff: str | None) -> str | None:
    """paper_versions.diff as text: only what changed, '− removed' and '+ added'."""
    if not diff:
        return None
    try:
        parts = json.loads(diff)
    except ValueError:
        return None
    out = []
    for part, label in (("resolution", "Beschluss"), ("sections", "Text")):
        changes = [f"{'−' if op == '-' else '+'} {words}" for op, words in parts.get(part, [])
                   if op in "+-"]
        if changes:
            out.append(f"{label}: " + " ".join(changes))
    return " | ".join(out) or "keine Änderung im Text"
