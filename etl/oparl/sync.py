"""`ratsdaten sync`: crawl a body's OParl lists into state.db, then download its files."""

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..progress import Ticker
from ..state import register_body
from .fetch import Fetcher, FetchError
from .files import download_files
from .heartbeat import Heartbeat
from .parse import NotJson, parse_json_body, parse_list_page, short_type, value
from .store import list_cursor, record_fetch_failure, save_cursor, store_objects

BODIES_FILE = Path(__file__).resolve().parent.parent.parent / "bodies.yml"
LISTS = ("organization", "person", "meeting", "paper")
MAX_PAGES = 100_000


def resolve_body(arg: str, bodies_file: Path = BODIES_FILE) -> dict:
    """A slug from bodies.yml or an OParl URL -> the body's sync configuration."""
    known = yaml.safe_load(bodies_file.read_text(encoding="utf-8")) if bodies_file.exists() else {}
    if arg in known:
        return {"slug": arg, "delay": 1.0, **known[arg]}
    if arg.startswith(("http://", "https://")):
        host = urlsplit(arg).hostname or "oparl"
        slug = host.split(".")[-2] if host.count(".") >= 1 and not host[0].isdigit() else "local"
        return {"slug": slug, "url": arg, "name": None, "delay": 0.0}
    raise KeyError(f"unknown body {arg!r}: use a slug from bodies.yml "
                   f"({', '.join(sorted(known))}) or an OParl URL")


def sync_body(state, data_dir: Path, config: dict, full: bool = False, files: bool = True,
              progress: bool = True, fetcher: Fetcher | None = None,
              heartbeat: float = 10.0) -> dict:
    """Crawl and download one body. A body URL that cannot be read ends the sync with a
    recorded failure and `summary["body_failure"]`, never a traceback."""
    fetcher = fetcher or Fetcher(delay=float(config.get("delay") or 0),
                                 deadline=float(config.get("deadline") or 600),
                                 min_rate=float(config.get("min_rate") or 2048))
    slug = config["slug"]
    summary = {"objects": 0, "pages": 0, "failures": 0}
    beat = Heartbeat(f"sync {slug}", fetcher.activity.describe, every=heartbeat,
                     enabled=progress)
    try:
        with beat:
            beat.note = "reading the body"
            try:
                body = _fetch_body(fetcher, config["url"])
            except (FetchError, NotJson) as exc:
                kind, message = getattr(exc, "kind", "not_json"), str(exc)
                record_fetch_failure(state, slug, config["url"], kind, message)
                state.conn.commit()
                return dict(summary, failures=1, body_failure=f"{kind}: {message}")
            _sync_lists(state, fetcher, slug, config, body, full, progress, summary, beat)
            if files:
                beat.note = "downloading files"
                summary.update(download_files(state, fetcher, data_dir, slug, progress,
                                              int(config.get("concurrency") or 1),
                                              config.get("stop_at")))
    finally:
        fetcher.close()
    return summary


def _sync_lists(state, fetcher, slug, config, body, full, progress, summary, beat) -> None:
    register_body(state, slug, config.get("name") or value(body, "name") or slug, "oparl",
                  url=body["id"], profile=config.get("profile"), licence=config.get("licence")
                  or value(body, "license"))
    store_objects(state, slug, [body])
    for key in LISTS:
        list_url = value(body, key)
        if isinstance(list_url, str):
            beat.note = f"crawling the {key} list"
            counts = crawl_list(state, fetcher, slug, list_url, full, progress,
                                config.get("stop_at"))
            for name in summary:
                summary[name] += counts[name]


def _fetch_body(fetcher: Fetcher, url: str) -> dict:
    response = fetcher.get(url)
    if response.status_code == 410:
        raise FetchError("http_410", url, "HTTP 410: the server says this body is gone")
    obj = parse_json_body(response.content, response.headers.get("content-type", ""))
    if not isinstance(obj, dict):
        raise FetchError("not_oparl", url, "expected an OParl Body, got no JSON object")
    if short_type(obj) == "System":
        if not isinstance(obj.get("body"), str):
            raise FetchError("not_oparl", url, "the system names no body list")
        bodies, _next = parse_list_page(fetcher.get(obj["body"]).content)
        if not bodies:
            raise FetchError("no_body", url, "the system lists no body")
        obj = bodies[0]
    if short_type(obj) != "Body" or not isinstance(obj.get("id"), str):
        raise FetchError("not_oparl", url, f"expected an OParl Body, got {short_type(obj)!r}")
    return obj


def list_pages(fetcher: Fetcher, list_url: str,
               params: dict | None = None) -> Iterator[list[dict]]:
    """Fetch and parse one list, following links.next: the objects of each page in turn.
    A page that cannot be read raises FetchError (NotJson becomes kind `not_json`)."""
    url: str | None = list_url
    seen: set[str] = set()
    while url and url not in seen and len(seen) < MAX_PAGES:
        seen.add(url)
        response = fetcher.get(url, params=params)
        if response.status_code == 410:
            raise FetchError("http_410", url, "HTTP 410: the list is gone")
        try:
            objects, next_url = parse_list_page(response.content,
                                                response.headers.get("content-type", ""))
        except NotJson as exc:
            raise FetchError("not_json", url, str(exc)) from None
        yield objects
        url, params = next_url, None


def crawl_list(state, fetcher: Fetcher, slug: str, list_url: str, full: bool,
               progress: bool = False, stop_at: float | None = None) -> dict:
    """Store the pages of one list; advance the cursor only when it was complete
    (a list left unfinished at `stop_at` is asked again from its old position)."""
    ticker = Ticker(f"{slug} {list_url.rstrip('/').rsplit('/', 1)[-1]}", progress)
    cursor = None if full else list_cursor(state, list_url)
    pages = list_pages(fetcher, list_url, {"modified_since": cursor} if cursor else None)
    newest, counts = cursor, {"objects": 0, "pages": 0, "failures": 0}
    while stop_at is None or time.monotonic() <= stop_at:
        try:
            objects = next(pages, None)
        except FetchError as exc:
            record_fetch_failure(state, slug, exc.url, exc.kind, exc.message)
            counts["failures"] += 1
            return counts
        if objects is None:
            ticker.tick(f"{counts['pages']} pages, {counts['objects']} objects", force=True)
            if newest:
                save_cursor(state, slug, list_url, newest)
            return counts
        store_objects(state, slug, objects)
        counts["objects"] += len(objects)
        counts["pages"] += 1
        newest = max([newest or ""] + [o.get("modified") or "" for o in objects]) or None
        ticker.tick(f"{counts['pages']} pages, {counts['objects']} objects")
    return counts


