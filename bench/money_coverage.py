"""How much of the real Karlsruhe money reaches the money model (money_lines).

A stratified sample of real Karlsruhe texts with the "Finanzielle Auswirkungen" block,
rendered to PDFs and extracted as bench/karlsruhe_coverage.py does; each result goes
through the loader's money_rows. Reported: papers with a cost figure anywhere in the
result (contract lines or extra), and how many of them have it in money_lines, by source;
the old reading (budget_lines and follow_up_lines only) beside it.

    nice -n 10 python -m bench.money_coverage 60
"""

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.karlsruhe_coverage import form_texts, stratified
from etl.db.money import KARLSRUHE_EXTRA, LEGACY_EXTRA, money_rows
from etl.extract import extract_task
from etl.pdf.sandbox import Limits, run_sandboxed
from etl.samples.textpdf import text_to_pdf

AMOUNT_KEYS = set(KARLSRUHE_EXTRA) | set(LEGACY_EXTRA) | {"city_funding_eur"}


def has_money(fin: dict) -> bool:
    extra = fin.get("extra") or {}
    return bool(fin["budget_lines"] or fin["follow_up_lines"] or any(
        isinstance(extra.get(k), (int, float)) and extra.get(k) for k in AMOUNT_KEYS))


def run(size: int = 60, workers: int = 2, seed: int = 7) -> dict:
    sample = stratified(form_texts(), size, seed)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, record in enumerate(sample):
            path = Path(folder) / f"{index:04d}.pdf"
            path.write_bytes(text_to_pdf(record["text"]))
            paths.append(str(path))
        outcomes = dict(run_sandboxed(extract_task, ((p, (p,)) for p in paths),
                                      Limits(workers=workers, timeout=120)))
    counts, sources = Counter(), Counter()
    for outcome in outcomes.values():
        result = outcome.get("result")
        if result and (result["financial_impact"].get("extra") or {}).get("amounts_unassigned"):
            counts["amounts without a column (left out: ambiguous)"] += 1
        if result is None or not has_money(result["financial_impact"]):
            continue
        fin = result["financial_impact"]
        counts["papers with a cost figure"] += 1
        contract_lines = fin["budget_lines"] or fin["follow_up_lines"]
        counts["in contract lines (old queries)"] += bool(contract_lines)
        rows = money_rows(fin, "p", "f")
        counts["in money_lines"] += bool(rows)
        counts["in money_lines with a direction"] += any(r["direction"] for r in rows)
        sources.update({r["source"] for r in rows})
    return {"sample": len(sample), **counts, "papers by source": dict(sources)}


def bench() -> dict:
    """For `make bench`: the default sample, saved under data/bench/."""
    from bench.common import save

    result = run()
    save("money_coverage", result)
    return result


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 60), indent=1,
                     ensure_ascii=False))
