"""German amounts as printed on cover sheets, read into EUR numbers.

`parse_amount` reads one printed amount ("95.000,00 €", "4,55 Mio €", "300,-") or
gives None. `read_amount` reads a whole form field: a number when the field holds
one amount (with qualifiers such as "ca." or "netto"), the words as text when it
holds anything else, so words never become a wrong number.
"""
import re

NUMBER = r"-?\s?\d{1,3}(?:[. ]\d{3})+(?:,\d+)?(?:,-+)?|-?\s?\d+(?:,\d+)?(?:,-+)?"
SCALE = r"Mrd\.?|Milliarden|Mio\.?|Millionen|Mill\.?|Mi0\.|T\s?€|Tsd\.?|TEUR|Tausend"
CURRENCY = r"€|EUR\b|Euro\b"
FACTORS = {"mrd": 1e9, "milliarden": 1e9, "mio": 1e6, "millionen": 1e6, "mill": 1e6,
           "mi0": 1e6, "t€": 1e3, "tsd": 1e3, "teur": 1e3, "tausend": 1e3}
AMOUNT_TOKEN = re.compile(rf"(?<![\d,/])(?<!\d\.)({NUMBER})\s*(?:({SCALE})\s*)?(?:{CURRENCY})?"
                          r"(?![\d/])", re.I)
QUALIFIERS = re.compile(
    r"(?i)\b(?:ca|circa|rd|rund|etwa|geschätzt|voraussichtlich|vorauss|max|maximal|"
    r"höchstens|bis zu|zzgl|inkl|netto|brutto|jährlich|p\.\s?a|pro jahr|einmalig|"
    r"insgesamt|gesamt|mwst|ust|Euro|EUR)\b\.?|€|[.,;:()+~≈]")


def _factor(scale: str | None) -> float:
    if not scale:
        return 1.0
    key = re.sub(r"[\s.]", "", scale).lower()
    return FACTORS.get(key, 1.0)


def _number(raw: str) -> float | None:
    raw = re.sub(r",-+$", "", raw.replace(" ", ""))
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?", raw):
        return float(raw.replace(".", "").replace(",", "."))
    return None


def parse_amount(text: str | None) -> float | None:
    """'1.250.000,00 €' -> 1250000.0; '150.000 EUR' -> 150000.0; '12,5 T€' -> 12500.0;
    '300,-' -> 300.0; 'ca. 4,9 Mio EUR' -> 4900000.0; '135.420.000 € netto' -> 135420000.0.
    None unless the text is one amount (with qualifiers such as 'ca.' or 'netto')."""
    found = read_amount(text)
    return found.get("eur") if found else None


def read_amount(text: str | None) -> dict | None:
    """A form field's value: {'eur': 4550000.0}, {'text': 'siehe Erläuterungen'} or None
    when the field is blank (only a currency sign printed)."""
    if not text:
        return None
    folded = re.sub(r"\s+", " ", text).strip()
    if not folded or re.fullmatch(rf"(?:{CURRENCY}|[-–.:]|\s)*", folded, re.I):
        return None
    matches = list(AMOUNT_TOKEN.finditer(folded))
    if len(matches) == 1:
        match = matches[0]
        rest = folded[:match.start()] + " " + folded[match.end():]
        if not QUALIFIERS.sub(" ", rest).strip():
            value = _number(match.group(1))
            if value is not None:
                return {"eur": round(value * _factor(match.group(2)), 2)}
    return {"text": folded}
