"""Readable addresses: /vorlage/<reference>, /gremium/<key>, /sitzung/<key>, /person/<key>.

Keys are the last part of the OParl id (unique in the sample and in Karlsruhe); where two
objects share it, the last two parts, then the body, make it unique. Cached per database
file: the published database is immutable.
"""

import re
from urllib.parse import quote, urlencode

KINDS = {"gremium": "organizations", "sitzung": "meetings", "person": "persons"}
_CACHE: dict[str, "Keys"] = {}


def _tail(oparl_id: str, parts: int) -> str:
    pieces = [p for p in re.split(r"[/#?=&]+", oparl_id) if p]
    key = "-".join(pieces[-parts:])
    return key if key.strip(".") else "x" + key  # /person/.. would be / in a browser


def make_keys(rows: list[tuple[str, str]]) -> dict[str, str]:
    """(id, body_id) rows -> {id: key}, each key unique and readable."""
    result: dict[str, str] = {}
    for parts in (1, 2, 3):
        pending = [(i, b) for i, b in rows if i not in result]
        counts: dict[str, int] = {}
        for oparl_id, _body in pending:
            key = _tail(oparl_id, parts)
            counts[key] = counts.get(key, 0) + 1
        taken = set(result.values())
        for oparl_id, _body in pending:
            key = _tail(oparl_id, parts)
            if counts[key] == 1 and key not in taken:
                result[oparl_id] = key
    for number, (oparl_id, body) in enumerate(r for r in rows if r[0] not in result):
        result[oparl_id] = f"{body or 'x'}-{number}"
    return result


class Keys:
    def __init__(self, conn):
        self.key_of: dict[str, dict[str, str]] = {}
        self.id_of: dict[str, dict[str, str]] = {}
        for kind, table in KINDS.items():
            rows = conn.execute(f"select id, body_id from {table}").fetchall()
            self.key_of[kind] = make_keys(rows)
            self.id_of[kind] = {k: i for i, k in self.key_of[kind].items()}
        self.by_reference: dict[str, list[tuple[str, str]]] = {}
        self.paper_ref: dict[str, tuple[str, str]] = {}
        papers = conn.execute("select id, body_id, reference from papers "
                              "order by date desc, id").fetchall()
        for pid, body, ref in papers:
            self.paper_ref[pid] = (body, ref)
            if ref:
                self.by_reference.setdefault(ref, []).append((body, pid))
        # papers without a number of their own: /vorlage/-/<key>
        self.paper_key = make_keys([(pid, body) for pid, body, ref in papers
                                    if not ref or len(self.by_reference[ref]) > 1])
        self.paper_by_key = {k: i for i, k in self.paper_key.items()}
        self.bodies = {r[0] for r in conn.execute("select id from bodies")}
        self.by_name: dict[str, str] = {}
        for name, short, oparl_id in conn.execute(
                "select name, short_name, id from organizations order by end_date is null"):
            for text in (name, short):
                if text:
                    self.by_name[text] = self.url("gremium", oparl_id)
        for name, oparl_id in conn.execute("select name, id from persons"):
            if name:
                self.by_name.setdefault(name, self.url("person", oparl_id))

    def submitter_url(self, name: str | None) -> str | None:
        """The page of whoever submitted a paper: a committee, group or person we know."""
        return self.by_name.get((name or "").strip())

    def url(self, kind: str, oparl_id: str | None) -> str | None:
        key = self.key_of.get(kind, {}).get(oparl_id or "")
        return f"/{kind}/{quote(key, safe='')}" if key else None

    def paper_url(self, paper_id: str | None) -> str | None:
        if paper_id not in self.paper_ref:
            return None
        body, ref = self.paper_ref[paper_id]
        if ref and {".", ".."} & set(ref.split("/")):  # a browser would drop those segments
            return "/-/paper?" + urlencode({"id": paper_id})
        same = self.by_reference.get(ref or "", [])
        if ref and len(same) == 1:
            return "/vorlage/" + quote(ref, safe="/")
        if ref and sum(1 for b, _p in same if b == body) == 1:
            return f"/vorlage/{quote(body, safe='')}/" + quote(ref, safe="/")
        if paper_id in self.paper_key:
            return "/vorlage/-/" + quote(self.paper_key[paper_id], safe="")
        return "/-/paper?" + urlencode({"id": paper_id})

    def find_paper(self, path: str) -> str | None:
        """'2013/0140' or 'karlsruhe/2013/0140' -> the paper id."""
        same = self.by_reference.get(path, [])
        if len(same) == 1:
            return same[0][1]
        if path.startswith("-/"):
            return self.paper_by_key.get(path[2:])
        body, _, ref = path.partition("/")
        if body in self.bodies:
            mine = [p for b, p in self.by_reference.get(ref, []) if b == body]
            if len(mine) == 1:
                return mine[0]
        return None


def keys_for(conn, path: str) -> Keys:
    if path not in _CACHE:
        _CACHE[path] = Keys(conn)
    return _CACHE[path]


async def get_keys(db) -> Keys:
    if db.path in _CACHE:
        return _CACHE[db.path]
    return await db.execute_fn(lambda conn: keys_for(conn, db.path))


def cached_keys(db) -> Keys | None:
    return _CACHE.get(db.path)
