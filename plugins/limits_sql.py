"""Fair SQL: every client has its own budget of SQL time (a token bucket of seconds, keyed
by its address), so one visitor's loop of heavy ?sql= slows only that visitor. A client
runs one arbitrary query at a time; all clients together at most SQL_SLOTS, so one SQL
thread always stays free for the pages everybody uses."""

import asyncio
import ipaddress
import json
import math
import time
from urllib.parse import parse_qsl

from datasette import hookimpl

BURST_SECONDS = 2.0  # SQL time a client may spend at once (a query at the limit and more)…
REFILL_PER_SECOND = 0.1  # …and on average: a tenth of one SQL thread
MIN_COST = 0.05  # even a query that failed at once costs something
SQL_SLOTS = 2  # of num_sql_threads = 3
SLOT_WAIT_SECONDS = 3.0
MAX_CLIENTS = 10_000  # bucket entries kept before the full ones are forgotten
ARBITRARY = {"sql", "_where"}  # parameters that carry SQL written by the visitor


def is_arbitrary_sql(scope) -> bool:
    query = (scope.get("query_string") or b"").decode("latin-1")
    return any(key in ARBITRARY for key, _ in parse_qsl(query, keep_blank_values=True))


def client_key(scope, behind_proxy: bool) -> str:
    """The client's address; behind the proxy (--public) the one it saw. --public assumes
    fly's proxy, which sets Fly-Client-IP and overwrites any a client sent; X-Forwarded-For
    is never read, as a client can put any address into it (its own first, or last when
    no proxy appends). Without the header, all clients share the proxy's address."""
    address = (scope.get("client") or ("unknown", 0))[0]
    if behind_proxy:
        forwarded = dict(scope.get("headers") or []).get(b"fly-client-ip", b"")
        address = forwarded.decode("latin-1").strip() or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    # One IPv6 user commonly has a whole /64 to pick addresses from.
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


class SqlBudget:
    def __init__(self, burst=BURST_SECONDS, rate=REFILL_PER_SECOND, slots=SQL_SLOTS):
        self.burst, self.rate = burst, rate
        self.tokens: dict[str, tuple[float, float]] = {}  # key -> (seconds left, when)
        self.running: set[str] = set()
        self.slots = asyncio.Semaphore(slots)

    def left(self, key: str, now: float) -> float:
        tokens, when = self.tokens.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - when) * self.rate)

    def wait_seconds(self, key: str) -> int:
        """0 when the client may run a query now, else seconds until it may."""
        if key in self.running:
            return 2
        left = self.left(key, time.monotonic())
        return 0 if left > 0 else max(1, math.ceil(-left / self.rate + 0.01))

    def charge(self, key: str, seconds: float) -> None:
        now = time.monotonic()
        self.tokens[key] = (self.left(key, now) - max(seconds, MIN_COST), now)
        if len(self.tokens) > MAX_CLIENTS:
            self.tokens = {k: v for k, v in self.tokens.items() if self.left(k, now) < self.burst}


def too_many(seconds: int) -> tuple[int, bytes, list]:
    text = (f"Zu viele SQL-Abfragen von Ihrer Adresse. Bitte in {seconds} Sekunden erneut "
            "versuchen. Die vorbereiteten Abfragen und alle Tabellen bleiben erreichbar.")
    return 429, text.encode(), [(b"retry-after", str(seconds).encode())]


BUSY = (503, "Der Server ist gerade mit SQL-Abfragen ausgelastet. Bitte in wenigen Sekunden "
        "erneut versuchen.".encode(), [(b"retry-after", b"2")])


async def refuse(scope, send, status: int, text: bytes, extra: list) -> None:
    """Plain text, or for .json addresses JSON like Datasette's own errors."""
    kind = b"text/plain; charset=utf-8"
    if scope.get("path", "").endswith(".json"):
        kind = b"application/json; charset=utf-8"
        text = json.dumps({"ok": False, "error": text.decode(), "status": status},
                          ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind), (b"content-length", str(len(text)).encode())] + extra})
    await send({"type": "http.response.body", "body": text})


async def run_fairly(budget: SqlBudget, key: str, app, scope, receive, send):
    wait = budget.wait_seconds(key)
    if wait:
        return await refuse(scope, send, *too_many(wait))
    budget.running.add(key)
    try:
        await asyncio.wait_for(budget.slots.acquire(), SLOT_WAIT_SECONDS)
    except asyncio.TimeoutError:
        budget.running.discard(key)
        return await refuse(scope, send, *BUSY)
    started = time.monotonic()
    try:
        return await app(scope, receive, send)
    finally:
        budget.slots.release()
        budget.running.discard(key)
        budget.charge(key, time.monotonic() - started)


@hookimpl(tryfirst=True)  # innermost: requests refused for their size never cost budget
def asgi_wrapper(datasette):
    behind_proxy = bool(datasette.setting("force_https_urls"))
    config = datasette.plugin_config("ratsdaten-limits") or {}

    def wrap(app):
        budget = SqlBudget(burst=float(config.get("sql_burst_seconds") or BURST_SECONDS))

        async def fair(scope, receive, send):
            if scope["type"] != "http" or not is_arbitrary_sql(scope):
                return await app(scope, receive, send)
            key = client_key(scope, behind_proxy)
            return await run_fairly(budget, key, app, scope, receive, send)

        return fair

    return wrap
