"""Sync and build the whole Karlsruhe archive from the local OParl server; then rebuild,
prune the file store and push the state to a local directory store (the nightly's sizes).

    python -m bench.city_scale [--limit N]
"""

import argparse
import shutil
import sys

from etl.samples.oparl_archive import load_archive
from etl.samples.oparl_server import OParlServer

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
    build = run_measured(cli("build", "--data-dir", str(data), "--workers", "2",
                             "--keep-files"))
    unpruned = sizes(data)
    rebuild = run_measured(cli("build", "--data-dir", str(data), "--workers", "2"))  # prunes
    push = run_measured(cli("state", "push", "--store", f"dir:{data.parent / (name + '-store')}",
                            "--data-dir", str(data)))
    packed = sum(p.stat().st_size for p in (data.parent / (name + "-store")).glob("state-*"))
    papers = len(store.by_type.get("Paper", []))
    result = {"papers_in_archive": papers,
              "files_with_text": len(store.files), "sync": sync, "build": build,
              "unchanged_rebuild_and_prune": rebuild, "state_push": push,
              "rebuild_ratio": round(rebuild["seconds"] / max(build["seconds"], 1e-9), 4),
              "unpruned": unpruned, "pruned": sizes(data),
              "state_pushed_mb": round(packed / 1024**2, 1)}
    result["per_1000_papers_mb"] = {
        key: round(value * 1000 / papers, 1) for key, value in
        (("state_db", result["pruned"]["state_mb"]), ("database", result["pruned"]["database_mb"]),
         ("file_store_unpruned", unpruned["file_store_mb"]),
         ("state_pushed", result["state_pushed_mb"]))}
    save(name, result)
    return result


def sizes(data) -> dict:
    files = sum(p.stat().st_size for p in (data / "files").rglob("*") if p.is_file()) \
        if (data / "files").exists() else 0
    return {"database_mb": round((data / "ratsdaten.db").stat().st_size / 1024**2, 1),
            "state_mb": round((data / "state.db").stat().st_size / 1024**2, 1),
            "file_store_mb": round(files / 1024**2, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int)
    parser.add_argument("--name", default="city_scale")
    args = parser.parse_args()
    import json
    json.dump(run(args.limit, args.name), sys.stdout, indent=1)
