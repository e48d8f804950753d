"""Small query helpers shared by the site's pages (:named parameters only)."""


async def rows(db, sql: str, params: dict) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def one(db, sql: str, params: dict) -> dict | None:
    found = await rows(db, sql, params)
    return found[0] if found else None


async def count(db, sql: str, params: dict) -> int:
    """The `n` of a `select count(*) as n …` query (it always has its one row)."""
    return (await rows(db, sql, params))[0]["n"]


async def has_table(db, name: str) -> bool:
    return await db.table_exists(name) or name in await db.view_names()


async def columns_of(db, table: str) -> set[str]:
    if not await has_table(db, table):
        return set()
    return {r["name"] for r in await rows(db, "select name from pragma_table_info(:t)",
                                          {"t": table})}


# Cached pages are shared by every visitor, so they must not carry the first visitor's Host
# header: their canonical links hold this mark, replaced per request by `with_base`.
BASE_MARK = "\x00ratsdaten-base\x00"


def canonical_path(path: str) -> str:
    return BASE_MARK + path


def with_base(html: str, datasette, request) -> str:
    from markupsafe import escape

    return html.replace(BASE_MARK, str(escape(datasette.absolute_url(request, "/").rstrip("/"))))


def site_db(datasette):
    """The published database: 'ratsdaten', or the only one when served under another name."""
    return datasette.databases.get("ratsdaten") or datasette.get_database()


class PageCache:
    """Rendered pages by address, newest kept, bounded in bytes: the published database is
    immutable, so a page stays right for the life of the server process."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        from collections import OrderedDict

        self.pages: "OrderedDict[tuple, str]" = OrderedDict()
        self.max_bytes, self.size = max_bytes, 0

    async def get(self, key: tuple, render) -> str:
        if key in self.pages:
            self.pages.move_to_end(key)
            return self.pages[key]
        html = await render()
        self.pages[key] = html
        self.size += len(html)
        while self.size > self.max_bytes and len(self.pages) > 1:
            _old, dropped = self.pages.popitem(last=False)
            self.size -= len(dropped)
        return html


PAGES = PageCache()
