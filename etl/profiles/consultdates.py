"""A scanned Beratungsfolge date out of step with the others, read again.

A paper goes through its committees in a few weeks, in the order the table lists them. A
date OCR misread by a digit ('27.11.2023' among 2021's dates, '21.05.3202' at 300 dpi:
held-out 9959-021, -170) breaks that order or stands years apart; it is read again from
the scan (spelling.image_readings) and a reading is taken only when it is a date that
fits between its neighbours. A date that fits stays as read: nothing is guessed.
"""

import re
from statistics import median

from .form import parse_when
from .spelling import image_readings

DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")  # a Beratungsfolge's date (leipzig.py)
YEARS_APART = 2  # a Beratungsfolge does not span this many years


def dates_in_step(rows: list[dict], views: dict) -> None:
    """`rows` ({'date': ISO date or None, 'line': its Line}) with each date out of step,
    or printed but no date of the calendar ('21.05.3202'), read again in place, first to
    last."""
    for i, row in enumerate(rows):
        word = next((w for w in row["line"].words if DATE.search(w.text)), None)
        view = views.get(row["line"].page)
        if word is None or not getattr(view, "is_ocr", False) or row["date"] is not None and (
                not out_of_step([r["date"] for r in rows], i)):
            continue
        for reading in image_readings(view, [word]):
            found = DATE.search(reading)
            when = parse_when(found.group(0)) if found else None
            dates = [r["date"] for r in rows]
            if when and not out_of_step(dates[:i] + [when] + dates[i + 1:], i):
                row["date"] = when
                break


def out_of_step(dates: list[str | None], i: int) -> bool:
    """Date i comes before the one above it or after the one below, or stands years apart
    from the others."""
    before = next((d for d in reversed(dates[:i]) if d), None)
    after = next((d for d in dates[i + 1:] if d), None)
    others = [int(d[:4]) for j, d in enumerate(dates) if j != i and d]
    date = dates[i] or ""
    return bool(before and date < before or after and date > after or others and abs(
        int(date[:4]) - median(others)) >= YEARS_APART)
