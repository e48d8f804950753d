"""The network side of a sync: polite HTTP with retries; no parsing, no storing."""

import threading
import time

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


class Fetcher:
    """GETs with a delay between requests, backoff on errors and Retry-After."""

    def __init__(self, delay: float = 0.0, retries: int = 4, backoff: float = 0.5,
                 timeout: float = 60.0, max_bytes: int = 512 * 1024 * 1024):
        self.delay, self.retries, self.backoff, self.max_bytes = delay, retries, backoff, max_bytes
        self.client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout,
                                   follow_redirects=True)
        self._last = 0.0
        self._lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, params: dict | None = None, headers: dict | None = None):
        """The response (2xx, 304 or 410); FetchError when it keeps failing."""
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                response = self.client.get(url, params=params, headers=headers)
            except httpx.HTTPError as exc:
                if attempt == self.retries:
                    raise FetchError("network", url, f"{type(exc).__name__}: {exc}") from None
                time.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUS and attempt < self.retries:
                time.sleep(self._retry_after(response) or self.backoff * 2**attempt)
                continue
            if response.status_code >= 400 and response.status_code != 410:
                raise FetchError(f"http_{response.status_code}", url,
                                 f"HTTP {response.status_code}")
            if len(response.content) > self.max_bytes:
                raise FetchError("too_large", url, f"{len(response.content)} bytes")
            return response
        raise FetchError("http", url, "gave up")  # pragma: no cover - loop always returns

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
