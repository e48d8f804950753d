"""Run per-file work in child processes with a wall-clock timeout and a memory cap.

A child that hangs, crashes (segfault) or runs out of memory costs only its own
file: the parent records a failure and goes on. Each file gets a fresh forked
child, so no state leaks from one hostile file to the next.
"""

import faulthandler
import logging
import multiprocessing
import os
import resource
import signal
import time
import warnings
from dataclasses import dataclass
from multiprocessing.connection import wait

DEBUG_LOG_ENV = "RATSDATEN_DEBUG_LOG"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 2 * 1024**3


@dataclass
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    memory: int = DEFAULT_MEMORY
    workers: int = max(1, os.cpu_count() or 1)


def quiet_libraries() -> None:
    """PDF libraries warn a lot (fonts, broken xrefs): into the debug log, not the terminal."""
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    target = os.environ.get(DEBUG_LOG_ENV)
    root.addHandler(logging.FileHandler(target) if target else logging.NullHandler())
    root.setLevel(logging.DEBUG if target else logging.WARNING)


def _child(conn, func, args, memory):
    faulthandler.disable()  # a crash is reported by the parent, not dumped to the terminal
    quiet_libraries()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        outcome = func(*args)
    except MemoryError:
        outcome = {"failure": {"kind": "memory", "stage": "extract", "message": "out of memory"}}
    except BaseException as exc:  # noqa: BLE001 - the child reports everything
        outcome = {"failure": {"kind": "parse_error", "stage": "extract",
                               "message": f"{type(exc).__name__}: {exc}"[:500]}}
    outcome["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send({"failure": {"kind": "memory", "stage": "send", "message": "out of memory"}})
    conn.close()


@dataclass
class _Running:
    key: object
    process: multiprocessing.Process
    conn: object
    started: float


def run_sandboxed(func, tasks, limits: Limits | None = None):
    """Yield (key, outcome) for each (key, args) task; outcome is func's dict or a failure."""
    limits = limits or Limits()
    ctx = multiprocessing.get_context("fork")
    queue = iter(tasks)
    running: list[_Running] = []
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < limits.workers:
            try:
                key, args = next(queue)
            except StopIteration:
                exhausted = True
                break
            running.append(_start(ctx, func, key, args, limits))
        if not running:
            break
        yield from _collect(running, limits)


def _start(ctx, func, key, args, limits) -> _Running:
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, func, args, limits.memory), daemon=True)
    process.start()
    sender.close()
    return _Running(key, process, receiver, time.monotonic())


def _collect(running: list[_Running], limits: Limits):
    now = time.monotonic()
    nearest = min(r.started + limits.timeout for r in running)
    ready = wait([r.conn for r in running], timeout=max(0.0, nearest - now))
    for item in list(running):
        outcome = None
        if item.conn in ready:
            try:
                outcome = item.conn.recv()
            except (EOFError, OSError):
                outcome = _died(item)
        elif time.monotonic() - item.started > limits.timeout:
            _kill(item.process)
            outcome = _failure("timeout", f"no result after {limits.timeout:.0f} s")
        if outcome is not None:
            running.remove(item)
            item.conn.close()
            item.process.join(5)
            outcome["wall_seconds"] = round(time.monotonic() - item.started, 3)
            outcome.setdefault("seconds", outcome["wall_seconds"])
            yield item.key, outcome


def _died(item: _Running) -> dict:
    item.process.join(5)
    code = item.process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return _failure("crash", f"worker died with {name}")
    return _failure("crash", f"worker exited with status {code} without a result")


def _kill(process) -> None:
    try:
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _failure(kind: str, message: str) -> dict:
    return {"failure": {"kind": kind, "stage": "worker", "message": message}}
