"""wrk on 127.0.0.1 against `ratsdaten serve` with production settings: row JSON, table
JSON, paper page, search; 50 and 200 connections; then a hostile mix beside normal traffic."""

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from etl.serve import serve_argv

from .common import OUT, save

DURATION = "10s"
HOSTILE = ["/ratsdaten.json?sql=" + quote("with recursive c(x) as (select 1 union all "
                                          "select x+1 from c) select count(*) from c"),
           "/ratsdaten.json?sql=" + quote("select length(randomblob(999999999))"),
           "/ratsdaten/pages.json?_search=" + quote("der OR die OR und OR das") + "&_size=1000"]


WORDS = ("Haushalt Radverkehr Schule Sanierung Sozialplanung Bebauungsplan Zuschuss Gemeinderat "
         "Kita Klimaschutz Straßenbahn Förderung Stellenplan Ortschaftsrat Beschluss").split()


def write_site_db(path: Path, papers: int = 200, seed: int = 1) -> Path:
    """A small council database for the serving tests and benchmarks, including source
    values an attacker controls (a `javascript:` web address, markup in titles)."""
    import random

    from etl.db.shape import enable_search, ensure_db_shape

    rnd = random.Random(seed)
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    db["bodies"].insert({"id": "rat", "name": "Beispielrat"}, pk="id")
    rows, files, pages = [], [], []
    for n in range(papers):
        pid, fid = f"p{n:05d}", f"f{n:05d}"
        rows.append({"id": pid, "body_id": "rat", "reference": f"{2020 + n % 5}/{n:04d}",
                     "name": " ".join(rnd.choices(WORDS, k=6)), "date": f"202{n % 5}-0{1 + n % 9}-1{n % 10}",
                     "year": 2020 + n % 5, "submitted_by": rnd.choice(WORDS[:5]),
                     "main_file_id": fid, "web": f"https://rat.example/vorlage/{n}"})
        files.append({"id": fid, "paper_id": pid, "role": "main", "name": "Vorlage",
                      "access_url": f"https://rat.example/datei/{n}.pdf", "status": "ok", "pages": 2})
        for number in (1, 2):
            pages.append({"id": f"{fid}#p{number}", "file_id": fid, "paper_id": pid,
                          "number": number, "text": " ".join(rnd.choices(WORDS, k=300))})
    rows[0].update(web="javascript:alert(document.domain)", name="<script>alert(1)</script>")
    files[0].update(access_url=" JavaScript:alert(document.domain)")
    db["papers"].insert_all(rows)
    db["files"].insert_all(files)
    db["pages"].insert_all(pages)
    enable_search(db)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(database: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(serve_argv(database, "127.0.0.1", port, public=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def wrk(url: str, connections: int, duration: str = DURATION) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", url],
                         capture_output=True, text=True, timeout=120).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                              out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"req_per_s": float(rps.group(1)) if rps else 0.0,
            "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 1) if p99 else None,
            "errors": (int(non2xx.group(1)) if non2xx else 0) + (
                sum(int(x) for x in socket_errors.groups()) if socket_errors else 0)}


def memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def targets(database: Path) -> dict[str, str]:
    from datasette.utils import tilde_encode

    db = sqlite_utils.Database(database)
    paper = db.execute("select id from papers order by rowid limit 1 offset 10").fetchone()
    return {"row_json": f"/ratsdaten/papers/{tilde_encode(paper[0])}.json",
            "table_json": "/ratsdaten/papers.json?_size=50",
            "paper_page": "/-/paper?id=" + quote(paper[0], safe=""),
            "search": "/ratsdaten/suche.json?suchwort=Gemeinderat"}


def run(database: Path | None = None) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("skipped: wrk is not installed (make bench installs it)")
    database = database or OUT / "city_scale-data" / "ratsdaten.db"
    if not database.exists():
        raise SystemExit(f"skipped: {database} is absent (run bench.city_scale first)")
    proc, base = start(database)
    result = {"database": database.name}
    try:
        for name, path in targets(database).items():
            result[name] = {f"c{c}": wrk(base + path, c) for c in (50, 200)}
        hostile = [subprocess.Popen(["wrk", "-t1", "-c4", "-d12s", base + path],
                                    stdout=subprocess.PIPE, text=True) for path in HOSTILE]
        result["row_json_beside_hostile_mix"] = wrk(base + targets(database)["row_json"], 50)
        result["hostile_requests_answered"] = 0
        for h in hostile:
            out, _ = h.communicate(timeout=60)
            answered = re.search(r"(\d+) requests in", out or "")
            result["hostile_requests_answered"] += int(answered.group(1)) if answered else 0
        result["server_peak_mb"] = memory_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    save("serving", result)
    return result


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
