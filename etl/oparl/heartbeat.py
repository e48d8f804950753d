"""A line on stderr at least every `every` seconds while a sync runs, even when one
download stalls: an operator reading a CI log can tell a slow server from a hung run."""

import sys
import threading
import time

import click


class Heartbeat:
    """Background thread; `note` is what the sync is doing, `detail()` what the network is."""

    def __init__(self, label: str, detail, every: float = 10.0, enabled: bool = True,
                 stream=None):
        self.label, self.detail, self.every, self.enabled = label, detail, every, enabled
        self.stream = stream or sys.stderr
        self.note = "starting"
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Heartbeat":
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            elapsed = time.monotonic() - self.started
            click.echo(f"{self.label} [{elapsed:.0f} s]: {self.note}; {self.detail()}",
                       file=self.stream)
