"""German amounts as printed on cover sheets, read into EUR numbers."""
import re

GERMAN_AMOUNT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")


def parse_amount(text: str | None) -> float | None:
    """'1.250.000,00 €' -> 1250000.0; '150.000 EUR' -> 150000.0; '12,5 T€' -> 12500.0."""
    if not text:
        return None
    raw = re.sub(r"^(ca\.|rd\.|etwa)\s*", "", text.strip()).replace("Euro", "EUR")
    factor = 1000.0 if re.search(r"\bT\s?€|\bTsd\.?|\bTEUR\b", raw) else 1.0
    number = re.sub(r"(?i)\s*(T\s?€|Tsd\.?\s*(EUR|€)?|TEUR|EUR|€)\s*", "", raw).strip()
    number = number.replace(" ", "")
    if not GERMAN_AMOUNT.match(number):
        return None
    return round(float(number.replace(".", "").replace(",", ".")) * factor, 2)
