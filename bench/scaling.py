"""How build time and search latency grow with corpus size: 1/8, 1/4, 1/2 of Karlsruhe
(the whole archive is bench.city_scale)."""

from . import city_scale, search
from .common import OUT, save

TOTAL_PAPERS = 14004


def run(fractions=(8, 4, 2)) -> dict:
    rows = []
    for divisor in fractions:
        name = f"scale_1_{divisor}"
        built = city_scale.run(limit=TOTAL_PAPERS // divisor, name=name)
        latency = search.run(OUT / f"{name}-data" / "ratsdaten.db", repeat=5)
        rows.append({"fraction": f"1/{divisor}", "papers": built["papers_in_archive"],
                     "sync_s": built["sync"]["seconds"], "build_s": built["build"]["seconds"],
                     "database_mb": built["pruned"]["database_mb"],
                     "search_common_p95_ms": latency["common"]["site_search_http"]["p95_ms"],
                     "search_very_common_p95_ms":
                         latency["very_common"]["site_search_http"]["p95_ms"]})
    result = {"rows": rows}
    save("scaling", result)
    return result


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
