"""One search over titles (words and parts of compounds) and page texts, grouped by paper.

Ranking is bounded: each index gives at most CANDIDATES matches, newest first (FTS5 walks
its rowids backwards without scoring the rest), and only those are scored with bm25. So a
very common word costs the same as a rare one, on any size of archive.
"""

import json
import re
from collections import OrderedDict

from markupsafe import Markup, escape

CANDIDATES = 600
TITLE_CANDIDATES = 200
PER_PAGE = 20
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
FACETS = {"body": "body_id", "kind": "kind", "submitter": "submitted_by", "year": "year"}


def words_of(text: str | None) -> list[str]:
    return re.findall(r"[\w][\w\-./]*", text or "")[:20]


def fts_query(text: str | None) -> str:
    """Each typed word becomes a quoted phrase; FTS5 syntax in the input has no effect."""
    words = words_of(text)
    return " ".join('"{}"'.format(w.replace('"', "")) for w in words) or '""'


def fts_expression(text: str | None) -> str:
    """A little search syntax, always valid FTS5: words (all must occur), "a phrase",
    Wort* (words beginning so; three letters at least before the *), and OR between two
    of these. Everything else in the input is read as plain words."""
    terms: list[str] = []
    for phrase, bare in re.findall(r'"([^"]*)"?|(\S+)', text or "")[:40]:
        if bare == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        words = words_of(phrase if phrase else bare)
        if phrase and words:
            terms.append('"{}"'.format(" ".join(words)))
        elif bare.endswith("*") and len(words) == 1 and len(words[0]) >= 3:
            terms.append('"{}"*'.format(words[0]))
        else:
            terms += ['"{}"'.format(w) for w in words]
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms[:20]).removesuffix(" OR") or '""'


def trigram_query(text: str | None) -> str | None:
    """Words of three letters or more as substrings (compound parts); None if there is none."""
    words = [w for w in words_of(text) if len(w) >= 3]
    return " ".join('"{}"'.format(w) for w in words) or None


def highlight(text: str | None, words: list[str]) -> Markup:
    """The title with each typed word marked, also inside compounds; escaped."""
    text = text or ""
    parts = [re.escape(w) for w in sorted(words, key=len, reverse=True) if len(w) >= 2]
    if not parts:
        return escape(text)
    pieces = re.split("(" + "|".join(parts) + ")", text, flags=re.IGNORECASE)
    return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 else escape(p)
                           for i, p in enumerate(pieces))


# A case-blind search takes time of the text's length times the word's, in one step no time
# limit interrupts: a 127,000-letter word in a 255,000-letter text held every request for
# 46 s (attack, round 13). No German word is longer than MAX_WORD.
MAX_TYPED, MAX_WORD, MAX_WORDS = 200, 40, 10


def text_snippet(text: str | None, typed: str | None, mark_open: str = "**",
                 mark_close: str = "**", width: int = 200) -> str:
    """About `width` characters of `text` around the first typed word, each typed word
    between the marks. In place of FTS5's snippet(), which takes time quadratic in the
    hits on a page: a page of one word 40,000 times (a hostile PDF) took 9 s, past every
    time limit, as one uninterruptible step."""
    text = text or ""
    words = sorted({w for w in words_of((typed or "")[:MAX_TYPED]) if
                    2 <= len(w) <= MAX_WORD and w != "OR"}, key=len, reverse=True)[:MAX_WORDS]
    pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - width // 3) if found else 0
    if start:  # begin at a word
        space = text.find(" ", start, found.start() if found else None)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    space = text.find(" ", end, end + 30)
    end = space if space >= 0 else end
    piece = " ".join(text[start:end].split())
    if pattern:
        piece = pattern.sub(lambda m: mark_open + m.group(0) + mark_close, piece)
    return ("… " if start else "") + piece + (" …" if end < len(text) else "")


