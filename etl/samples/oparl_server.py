"""A small OParl 1.1 server for tests, the demo and benchmarks (127.0.0.1 only).

It serves objects loaded from a folder (see etl/samples/council.py for the
layout) with real pagination, modified_since/created_since filters, deleted
objects, and optional fault injection.
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from .oparl_store import ObjectStore, path_of

LIST_TYPES = {"organizations": "Organization", "persons": "Person", "meetings": "Meeting",
              "papers": "Paper", "files": "File"}


@dataclass
class Faults:
    """Misbehaviour seen in the wild, switched on per test."""
    error_every: int = 0           # every Nth request answers HTTP 500
    retry_after: float | None = None  # send Retry-After with those 500s
    drop_filters: bool = False      # next links lose modified_since
    ignore_limit: bool = False      # the page size parameter is ignored
    html_for: set = field(default_factory=set)   # paths answered with an HTML error page
    slow_seconds: float = 0.0       # delay before every answer
    bad_checksum: set = field(default_factory=set)  # File ids announced with a wrong checksum
    gone: set = field(default_factory=set)       # paths answered with 410
    trickle_for: set = field(default_factory=set)  # paths sent one byte every trickle_seconds
    trickle_seconds: float = 2.0


class OParlHandler(BaseHTTPRequestHandler):
    server_version = "ratsdaten-oparl-test/1"
    server: "OParlServer"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        srv = self.server
        srv.requests += 1
        if srv.faults.slow_seconds:
            time.sleep(srv.faults.slow_seconds)
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if srv.faults.error_every and srv.requests % srv.faults.error_every == 0:
            headers = {"Retry-After": str(srv.faults.retry_after)} if srv.faults.retry_after else {}
            return self._send(500, b"Internal Server Error", "text/plain", headers)
        if path in srv.faults.html_for:
            return self._send(200, b"<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>",
                              "text/html")
        if path in srv.faults.gone:
            return self._send(410, b"Gone", "text/plain")
        return self._route(path, query)

    def _route(self, path: str, query: dict):
        store: ObjectStore = self.server.store
        if path.startswith("/download/") or "/downloadfiles/" in path:
            data = store.file_bytes(path.rsplit("/", 1)[-1].removesuffix(".pdf"))
            if data is None:
                return self._send(404, b"not found", "text/plain")
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", "application/pdf", {"ETag": etag})
            if path in self.server.faults.trickle_for:
                return self._trickle(data)
            self.server.files_sent.append(path)
            return self._send(200, data, "application/pdf", {"ETag": etag})
        if path.startswith("/body/") and path.rsplit("/", 1)[-1] in LIST_TYPES:
            return self._list(path, LIST_TYPES[path.rsplit("/", 1)[-1]], query)
        if path == "/bodies":
            return self._json(store.page_of("Body", query, path, self.server))
        obj = store.get(path)
        if obj is None:
            return self._send(404, b'{"error": "not found"}', "application/json")
        return self._json(obj)

    def _list(self, path, otype, query):
        page = self.server.store.page_of(otype, query, path, self.server)
        return self._json(page)

    def _json(self, obj):
        if self.server.faults.bad_checksum:
            obj = _wrong_checksums(obj, {path_of(i) for i in self.server.faults.bad_checksum})
        text = json.dumps(obj, ensure_ascii=False).replace("{base}", self.server.base)
        self._send(200, text.encode(), "application/json; charset=utf-8")

    def _trickle(self, data: bytes):
        """All headers at once, then the body a byte at a time, as a dying server does."""
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for index in range(len(data)):
                self.wfile.write(data[index:index + 1])
                self.wfile.flush()
                time.sleep(self.server.faults.trickle_seconds)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _send(self, status, body: bytes, ctype: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, val in (headers or {}).items():
            self.send_header(key, val)
        self.end_headers()
        self.wfile.write(body)


def _wrong_checksums(item, paths: set):
    """A copy of the answer in which the named File objects announce a wrong sha512."""
    if isinstance(item, list):
        return [_wrong_checksums(x, paths) for x in item]
    if not isinstance(item, dict):
        return item
    out = {k: _wrong_checksums(v, paths) for k, v in item.items()}
    if isinstance(item.get("id"), str) and path_of(item["id"]) in paths:
        out["sha512Checksum"] = hashlib.sha512(b"not these bytes").hexdigest()
    return out


class OParlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: ObjectStore, port: int = 0, faults: Faults | None = None,
                 page_size: int = 20):
        super().__init__(("127.0.0.1", port), OParlHandler)
        self.store, self.faults, self.page_size = store, faults or Faults(), page_size
        self.requests = 0
        self.files_sent: list[str] = []  # paths of files answered in full (200)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self._thread: threading.Thread | None = None

    @property
    def body_url(self) -> str:
        return f"{self.base}/body/1"

    def next_link(self, path: str, query: dict) -> str:
        if self.faults.drop_filters:
            query = {k: v for k, v in query.items() if k == "page"}
        return f"{self.base}{path}?{urlencode(query)}"

    def start(self) -> "OParlServer":
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def serve_folder(folder: Path, port: int = 0, **kwargs) -> OParlServer:
    """Start a server in a background thread for a folder written by write_sample."""
    return OParlServer(ObjectStore.from_folder(folder), port=port, **kwargs).start()
