"""Paper references as councils print them, split into the Drucksache and its version."""

import re

LEIPZIG_REFERENCE = re.compile(r"^([IVXL]+-[A-ZÄÖÜ]+-\d{3,6})(?:-(.+))?$")


def split_reference(reference: str | None) -> tuple[str | None, str | None]:
    """'VI-A-05385-NF-02' -> ('VI-A-05385', 'NF-02'); other schemes stay whole."""
    if not reference:
        return None, None
    match = LEIPZIG_REFERENCE.match(reference.strip())
    if match:
        return match.group(1), match.group(2)
    return reference.strip(), None
