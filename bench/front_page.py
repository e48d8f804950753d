"""wrk against the front door (front page, a committee, a paper by reference, the ranked
search) beside a row JSON page as the baseline, on a built database.

    python -m bench.front_page data/bench/scale_1_8-data/ratsdaten.db
"""

import argparse
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

from .common import save
from .serving import start, wrk


def targets(database: Path) -> dict[str, str]:
    from datasette.utils import tilde_encode

    conn = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
    paper_id, reference = conn.execute(
        "select id, reference from papers where reference is not null and reference in "
        "(select reference from papers group by reference having count(*) = 1) "
        "order by date desc limit 1").fetchone()
    org = conn.execute("select organization_id from meetings group by 1 "
                       "order by count(*) desc limit 1").fetchone()[0]
    return {"row_json_baseline": f"/ratsdaten/papers/{tilde_encode(paper_id)}.json",
            "front_page": "/", "committee": "/gremium/" + quote(org.rstrip("/").split("/")[-1]),
            "paper_by_reference": "/vorlage/" + quote(reference, safe="/"),
            "search_very_common_ranked": "/suche?q=Stadt",
            "search_common_ranked": "/suche?q=Haushalt"}


def run(database: Path, connections=(50,), duration: str = "10s") -> dict:
    proc, base = start(database)
    try:
        result = {"database": database.name, "targets": targets(database)}
        for name, path in result["targets"].items():
            wrk(base + path, 5, "2s")  # warm the caches
            result[name] = {c: wrk(base + path, c, duration) for c in connections}
    finally:
        proc.terminate()
        proc.wait(10)
    baseline = result["row_json_baseline"][connections[0]]["req_per_s"] or 1.0
    result["ratio_to_row_json"] = {name: round(result[name][connections[0]]["req_per_s"] /
                                               baseline, 2) for name in result["targets"]}
    save("front_page", result)
    return result


if __name__ == "__main__":
    import json
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    args = parser.parse_args()
    json.dump(run(args.database), sys.stdout, indent=1)
