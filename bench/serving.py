"""wrk on 127.0.0.1 against `ratsdaten serve --public` (production settings and limits):
row JSON, table JSON, paper page, search at 50 and 200 connections; a row page undisturbed
and while one attacker loops heavy ?sql= (a second client's ?sql= meanwhile); then a
hostile mix beside normal traffic."""

import http.client
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .common import OUT, ROOT, save

DURATION = "10s"
FAIRNESS_DURATION = "8s"
FAIRNESS_ROUNDS = 3
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
                     "name": " ".join(rnd.choices(WORDS, k=6)),
                     "date": f"202{n % 5}-0{1 + n % 9}-1{n % 10}",
                     "year": 2020 + n % 5, "submitted_by": rnd.choice(WORDS[:5]),
                     "main_file_id": fid, "web": f"https://rat.example/vorlage/{n}"})
        files.append({"id": fid, "paper_id": pid, "role": "main", "name": "Vorlage",
                      "access_url": f"https://rat.example/datei/{n}.pdf", "status": "ok",
                      "pages": 2})
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
    """`ratsdaten serve --public` as in production, memory ceiling included."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "serve", "--public", "--data-dir",
                             str(database.parent), "--port", str(port)], cwd=ROOT,
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
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
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


HEAVY_SQL = "/ratsdaten.json?sql=" + quote("with recursive c(x) as (select 1 union all "
                                           "select x+1 from c) select count(*) from c")
LIGHT_SQL = "/ratsdaten.json?sql=" + quote("select count(*) from papers where name like '%Kita%'")


def get_status(base: str, path: str, source: str) -> tuple[int, float]:
    """One GET from the client address `source` (127.0.0.x): status and seconds."""
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
    started = time.monotonic()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


class SqlAttack:
    """One client loops heavy ?sql= without pause (ignoring Retry-After); a second client
    sends a light ?sql= every second. Counts what each got."""

    def __init__(self, base: str):
        self.base, self.stop = base, threading.Event()
        self.attacker, self.other = [], []
        self.threads = [threading.Thread(target=self.attack),
                        threading.Thread(target=self.second_client)]

    def attack(self):
        while not self.stop.is_set():
            self.attacker.append(get_status(self.base, HEAVY_SQL, "127.0.0.20")[0])

    def second_client(self):
        while not self.stop.wait(1.0):
            self.other.append(get_status(self.base, LIGHT_SQL, "127.0.0.21"))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def summary(self) -> dict:
        return {"attacker": {str(c): self.attacker.count(c) for c in sorted(set(self.attacker))},
                "second_client_sql": {
                    "answered_200": sum(1 for status, _ in self.other if status == 200),
                    "sent": len(self.other),
                    "max_s": round(max((t for _, t in self.other), default=0.0), 3)}}


def fairness(base: str, row_path: str, rounds: int = FAIRNESS_ROUNDS) -> dict:
    """wrk on a row page, undisturbed and under the attack in turns (the machine is
    shared, so both sides see the same neighbours); the ratio of the summed req/s."""
    quiet, attacked, summaries = [], [], []
    for _ in range(rounds):
        quiet.append(wrk(base + row_path, 50, FAIRNESS_DURATION))
        with SqlAttack(base) as attack:
            attacked.append(wrk(base + row_path, 50, FAIRNESS_DURATION))
        summaries.append(attack.summary())
    total = lambda runs: sum(r["req_per_s"] for r in runs)  # noqa: E731
    return {"undisturbed": quiet, "under_attack": attacked, "attacks": summaries,
            "ratio": round(total(attacked) / max(total(quiet), 0.01), 3),
            "errors_under_attack": sum(r["errors"] for r in attacked)}


def database_for_run(database: Path | None) -> Path:
    database = database or OUT / "city_scale-data" / "ratsdaten.db"
    if database.exists():
        return database
    generated = OUT / "serving-data" / "ratsdaten.db"  # without the city: a generated council
    if not generated.exists():
        generated.parent.mkdir(parents=True, exist_ok=True)
        write_site_db(generated, papers=3000, seed=12)
    return generated


def sweep_targets(base: str, database: Path) -> dict:
    result = {}
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
    return result


def run(database: Path | None = None, sweep: bool = True) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("skipped: wrk is not installed (make bench installs it)")
    database = database_for_run(database)
    proc, base = start(database)
    result = {"database": str(database.relative_to(ROOT)) if database.is_relative_to(ROOT)
              else database.name}
    try:
        result["row_json_under_sql_attack"] = fairness(base, targets(database)["row_json"])
        if sweep:
            result.update(sweep_targets(base, database))
        result["server_peak_mb"] = memory_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    save("serving", result)
    return result


if __name__ == "__main__":
    import json
    print(json.dumps(run(sweep="--quick" not in sys.argv), indent=1))
