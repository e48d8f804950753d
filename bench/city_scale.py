"""Sync and build the whole Karlsruhe archive from the local OParl server; then rebuild.

    python -m bench.city_scale [--limit N]
"""

import argparse
import shutil
import sys

from etl.oparl.archive import load_archive
from etl.oparl.server import OParlServer

from .common import OUT, cli, need_corpus, run_measured, save

PREFIX = "https://web1.karlsruhe.de/oparl/bodies/0001"


def run(limit: int | None = None, name: str = "city_scale") -> dict:
    corpus = need_corpus("karlsruhe")
    data = OUT / f"{name}-data"
    shutil.rmtree(data, ignore_errors=True)
    store = load_archive(corpus, PREFIX, "Stadt Karlsruhe", limit=limit)
    server = OParlServer(store, page_size=100).start()
    try:
        sync = run_measured(cli("sync", server.body_url, "--data-dir", str(data), "--delay", "0"))
    finally:
        server.stop()
    build = run_measured(cli("build", "--data-dir", str(data), "--workers", "2"))
    rebuild = run_measured(cli("build", "--data-dir", str(data), "--workers", "2"))
    database = data / "ratsdaten.db"
    result = {"papers_in_archive": len(store.by_type.get("Paper", [])),
              "files_with_text": len(store.files), "sync": sync, "build": build,
              "unchanged_rebuild": rebuild,
              "rebuild_ratio": round(rebuild["seconds"] / max(build["seconds"], 1e-9), 4),
              "database_mb": round(database.stat().st_size / 1024**2, 1),
              "state_mb": round((data / "state.db").stat().st_size / 1024**2, 1)}
    save(name, result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    import json
    json.dump(run(args.limit), sys.stdout, indent=1)
