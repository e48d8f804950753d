"""Search latency on the Karlsruhe database: the site's search vs the raw FTS5 lower bound
(and bm25 ranking, what the site avoids), for rare, common and very common words and
for compound parts."""

import asyncio
import sqlite3
import statistics
import time
from pathlib import Path

from etl.site.search import fts_query

from .common import OUT, save

WORDS = {"rare": ["Lernfabrik", "Trinkwasserbrunnen", "Schlepper"],
         "common": ["Gemeinderat", "Haushalt", "Kindertagesstätte"],
         "very_common": ["der", "und", "Stadt"]}
COMPOUNDS = ["planung", "brücke", "schule"]
RAW = "select rowid from pages_fts where pages_fts match :q limit 50"
RANKED = "select rowid from pages_fts where pages_fts match :q order by rank limit 50"
TRIGRAM = ("select rowid from papers_trigram where papers_trigram match :q "
           "order by rowid desc limit 50")


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


def sql_latency(conn, sql: str, words: list[str], repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        for word in words:
            started = time.perf_counter()
            conn.execute(sql, {"q": fts_query(word)}).fetchall()
            samples.append(time.perf_counter() - started)
    return percentiles(samples)


async def site_latency(database: Path, query: str, param: str, words: list[str],
                       repeat: int, cold: bool = True) -> dict:
    """Over HTTP (in process); query '/suche' is the front door's grouped, ranked search."""
    from etl.serve import datasette_instance

    ds = datasette_instance(database)
    samples, cpu_samples = [], []
    await ds.client.get("/suche?q=warmup")  # builds the address cache once
    for _ in range(repeat):
        for word in words:
            url = (f"/suche?{param}={word}" if query == "/suche" else
                   f"/ratsdaten/{query}.json?{param}={word}&_shape=array")
            if cold:  # the search page keeps recent answers; measure the work itself
                from etl.site import search as site_search
                site_search._RECENT.clear()
            started, cpu = time.perf_counter(), time.process_time()
            response = await ds.client.get(url)
            samples.append(time.perf_counter() - started)
            cpu_samples.append(time.process_time() - cpu)
            assert response.status_code == 200, response.text[:200]
    cpu = percentiles(cpu_samples)  # this process's CPU: the work, apart from waiting
    return dict(percentiles(samples), cpu_p50_ms=cpu["p50_ms"], cpu_p95_ms=cpu["p95_ms"])


def run(database: Path | None = None, repeat: int = 10) -> dict:
    database = database or OUT / "city_scale-data" / "ratsdaten.db"
    if not database.exists():
        raise SystemExit(f"skipped: {database} is absent (run bench.city_scale first)")
    conn = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
    conn.row_factory = None
    site_functions(conn)
    result = {"pages": conn.execute("select count(*) from pages").fetchone()[0]}
    site_sql = open_site_sql()
    for kind, words in WORDS.items():
        matches = [conn.execute("select count(*) from pages_fts where pages_fts match ?",
                                [fts_query(w)]).fetchone()[0] for w in words]
        result[kind] = {
            "words": words, "matches": matches,
            "raw_fts": sql_latency(conn, RAW, words, repeat),
            "site_search_sql": sql_latency(conn, site_sql, words, repeat),
            "bm25_ranked": sql_latency(conn, RANKED, words, max(1, repeat // 5)),
            "site_search_http": asyncio.run(site_latency(database, "suche", "suchwort", words,
                                                         repeat)),
            "ranked_search_page_http": asyncio.run(site_latency(database, "/suche", "q", words,
                                                                repeat)),
            "ranked_search_page_newest_http": asyncio.run(site_latency(
                database, "/suche", "sort=neu&q", words, repeat)),
            "ranked_search_page_repeated_http": asyncio.run(site_latency(
                database, "/suche", "q", words, repeat, cold=False)),
        }
    result["compound_parts"] = {
        "words": COMPOUNDS, "trigram_sql": sql_latency(conn, TRIGRAM, COMPOUNDS, repeat),
        "site_http": asyncio.run(site_latency(database, "teile_von_woertern", "wortteil",
                                              COMPOUNDS, repeat))}
    save("search", result)
    return result


def site_functions(conn) -> None:
    """The SQL functions the site's plugins register (the canned search query uses them)."""
    import importlib.util
    import inspect

    from etl.serve import ROOT

    for path in sorted((ROOT / "plugins").glob("*.py")):
        if "def prepare_connection" not in path.read_text():
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if list(inspect.signature(module.prepare_connection).parameters) == ["conn"]:
            module.prepare_connection(conn)  # the SQL functions, not the limits


def open_site_sql() -> str:
    import yaml

    from etl.serve import METADATA

    queries = yaml.safe_load(METADATA.read_text())["databases"]["ratsdaten"]["queries"]
    return queries["suche"]["sql"].replace(":suchwort", ":q").replace("fts_query(:q)", ":q")


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1, ensure_ascii=False))


def scaled_proxy(database: Path, factor: int = 8, repeat: int = 10) -> dict:
    """When the whole archive is not at hand: the page texts of `database` indexed `factor`
    times over (contentless FTS5, same tokenizer), so doclists are as long as the whole
    archive's; the bounded bm25 candidate query against bm25 over all matches."""
    proxy = OUT / f"search_proxy_x{factor}.db"
    proxy.unlink(missing_ok=True)
    conn = sqlite3.connect(proxy)
    conn.execute("attach database ? as src", [f"file:{database}?immutable=1"])
    conn.execute("create virtual table f using fts5(text, content='', "
                 "tokenize='unicode61 remove_diacritics 0')")
    for _ in range(factor):
        conn.execute("insert into f(text) select text from src.pages")
    conn.commit()
    bounded = "select rowid, bm25(f) from f where f match :q order by rowid desc limit 1000"
    ranked = "select rowid from f where f match :q order by rank limit 50"
    result = {"factor": factor, "pages": conn.execute("select count(*) from src.pages")
              .fetchone()[0] * factor}
    for kind, words in WORDS.items():
        result[kind] = {"bounded_bm25_1000": sql_latency(conn, bounded, words, repeat),
                        "bm25_all_matches": sql_latency(conn, ranked, words,
                                                        max(1, repeat // 5))}
    conn.close()
    proxy.unlink(missing_ok=True)
    save(f"search_proxy_x{factor}", result)
    return result


def scaled_site(database: Path, factor: int = 8, repeat: int = 10, keep: bool = False) -> dict:
    """The whole search page on a database `factor` times as big: papers and pages of
    `database` copied under new ids (search indexes rebuilt), so candidate queries, bm25's
    counts, grouping, facets and snippets all see archive-sized indexes."""
    import shutil

    import sqlite_utils

    from etl.db.shape import enable_search

    proxy = OUT / f"site_proxy_x{factor}" / "ratsdaten.db"
    shutil.rmtree(proxy.parent, ignore_errors=True)
    proxy.parent.mkdir(parents=True)
    shutil.copy(database, proxy)
    db = sqlite_utils.Database(proxy)
    paper_cols = [c for c in db["papers"].columns_dict if c != "id"]
    page_cols = [c for c in db["pages"].columns_dict if c not in ("id", "paper_id")]
    for copy in range(1, factor):
        db.execute(f"insert into papers (id, {', '.join(paper_cols)}) select id || '#k{copy}', "
                   + ", ".join(f"{c} || '-k{copy}'" if c == "reference" else c
                               for c in paper_cols) + " from papers where id not like '%#k%'")
        db.execute(f"insert into pages (id, paper_id, {', '.join(page_cols)}) select "
                   f"id || '#k{copy}', paper_id || '#k{copy}', {', '.join(page_cols)} "
                   "from pages where id not like '%#k%'")
    db.conn.commit()
    enable_search(db)
    db.execute("vacuum")
    pages = db["pages"].count
    db.close()
    result = {"factor": factor, "pages": pages}
    for kind, words in WORDS.items():
        result[kind] = {"ranked_search_page_http": asyncio.run(
            site_latency(proxy, "/suche", "q", words, repeat)),
            "bm25_all_matches_sql": sql_latency(
                sqlite3.connect(f"file:{proxy}?immutable=1", uri=True), RANKED, words,
                max(1, repeat // 5))}
    save(f"site_proxy_x{factor}", result)
    if not keep:
        shutil.rmtree(proxy.parent, ignore_errors=True)
    return result
