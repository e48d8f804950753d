"""Nights on a built city: one without changes, one with N changed papers.

Runs after bench.city_scale (it reuses its data folder and store), serving the same
archive on the same port, so the stored OParl ids stay valid.

    python -m bench.nightly [--name scale_1_8] [--limit 1750] [--changes 20]
"""

import argparse
import json
import re
import subprocess
import time
from urllib.parse import urlsplit

import sqlite_utils

from etl.oparl.parse import paper_files
from etl.samples.oparl_archive import load_archive
from etl.samples.oparl_server import OParlServer
from etl.samples.textpdf import text_to_pdf

from .city_scale import PREFIX
from .common import OUT, cli, need_corpus, save


def change(store, count: int) -> int:
    """New versions of the first file of `count` papers, as councils upload them."""
    changed = 0
    for paper in store.by_type["Paper"]:
        files = [f for _role, f in paper_files(paper) if isinstance(f, dict)]
        key = (files[0].get("downloadUrl") or "").rsplit("/", 1)[-1].removesuffix(".pdf") \
            if files else None
        if key not in store.files:
            continue
        store.files[key] = text_to_pdf(f"Neufassung der Vorlage {paper['reference']}\n\n"
                                       "Der Gemeinderat beschließt die geänderte Fassung.")
        store.touch(files[0]["id"])
        store.touch(paper["id"])
        changed += 1
        if changed == count:
            break
    return changed


def measure(argv: list[str]) -> dict:
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True)
    steps = dict(re.findall(r"^nightly ([^:]+): (.*)$", done.stderr, re.M))
    return {"seconds": round(time.monotonic() - started, 1), "exit": done.returncode,
            "steps": steps}


def run(name: str = "scale_1_8", limit: int = 1750, changes: int = 20) -> dict:
    data, store_dir = OUT / f"{name}-data", OUT / f"{name}-store"
    url = sqlite_utils.Database(data / "state.db").execute(
        "select url from bodies").fetchone()[0]
    store = load_archive(need_corpus("karlsruhe"), PREFIX, "Stadt Karlsruhe", limit=limit)
    server = OParlServer(store, port=urlsplit(url).port, page_size=100).start()
    night = cli("nightly", url, "--store", f"dir:{store_dir}", "--data-dir", str(data),
                "--workers", "2", "--deploy-command", "true")
    result = {}
    try:
        for label in ("first_nightly_run", "quiet_night", "night_with_changes"):
            if label == "night_with_changes":
                result["changed_papers"] = change(server.store, changes)
            sent = len(server.files_sent)
            result[label] = dict(measure(night), files_sent=len(server.files_sent) - sent)
    finally:
        server.stop()
    result["changes"] = changes
    save("nightly", result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="scale_1_8")
    parser.add_argument("--limit", type=int, default=1750)
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(run(args.name, args.limit, args.changes), indent=1))
