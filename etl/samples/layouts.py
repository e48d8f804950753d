"""How a sample paper is laid out: the fixed house style, or drawn at random.

Domain randomisation: every knob a real cover sheet varies on is drawn per paper,
so the reader is measured on layouts it was never tuned on (other seeds).
"""

import random

from . import vocabulary as V

FONTS = ("Helvetica", "Times-Roman", "Courier")
VARIATIONS = ("font", "size", "box", "box_side", "box_line", "label_width", "ruled",
              "kind_columns", "breaks", "grid_scale")


def house_layout(rng: random.Random) -> dict:
    """The layout the fixture set has always had (draws exactly what it drew before)."""
    return {"font": rng.choice(["Helvetica", "Times-Roman"]),
            "margin": rng.choice([56.7, 62.0, 70.9]),
            "leading": rng.choice([1.25, 1.35, 1.5]), "size": rng.choice([10, 10.5, 11])}


def random_layout(rng: random.Random) -> dict:
    """Column and label widths (wraps fall at different words), fonts and sizes 8–11 pt,
    box size and side, which label line holds the boxes, row heights, ruled or unruled
    grids, kind ticks above the follow-up grid or in its columns, page breaks anywhere."""
    size = rng.choice([8, 8.5, 9, 9.5, 10, 10.5, 11])
    return {
        "font": rng.choice(FONTS), "size": size, "margin": rng.uniform(45, 75),
        "leading": rng.uniform(1.2, 1.6), "box": rng.uniform(6.0, 10.0),
        "box_side": rng.choice(["left", "left", "right"]),
        "box_line": rng.choice(["first", "last"]),
        "label_width": rng.uniform(110, 260), "value_width": rng.uniform(90, 300),
        "title_width": rng.uniform(180, 480), "grid_scale": rng.uniform(0.8, 1.0),
        "grid_jitter": [rng.uniform(0.85, 1.15) for _ in range(8)],
        "ruled": rng.random() < 0.6, "kind_columns": rng.choice(["above", "grid"]),
        "breaks": sorted(rng.sample(range(4, 60), rng.randint(0, 2))),
        "hyphenate": rng.random() < 0.5,
    }


def variation_groups(layout: dict, method: str) -> list[str]:
    """The groups a paper counts in when accuracy is reported per variation."""
    if "box" not in layout:
        return ["house"]
    size = "size<=9" if layout["size"] <= 9 else "size>9"
    return [f"method={method}", f"font={layout['font']}", size,
            f"box_side={layout['box_side']}", f"box_line={layout['box_line']}",
            "ruled" if layout["ruled"] else "unruled", f"kind={layout['kind_columns']}",
            "label<180" if layout["label_width"] < 180 else "label>=180",
            "page_break" if layout["breaks"] else "no_break",
            "hyphenated" if layout["hyphenate"] else "unhyphenated"]


def follow_up_lines(rng: random.Random, year: int, per_row_kind: bool) -> list[dict]:
    """1–3 filled rows of the follow-up grid; kinds per row only when the grid has kind columns."""
    rows = [(scope, item) for scope, items in V.FOLLOW_UP_ROWS for item in items]
    chosen = sorted(rng.sample(range(len(rows)), rng.randint(1, 3)))
    kind = rng.choice(["Folgekosten", "Einsparungen"])
    return [{"scope": rows[i][0], "item": rows[i][1],
             "kind": rng.choice(["Folgekosten", "Einsparungen"]) if per_row_kind else kind,
             "from": str(year + 1), "to": rng.choice([None, str(year + 3)]),
             "amount_eur_per_year": float(rng.choice([8000, 20000, 64000, 1250.5, 310000])),
             "budget_position": rng.choice([None, None, "PSP 1.100.31.5.0.01",
                                            "Sachkonto 42710000 (Personal- und Sachkosten)"])}
            for i in chosen]
