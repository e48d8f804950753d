"""The network side of a sync: polite HTTP with retries; no parsing, no storing."""

import threading
import time
from dataclasses import dataclass, field

import httpx

from .. import __version__

USER_AGENT = (f"ratsdaten/{__version__} (open council data; "
              "+https://github.com/ratsdaten/ratsdaten)")
RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that could not be fetched, with a failure kind for the record."""

    def __init__(self, kind: str, url: str, message: str):
        super().__init__(f"{url}: {message}")
        self.kind, self.url, self.message = kind, url, message


@dataclass
class Fetched:
    """A response read in full: what parse and store need of it."""
    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes = b""


@dataclass
class Activity:
    """What the fetcher is doing right now, for the progress heartbeat."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    current: dict = field(default_factory=dict)  # thread id -> (url, started, received)

    def describe(self) -> str:
        with self.lock:
            items = list(self.current.values())
        if not items:
            return "between requests"
        url, started, received = min(items, key=lambda item: item[1])
        more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
        return f"{url}: {received} bytes in {time.monotonic() - started:.0f} s{more}"


class Fetcher:
    """GETs with a delay between requests, backoff on errors and Retry-After.

    Every request has a wall-clock `deadline` and, after `grace` seconds, must keep an
    average of `min_rate` bytes/s: a server that trickles becomes a `timeout`, never a hang
    (httpx's own timeout is per read, and a trickle never trips it)."""

    def __init__(self, delay: float = 0.0, retries: int = 4, backoff: float = 0.5,
                 timeout: float = 60.0, max_bytes: int = 512 * 1024 * 1024,
                 deadline: float = 600.0, min_rate: float = 2048.0, grace: float = 20.0):
        self.delay, self.retries, self.backoff, self.max_bytes = delay, retries, backoff, max_bytes
        self.deadline, self.min_rate, self.grace = deadline, min_rate, grace
        self.client = httpx.Client(headers={"User-Agent": USER_AGENT},
                                   timeout=min(timeout, deadline), follow_redirects=True)
        self._last = 0.0
        self._lock = threading.Lock()
        self.requests = 0
        self.activity = Activity()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, params: dict | None = None, headers: dict | None = None) -> Fetched:
        """The response (2xx, 304 or 410); FetchError when it keeps failing."""
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                response = self._read(url, params, headers)
            except httpx.HTTPError as exc:
                if attempt == self.retries:
                    kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "network"
                    raise FetchError(kind, url, f"{type(exc).__name__}: {exc}") from None
                time.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUS and attempt < self.retries:
                time.sleep(self._retry_after(response) or self.backoff * 2**attempt)
                continue
            if response.status_code >= 400 and response.status_code != 410:
                raise FetchError(f"http_{response.status_code}", url,
                                 f"HTTP {response.status_code}")
            return response
        raise FetchError("http", url, "gave up")  # pragma: no cover - loop always returns

    def _read(self, url: str, params, headers) -> Fetched:
        """Stream the body, checking the deadline, the rate and the size after every chunk."""
        started = time.monotonic()
        key = threading.get_ident()
        chunks, received = [], 0
        try:
            with self.activity.lock:
                self.activity.current[key] = (url, started, 0)
            with self.client.stream("GET", url, params=params, headers=headers) as response:
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    received += len(chunk)
                    with self.activity.lock:
                        self.activity.current[key] = (url, started, received)
                    self._check(url, started, received)
                return Fetched(str(response.url), response.status_code, response.headers,
                               b"".join(chunks))
        finally:
            with self.activity.lock:
                self.activity.current.pop(key, None)

    def _check(self, url: str, started: float, received: int) -> None:
        elapsed = time.monotonic() - started
        if received > self.max_bytes:
            raise FetchError("too_large", url, f"more than {self.max_bytes} bytes")
        if elapsed > self.deadline:
            raise FetchError("timeout", url, f"not complete after {self.deadline:g} s "
                             f"({received} bytes)")
        if elapsed > self.grace and received / elapsed < self.min_rate:
            raise FetchError("timeout", url, f"{received / elapsed:.0f} bytes/s after "
                             f"{elapsed:.0f} s, below the minimum of {self.min_rate:.0f}")

    def _wait(self) -> None:
        """Requests leave at least `delay` apart, also from several download threads."""
        with self._lock:
            start = max(time.monotonic(), self._last + self.delay)
            self._last = start
            self.requests += 1
        pause = start - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    @staticmethod
    def _retry_after(response) -> float | None:
        value = response.headers.get("Retry-After", "")
        try:
            return min(float(value), 120.0)
        except ValueError:
            return None
