"""Two nights against the local OParl server, with the commands the workflow runs.

    python -m etl.rehearsal [--papers 12] [--work DIR]     (scripts/rehearse-nights)

Night 1 syncs everything from an empty store; a night without a change must not deploy;
then a council changes one document, the runner loses its local state (as a fresh
Actions runner does) and night 2 restores it from the store, downloads only the changed
file and deploys once. The deploy command is a script that records its calls. Each night
is `ratsdaten nightly …` in its own process, exactly as in .github/workflows/update.yml.
"""

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .samples.council import write_sample
from .samples.oparl_server import OParlServer
from .samples.oparl_store import ObjectStore
from .samples.textpdf import text_to_pdf

RECORDER = """#!/bin/sh
# Stands in for scripts/deploy-fly: records each call with the fingerprint it deploys.
echo "$RATSDATEN_FINGERPRINT $(basename "$RATSDATEN_DB")" >> "{log}"
"""


def night(work: Path, url: str, first: bool = False, workers: int = 2) -> dict:
    """One `ratsdaten nightly` in a child process; its step lines parsed."""
    argv = [sys.executable, "-m", "etl.cli", "nightly", url, "--store", f"dir:{work / 'store'}",
            "--data-dir", str(work / "data"), "--workers", str(workers),
            "--deploy-command", str(work / "deploy")]
    done = subprocess.run(argv + (["--allow-empty-store"] if first else []),
                          capture_output=True, text=True)
    steps = dict(re.findall(r"^nightly ([^:]+): (.*)$", done.stderr, re.M))
    sync = next((v for k, v in steps.items() if k.startswith("sync ")), "")
    counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)\b", sync)}
    return {"exit": done.returncode, "steps": steps, "downloaded": counts.get("downloaded"),
            "stderr": done.stderr[-3000:]}


def change_one_document(server: OParlServer) -> str:
    """A new version of one paper's main file, as a council would upload it."""
    paper = server.store.by_type["Paper"][1]
    file_obj = paper["mainFile"]
    key = file_obj["downloadUrl"].rsplit("/", 1)[-1].removesuffix(".pdf")
    data = text_to_pdf("Beschlussvorlage (Neufassung)\n\nDer Stadtrat beschließt die "
                       "geänderte Fassung der Vorlage. Finanzielle Auswirkungen: keine.")
    server.store.files[key] = data
    server.store.touch(file_obj["id"], size=len(data),
                       sha512Checksum=hashlib.sha512(data).hexdigest())
    server.store.touch(paper["id"], name=paper["name"] + " (Neufassung)")
    return f"/download/{key}.pdf"


def deploys(work: Path) -> list[str]:
    log = work / "deploys.log"
    return log.read_text().splitlines() if log.exists() else []


def pdfs_left(work: Path) -> int:
    return len(list((work / "data" / "files").rglob("*.pdf")))


def rehearse(work: Path, papers: int = 12) -> dict:
    """Play the nights; returns what happened (asserted by tests/test_nightly.py)."""
    work.mkdir(parents=True, exist_ok=True)
    deploy = work / "deploy"
    deploy.write_text(RECORDER.format(log=work / "deploys.log"))
    deploy.chmod(0o755)
    write_sample(work / "council", papers=papers)
    server = OParlServer(ObjectStore.from_folder(work / "council"), page_size=10).start()
    out: dict = {}
    try:
        out["night1"] = dict(night(work, server.body_url, first=True),
                             deploys=len(deploys(work)), pdfs_left=pdfs_left(work),
                             files_sent=len(server.files_sent))
        out["quiet_night"] = dict(night(work, server.body_url), deploys=len(deploys(work)))
        changed = change_one_document(server)
        shutil.rmtree(work / "data")  # a fresh runner: the Actions cache is gone
        sent_before = len(server.files_sent)
        out["night2"] = dict(night(work, server.body_url), deploys=len(deploys(work)),
                             pdfs_left=pdfs_left(work),
                             files_sent=server.files_sent[sent_before:], changed=changed)
    finally:
        server.stop()
    out["store"] = sorted(p.name for p in (work / "store").iterdir())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/rehearse-nights", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=12)
    parser.add_argument("--work", type=Path, help="keep everything here (default: a temp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ratsdaten-rehearsal-"))
    result = rehearse(work, args.papers)
    for name in ("night1", "quiet_night", "night2"):
        result[name].pop("stderr", None)
    print(json.dumps(result, indent=1))
    ok = (result["night1"]["exit"] == result["quiet_night"]["exit"] == result["night2"]["exit"]
          == 0 and result["night2"]["downloaded"] == 1 and result["night2"]["deploys"] == 2)
    print(f"rehearsal {'passed' if ok else 'FAILED'} (in {work})", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