def marked_snippet(snippet: str | None) -> Markup:
    text = str(escape(snippet or ""))
    return Markup(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def starred_snippet(snippet: str | None) -> Markup:
    """A snippet with ** around the found words (the canned query's markers), escaped."""
    text = str(escape(snippet or ""))
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<mark>\1</mark>", text))


def _hits(conn, sql: str, params: dict) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _table_exists(conn, name: str) -> bool:
    return bool(_hits(conn, "select 1 from sqlite_master where name = :n", {"n": name}))


def candidates(conn, q: str) -> tuple[dict[int, dict], bool]:
    """paper rowid -> {score, title, page_rowid}; and whether a source was cut off."""
    match, tri = fts_query(q), trigram_query(q)
    found: dict[int, dict] = {}
    cut = False
    titles = _hits(conn, """select rowid, bm25(papers_fts, 1.0, 4.0, 1.0) as score
        from papers_fts where papers_fts match :m order by rowid desc limit :n""",
                         {"m": match, "n": TITLE_CANDIDATES})
    cut |= len(titles) == TITLE_CANDIDATES
    for hit in titles:
        found[hit["rowid"]] = {"score": hit["score"] * 3, "title": True}
    if tri and _table_exists(conn, "papers_trigram"):
        parts = _hits(conn, """select rowid from papers_trigram where papers_trigram
            match :m order by rowid desc limit :n""", {"m": tri, "n": TITLE_CANDIDATES})
        cut |= len(parts) == TITLE_CANDIDATES
        for hit in parts:
            found.setdefault(hit["rowid"], {"score": -4.0, "title": True})
    pages = _hits(conn, """with hits as (select rowid, bm25(pages_fts) as score
        from pages_fts where pages_fts match :m order by rowid desc limit :n)
        select p.rowid as paper_rowid, min(h.score) as score, h.rowid as page,
        (select count(*) from hits) as hits from hits h join pages pg on pg.rowid = h.rowid
        join papers p on p.id = pg.paper_id group by p.rowid""", {"m": match, "n": CANDIDATES})
    cut |= bool(pages) and pages[0]["hits"] == CANDIDATES
    if tri and _table_exists(conn, "pages_trigram"):  # compound parts in the text, if indexed
        pages += _hits(conn, """with hits as (select rowid from pages_trigram
            where pages_trigram match :m order by rowid desc limit :n)
            select p.rowid as paper_rowid, -1.0 as score, min(h.rowid) as page
            from hits h join pages pg on pg.rowid = h.rowid
            join papers p on p.id = pg.paper_id group by p.rowid""", {"m": tri, "n": CANDIDATES})
    for hit in pages:
        entry = found.setdefault(hit["paper_rowid"], {"score": 0.0, "title": False})
        if hit["score"] < entry.get("page_score", 0.0) or entry.get("page") is None:
            entry["page"], entry["page_score"] = hit["page"], hit["score"]
    for entry in found.values():
        entry.setdefault("page", None)
        entry["rank"] = entry["score"] + entry.get("page_score", 0.0)
    return found, cut


def _facets(papers: list[dict], chosen: dict) -> dict[str, list[tuple]]:
    result = {}
    for name, column in FACETS.items():
        counts: dict = {}
        for paper in papers:
            value = paper.get(column)
            if value not in (None, ""):
                counts[value] = counts.get(value, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        if name == "year":
            ordered = sorted(counts.items(), key=lambda kv: str(kv[0]), reverse=True)
        result[name] = [(value, count, str(value) == chosen.get(name)) for value, count
                        in ordered[:15]]
    return result


_RECENT: "OrderedDict[tuple, dict]" = OrderedDict()
RECENT_SIZE = 256  # the published database is immutable: a result stays right
# ... and bounded in bytes too: titles come from the source, and a server sending 200 kB
# titles made each cached result 8 MB – 256 of them more than the machine has.
RECENT_BYTES = 16 * 2**20
_recent_bytes: dict[tuple, int] = {}


def result_bytes(result: dict) -> int:
    """About what a cached result holds: its titles (plain and marked) and snippets."""
    return 1024 + sum(2 * len(p.get("name") or "") + len(p.get("snippet") or "")
                      for p in result["papers"]) + sum(
        len(str(value)) for values in result["facets"].values() for value, *_ in values)


async def search(db, q: str, sort: str = "relevanz", chosen: dict | None = None,
                 page: int = 1, limit_ms: int = 1000) -> dict:
    """Papers matching q, grouped, filtered by the chosen facets, one page of them – all
    queries in one trip to a SQL thread, stopped after limit_ms (sqlite3.OperationalError
    'interrupted'); the last few hundred answers are kept."""
    key = (db.path, q, sort, tuple(sorted((chosen or {}).items())), page)
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    result = await db.execute_fn(lambda conn: timed_search(conn, limit_ms, q, sort, chosen, page))
    if key not in _RECENT:  # another request may have found it meanwhile
        _RECENT[key], _recent_bytes[key] = result, result_bytes(result)
    while len(_RECENT) > 1 and (len(_RECENT) > RECENT_SIZE
                                or sum(_recent_bytes.values()) > RECENT_BYTES):
        old, _ = _RECENT.popitem(last=False)
        _recent_bytes.pop(old, None)
    return result


def timed_search(conn, limit_ms: int, *args) -> dict:
    """search_in under Datasette's time limit: execute_fn, unlike execute, sets none, and
    a search is several statements over every page text."""
    from datasette.utils import sqlite_timelimit

    with sqlite_timelimit(conn, limit_ms):
        return search_in(conn, *args)


def search_in(conn, q: str, sort: str, chosen: dict | None, page: int) -> dict:
    chosen = {k: v for k, v in (chosen or {}).items() if v}
    found, cut = candidates(conn, q) if words_of(q) else ({}, False)
    papers = _hits(conn, """select rowid, id, body_id, reference, name, date, year,
        submitted_by, coalesce(document_kind, paper_type) as kind, main_file_id from papers
        where rowid in (select value from json_each(:ids))""", {"ids": json.dumps(list(found))})
    for paper in papers:
        paper.update(found[paper["rowid"]])
    facets = _facets(papers, chosen)
    papers = [p for p in papers if all(str(p.get(FACETS[k])) == v for k, v in chosen.items()
                                       if k in FACETS)]
    if sort == "neu":
        papers.sort(key=lambda p: (p["date"] or "", p["rowid"]), reverse=True)
    else:
        papers.sort(key=lambda p: (p["rank"], -(p["rowid"])))
    shown = papers[(page - 1) * PER_PAGE: page * PER_PAGE]
    _add_snippets(conn, q, shown)
    return {"total": len(papers), "cut": cut, "papers": shown, "facets": facets,
            "pages": max(1, -(-len(papers) // PER_PAGE))}


def _add_snippets(conn, q: str, papers: list[dict]) -> None:
    words = words_of(q)
    for paper in papers:
        paper["title_marked"] = highlight(paper["name"] or "(ohne Betreff)", words)
    _best_pages(conn, q, [p for p in papers if p.get("page") is None])
    wanted = [p["page"] for p in papers if p.get("page") is not None]
    if not wanted:
        return
    hits = {h["rowid"]: h for h in _hits(conn, """select pg.rowid as rowid,
        textausschnitt(pg.text, :q, :o, :c) as snippet, pg.number, f.sha256,
        f.access_url from pages pg left join files f on f.id = pg.file_id
        where pg.rowid in (select value from json_each(:ids))""",
        {"o": MARK_OPEN, "c": MARK_CLOSE, "q": q, "ids": json.dumps(wanted)})}
    for paper in papers:
        hit = hits.get(paper.get("page"))
        if hit:
            paper["snippet"] = marked_snippet(hit["snippet"])
            paper["page_number"] = hit["number"]
            paper["sha256"], paper["access_url"] = hit["sha256"], hit["access_url"]


def _best_pages(conn, q: str, papers: list[dict]) -> None:
    """A page to quote for papers found by their title alone (older than the candidates):
    the first of their pages that matches, found by a rowid range FTS5 can seek to."""
    match = fts_query(q)
    for paper in papers:
        span = _hits(conn, "select min(rowid) as lo, max(rowid) as hi from pages "
                           "where paper_id = :id", {"id": paper["id"]})[0]
        if span["lo"] is None:
            continue
        hit = _hits(conn, """select rowid from pages_fts where pages_fts match :m
            and rowid between :lo and :hi order by rowid limit 1""", dict(span, m=match))
        paper["page"] = hit[0]["rowid"] if hit else None
