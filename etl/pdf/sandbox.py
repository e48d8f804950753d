"""Run per-file and per-page work in child processes with a wall-clock timeout and a memory cap.

A child that hangs, crashes (segfault) or runs out of memory costs only its own
job: the parent records a failure and goes on. Each job gets a fresh forked
child in its own process group with its own temp directory (TMPDIR, also for
the Tesseract it starts); when the job ends, however it ends, the group is
killed and the directory removed. Children die with their parent
(PR_SET_PDEATHSIG), so a killed build leaves no worker running unsupervised.
"""

import faulthandler
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .process import die_with_parent

DEBUG_LOG_ENV = "RATSDATEN_DEBUG_LOG"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 2 * 1024**3
JOB_DIR_PREFIX = "ratsdaten-job-"


@dataclass
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    memory: int = DEFAULT_MEMORY
    workers: int = max(1, os.cpu_count() or 1)


def inherited_address_space() -> int:
    """Bytes of address space a forked worker starts with. The cap is on what it adds: a
    large parent (a test run, a long build) would otherwise leave the worker too little to
    even load a library lazily ("failed to map segment from shared object")."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


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


def _child(conn, func, args, memory, parent, job_dir):
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    os.environ["TMPDIR"] = job_dir
    tempfile.tempdir = job_dir
    faulthandler.disable()  # a crash is reported by the parent, not dumped to the terminal
    quiet_libraries()
    cap = memory + inherited_address_space()
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
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
class Job:
    key: object
    func: object
    args: tuple
    timeout: float
    alone: bool = False  # run with no other job beside it (a retry after a timeout)


@dataclass
class _Running:
    job: Job
    process: multiprocessing.Process
    conn: Connection
    started: float
    job_dir: str


@dataclass
class Pool:
    """Sandboxed jobs, `workers` at a time; more may be submitted while results are read."""

    limits: Limits = field(default_factory=Limits)
    queue: deque = field(default_factory=deque)
    alone: deque = field(default_factory=deque)
    running: list = field(default_factory=list)

    def submit(self, key, func, args, timeout: float | None = None, alone: bool = False) -> None:
        job = Job(key, func, tuple(args), timeout or self.limits.timeout, alone)
        (self.alone if alone else self.queue).append(job)

    def results(self):
        """Yield (key, outcome) as jobs finish; outcome is func's dict or a failure."""
        ctx = multiprocessing.get_context("fork")
        remove_stale_job_dirs()
        try:
            while self.queue or self.alone or self.running:
                self._fill(ctx)
                yield from self._collect()
        finally:
            for item in list(self.running):  # the consumer stopped early: end its jobs
                self._end(item)
            self.running.clear()

    def _fill(self, ctx) -> None:
        if any(r.job.alone for r in self.running):
            return
        while self.queue and len(self.running) < max(1, self.limits.workers):
            self.running.append(_start(ctx, self.queue.popleft(), self.limits.memory))
        if not self.queue and not self.running and self.alone:
            self.running.append(_start(ctx, self.alone.popleft(), self.limits.memory))

    def _collect(self):
        now = time.monotonic()
        nearest = min(r.started + r.job.timeout for r in self.running)
        ready = wait([r.conn for r in self.running], timeout=max(0.0, nearest - now))
        for item in list(self.running):
            outcome = None
            if item.conn in ready:
                try:
                    outcome = item.conn.recv()
                except (EOFError, OSError):
                    outcome = _died(item, self.limits.memory)
            elif time.monotonic() - item.started > item.job.timeout:
                outcome = _failure("timeout", f"no result after {item.job.timeout:.0f} s")
            if outcome is not None:
                self.running.remove(item)
                self._end(item)
                outcome["wall_seconds"] = round(time.monotonic() - item.started, 3)
                outcome.setdefault("seconds", outcome["wall_seconds"])
                yield item.job.key, outcome

    @staticmethod
    def _end(item: _Running) -> None:
        """Kill the job's whole process group (Tesseract too) and remove its temp dir."""
        if item.process.pid is not None:  # always, once started
            _kill_group(item.process.pid)
        item.conn.close()
        item.process.join(5)
        shutil.rmtree(item.job_dir, ignore_errors=True)


def run_sandboxed(func, tasks, limits: Limits | None = None):
    """Yield (key, outcome) for each (key, args) task; outcome is func's dict or a failure."""
    pool = Pool(limits or Limits())
    for key, args in tasks:
        pool.submit(key, func, args)
    yield from pool.results()


def _start(ctx, job: Job, memory: int) -> _Running:
    receiver, sender = ctx.Pipe(duplex=False)
    job_dir = tempfile.mkdtemp(prefix=f"{JOB_DIR_PREFIX}{os.getpid()}-")
    process = ctx.Process(target=_child, daemon=True,
                          args=(sender, job.func, job.args, memory, os.getpid(), job_dir))
    process.start()
    try:  # also from this side, so a kill right after the start reaches the group
        os.setpgid(process.pid, process.pid)
    except OSError:
        pass
    sender.close()
    return _Running(job, process, receiver, time.monotonic(), job_dir)


def remove_stale_job_dirs() -> None:
    """Temp dirs of jobs whose parent was killed before it could remove them."""
    for path in Path(tempfile.gettempdir()).glob(f"{JOB_DIR_PREFIX}*-*"):
        pid = path.name[len(JOB_DIR_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _died(item: _Running, memory: int) -> dict:
    item.process.join(5)
    code = item.process.exitcode
    if code == -signal.SIGABRT:  # allocators abort when the address-space cap refuses them
        return _failure("memory", f"worker aborted (SIGABRT) under the memory cap of "
                                  f"{memory // 2**20} MB")
    if code is not None and code < 0:
        return _failure("crash", f"worker died with {signal.Signals(-code).name}")
    return _failure("crash", f"worker exited with status {code} without a result")


def _kill_group(pid: int) -> None:
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        try:
            kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _failure(kind: str, message: str) -> dict:
    return {"failure": {"kind": kind, "stage": "worker", "message": message}}
