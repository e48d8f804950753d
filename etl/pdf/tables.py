"""Tables with camelot, only on pages that have ruling lines (lattice costs ~0.4 s a page)."""

import logging
import warnings

from .pageview import PageView

log = logging.getLogger(__name__)
MIN_RULES = 6           # long thin paths that make a page worth a lattice pass
MAX_TABLE_PAGES = 30    # never more lattice pages than this per document
MIN_ACCURACY = 50.0


def ruled_pages(doc) -> list[int]:
    """Pages with enough horizontal and vertical rules to hold a lattice table."""
    pages = []
    for page in doc.pages:
        if page.method != "text":
            continue
        paths = PageView(doc, page.number).paths()
        horizontal = sum(1 for p in paths if p[2] - p[0] > 30 and p[3] - p[1] < 2)
        vertical = sum(1 for p in paths if p[3] - p[1] > 8 and p[2] - p[0] < 2)
        if horizontal >= MIN_RULES // 2 and vertical >= MIN_RULES // 2:
            pages.append(page.number)
    return pages[:MAX_TABLE_PAGES]


def find_tables(data: bytes, doc, pages: list[int] | None = None) -> list[dict]:
    """Lattice tables from the ruled pages, in the contract's shape, quality kept."""
    import camelot

    pages = ruled_pages(doc) if pages is None else pages
    found = []
    for number in pages:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = camelot.read_pdf(data, pages=str(number), flavor="lattice",
                                          suppress_stdout=True)
        except Exception as exc:  # noqa: BLE001 - one bad page must not cost the others
            log.debug("camelot failed on page %s: %s", number, exc)
            continue
        height = doc.pages[number - 1].height
        for table in tables:
            found += _as_contract(table, number, height)
    return found


def _as_contract(table, number: int, height: float) -> list[dict]:
    report = table.parsing_report
    rows = [[" ".join(str(cell).split()) for cell in row] for row in table.df.values.tolist()]
    if len(rows) < 2 or max(len(r) for r in rows) < 2 or report["accuracy"] < MIN_ACCURACY:
        return []
    x0, y0, x1, y1 = table._bbox  # camelot: PDF coordinates, origin bottom left
    return [{"page": number, "bbox": [round(x0, 1), round(height - y1, 1), round(x1, 1),
                                      round(height - y0, 1)],
             "flavor": "lattice", "accuracy": round(float(report["accuracy"]), 2),
             "whitespace": round(float(report["whitespace"]), 2), "rows": rows}]
