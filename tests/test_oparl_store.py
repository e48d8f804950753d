"""Sync without a server: list pages parsed from JSON in memory, stored into an in-memory
state. The end-to-end sync against the local OParl server is in test_sync.py."""

import json

import httpx
import pytest
import sqlite_utils

from etl.oparl.fetch import Fetched, FetchError
from etl.oparl.store import list_cursor, save_cursor, store_objects
from etl.oparl.sync import crawl_list, list_pages
from etl.state import STATE_TABLES

V = "https://schema.oparl.org/1.1/"


def memory_state() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    for name, spec in STATE_TABLES.items():
        db[name].create(spec["columns"], pk=spec["pk"])
    return db


class Pages:
    """Answers from a dict url -> (status, body); remembers what was asked."""

    def __init__(self, answers: dict):
        self.answers, self.asked = answers, []

    def get(self, url, params=None, headers=None):
        self.asked.append((url, params))
        status, body = self.answers[url]
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return Fetched(url, status, httpx.Headers({"content-type": "application/json"}), content)


def paper(n: int, modified: str, **extra) -> dict:
    return {"id": f"https://x/paper/{n}", "type": V + "Paper", "name": f"Vorlage {n}",
            "modified": modified, **extra}


def page(objects, next_url=None) -> tuple[int, dict]:
    return 200, {"data": objects, "links": {"next": next_url} if next_url else {}}


TWO_PAGES = {"https://x/papers": page([paper(1, "2024-01-02T10:00:00+00:00")], "https://x/p2"),
             "https://x/p2": page([paper(2, "2024-03-01T08:00:00+00:00")])}


def test_pages_follow_next_links_and_stop_at_a_loop():
    fetcher = Pages({**TWO_PAGES, "https://x/p2": page([paper(2, "x")], "https://x/papers")})
    pages = list(list_pages(fetcher, "https://x/papers", {"modified_since": "2024"}))
    assert [[o["id"] for o in p] for p in pages] == [["https://x/paper/1"], ["https://x/paper/2"]]
    assert fetcher.asked == [("https://x/papers", {"modified_since": "2024"}),
                             ("https://x/p2", None)]  # the next link carries its own filters


@pytest.mark.parametrize("answer, kind", [((200, b"<!DOCTYPE html><p>Wartung"), "not_json"),
                                          ((200, b"{kaputt"), "not_json"),
                                          ((410, b""), "http_410")])
def test_an_unreadable_page_raises_with_its_url_and_kind(answer, kind):
    fetcher = Pages({"https://x/papers": page([paper(1, "x")], "https://x/p2"),
                     "https://x/p2": answer})
    pages = list_pages(fetcher, "https://x/papers")
    assert len(next(pages)) == 1
    with pytest.raises(FetchError) as caught:
        next(pages)
    assert (caught.value.kind, caught.value.url) == (kind, "https://x/p2")


def test_embedded_objects_are_stored_under_their_own_id():
    db = memory_state()
    file_obj = {"id": "https://x/file/9", "type": V + "File", "name": "Vorlage.pdf"}
    store_objects(db, "rat", [paper(1, "2024-01-01", mainFile=file_obj)])
    rows = {r["id"]: r for r in db["oparl_objects"].rows}
    assert {r["type"] for r in rows.values()} == {"Paper", "File"}
    assert rows["https://x/file/9"]["body"] == "rat" and rows["https://x/file/9"]["deleted"] == 0
    assert json.loads(rows["https://x/paper/1"]["json"])["mainFile"]["name"] == "Vorlage.pdf"


def test_a_deleted_object_keeps_what_was_known_flagged():
    db = memory_state()
    store_objects(db, "rat", [paper(1, "2024-01-01")])
    store_objects(db, "rat", [{"id": "https://x/paper/1", "deleted": True,
                               "modified": "2024-05-05"}])
    row = db["oparl_objects"].get("https://x/paper/1")
    kept = json.loads(row["json"])
    assert row["deleted"] == 1 and row["type"] == "Paper"
    assert kept["name"] == "Vorlage 1" and kept["modified"] == "2024-05-05"


def test_crawl_stores_every_page_and_moves_the_cursor_to_the_newest_modified():
    db = memory_state()
    counts = crawl_list(db, Pages(TWO_PAGES), "rat", "https://x/papers", full=False)
    assert counts == {"objects": 2, "pages": 2, "failures": 0}
    assert db["oparl_objects"].count == 2
    assert list_cursor(db, "https://x/papers") == "2024-03-01T07:00:00+00:00"  # an hour back
    again = Pages(TWO_PAGES)
    crawl_list(db, again, "rat", "https://x/papers", full=False)
    assert again.asked[0] == ("https://x/papers", {"modified_since": "2024-03-01T07:00:00+00:00"})


def test_a_failed_page_is_recorded_and_leaves_the_cursor_where_it_was():
    db = memory_state()
    save_cursor(db, "rat", "https://x/papers", "2023-06-01T00:00:00+00:00")
    fetcher = Pages({**TWO_PAGES, "https://x/p2": (200, b"<html>Fehler</html>")})
    counts = crawl_list(db, fetcher, "rat", "https://x/papers", full=True)
    assert counts == {"objects": 1, "pages": 1, "failures": 1}
    [failure] = db["fetch_failures"].rows
    assert (failure["url"], failure["kind"], failure["body"]) == ("https://x/p2", "not_json", "rat")
    assert list_cursor(db, "https://x/papers") == "2023-05-31T23:00:00+00:00"


def test_a_crawl_out_of_time_stores_nothing_and_keeps_no_cursor():
    db = memory_state()
    counts = crawl_list(db, Pages(TWO_PAGES), "rat", "https://x/papers", full=True, stop_at=0)
    assert counts["pages"] == 0 and db["sync_cursors"].count == 0


def test_an_unreadable_cursor_means_a_full_crawl():
    db = memory_state()
    save_cursor(db, "rat", "https://x/papers", "gestern")
    assert list_cursor(db, "https://x/papers") is None
