"""Progress for long work: a bar on a terminal, plain log lines otherwise."""

import sys
import time

import click


class Progress:
    """Counts done items; shows a bar with ETA on a TTY, a line every few seconds elsewhere."""

    def __init__(self, total: int, label: str, unit: str = "files", stream=None):
        self.total, self.label, self.unit = total, label, unit
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = self.last_log = time.monotonic()
        self.tty = self.stream.isatty()
        self._bar = None
        if self.tty and total:
            self._bar = click.progressbar(length=total, label=label, file=self.stream,
                                          show_eta=True, show_pos=True)
            self._bar.__enter__()

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self.last_log >= 5 or self.done == self.total:
            self.last_log = now
            rate = self.done / max(now - self.started, 1e-6)
            eta = (self.total - self.done) / rate if rate else 0
            click.echo(f"{self.label}: {self.done}/{self.total} {self.unit}"
                       f" ({rate:.1f}/s, ETA {eta:.0f} s){' ' + note if note else ''}",
                       file=self.stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


class Ticker:
    """For work of unknown length: a line every few seconds with what was done so far."""

    def __init__(self, label: str, enabled: bool = True, every: float = 5.0, stream=None):
        self.label, self.enabled, self.every = label, enabled, every
        self.stream = stream or sys.stderr
        self.last = time.monotonic()

    def tick(self, note: str, force: bool = False) -> None:
        now = time.monotonic()
        if self.enabled and (force or now - self.last >= self.every):
            self.last = now
            click.echo(f"{self.label}: {note}", file=self.stream)
