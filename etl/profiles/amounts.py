"""German amounts as printed on cover sheets, read into EUR numbers.

`parse_amount` reads one printed amount ("95.000,00 €", "4,55 Mio €", "300,-") or
gives None. `read_amount` reads a whole form field: a number when the field holds
one amount (with qualifiers such as "ca." or "netto"), the words as text when it
holds anything else, so words never become a wrong number.
"""
import re

NUMBER = (r"-?\s?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?:[,.]-+)?|-?\s?\d{1,3}(?: \d{3})+(?![.,]\d)|"
          r"-?\s?\d+(?:,\d+)?(?:[,.]-+)?")
SCALE = r"Mrd\.?|Milliarden|Mio\.?|Millionen|Mill\.?|Mi0\.|T\s?€|Tsd\.?|TEUR|Tausend"
CURRENCY = r"€|EUR\b|Euro\b"
FACTORS = {"mrd": 1e9, "milliarden": 1e9, "mio": 1e6, "millionen": 1e6, "mill": 1e6,
           "mi0": 1e6, "t€": 1e3, "tsd": 1e3, "teur": 1e3, "tausend": 1e3}
AMOUNT_TOKEN = re.compile(rf"(?<![\d,/])(?<!\d\.)({NUMBER})\s*(?:({SCALE})\s*)?({CURRENCY})?"
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
    raw = re.sub(r"[,.]-+$", "", raw.replace(" ", ""))
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?", raw):
        return float(raw.replace(".", "").replace(",", "."))
    return None


def parse_amount(text: str | None) -> float | None:
    """'1.250.000,00 €' -> 1250000.0; '150.000 EUR' -> 150000.0; '12,5 T€' -> 12500.0;
    '300,-' -> 300.0; 'ca. 4,9 Mio EUR' -> 4900000.0; '135.420.000 € netto' -> 135420000.0.
    None unless the text is one amount (with qualifiers such as 'ca.' or 'netto')."""
    if not text:
        return None
    folded = re.sub(r"\s+", " ", text).strip()
    matches = list(AMOUNT_TOKEN.finditer(folded))
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = folded[:match.start()] + " " + folded[match.end():]
    value = _number(match.group(1))
    if value is None or QUALIFIERS.sub(" ", rest).strip():
        return None
    return round(value * _factor(match.group(2)), 2)


def read_amount(text: str | None) -> dict | None:
    """A form field's value, or None when it is blank (only a currency sign printed):
    {'eur': 4550000.0} for one amount, also with qualifiers ('ca. 4,55 Mio €');
    {'eur': 25000.0, 'text': 'Reduzierung um 25.000 €'} for one amount among words;
    {'text': 'siehe Erläuterungen'} for words or several amounts."""
    if not text:
        return None
    folded = re.sub(r"\s+", " ", text).strip()
    if not folded or re.fullmatch(rf"(?:{CURRENCY}|[-–.:/]|\s)*", folded, re.I):
        return None
    matches = [m for m in AMOUNT_TOKEN.finditer(folded) if _is_money(m)]
    if len(matches) > 1 and (
            re.match(r"\s*(brutto|netto)\b", folded[matches[0].end():], re.I)
            or _per_year(matches)):
        # "69.174.700 € brutto 58.130.000 € netto": the first as printed;
        # "586.866 €, 2022: 165.018 €, 2023: …": the total, then its parts per year
        matches = matches[:1]
    if len(matches) != 1:
        return {"text": folded}
    match = matches[0]
    value = _number(match.group(1))
    if value is None or re.search(r"\d\s*(bis|-|–)\s*$", folded[:match.start()]):
        return {"text": folded}  # no number, or a range ("5,3 bis 5,9 Mio. €")
    found: dict[str, float | str] = {"eur": round(value * _factor(match.group(2)), 2)}
    rest = folded[:match.start()] + " " + folded[match.end():]
    if QUALIFIERS.sub(" ", rest).strip():
        found["text"] = folded
    return found


def _per_year(matches: list) -> bool:
    """The first amount has no year before it and every further one has ("2022: …")."""
    def year_before(match):
        return re.search(r"\b(19|20)\d\d(\s*ff\.)?\s*:\s*(ca\.|rund|rd\.)?\s*$",
                         match.string[:match.start()])
    return not year_before(matches[0]) and all(year_before(m) for m in matches[1:])


def _is_money(match: re.Match) -> bool:
    """An amount, not a year, a date part or a count: it has a unit or looks like money."""
    if match.group(2) or match.group(3):
        return True
    number = match.group(1)
    return bool(re.search(r"\d\.\d{3}|,\d{2}$|[,.]-", number)) and match.string[
        match.end():match.end() + 1] not in (".", ":")
