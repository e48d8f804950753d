"""A time limit that really interrupts. Datasette's limit is a progress handler that looks
at the clock every 1,000 virtual-machine steps; one step can be a function call that runs
for a second (instr() or replace() on long values), so a query of 30 such rows ran
30 s unchecked. Here a watchdog interrupts a statement still running past the limit;
SQLite stops it at its next step."""

import gc
import sys
import threading
import time

from datasette import hookimpl

GRACE_SECONDS = 1.0  # past Datasette's own limit, which should have fired first
CHECK_EVERY = 0.1
RUNNING_IN = "sql_operation_in_thread"  # Datasette's function around every execute()

# id(connection) -> (connection, thread, when its latest statement began); an entry
# leaves once overdue, so a closed connection is held for at most the limit.
_started: dict[int, tuple] = {}
_lock = threading.Lock()
_watchdog = None


def watch(conn, limit_seconds: float) -> None:
    def statement_started(_sql):
        _started[id(conn)] = (conn, threading.get_ident(), time.monotonic())

    conn.set_trace_callback(statement_started)
    start_watchdog(limit_seconds + GRACE_SECONDS)


def start_watchdog(after_seconds: float) -> None:
    global _watchdog
    with _lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=interrupt_overdue, args=(after_seconds,),
                                         name="sql-watchdog", daemon=True)
            _watchdog.start()


def still_executing(thread: int) -> bool:
    """Is this thread inside Datasette's execute()? An interrupt sent to a connection whose
    statement has ended can stay pending and hit the next, innocent one."""
    frame = sys._current_frames().get(thread)
    while frame is not None:
        if frame.f_code.co_name == RUNNING_IN:
            return True
        frame = frame.f_back
    return False


def interrupt_overdue(after_seconds: float) -> None:
    while True:
        time.sleep(CHECK_EVERY)
        now = time.monotonic()
        for key, entry in list(_started.items()):
            conn, thread, started = entry
            if now - started <= after_seconds:
                continue
            if still_executing(thread) and _started.get(key) is entry:
                # An interrupt stays pending while any other statement of the connection is
                # active, and then fails the next, innocent one. A query refused mid-fetch
                # (row budget) leaves its cursor in a reference cycle, still active: collect
                # such cursors first, so the interrupt ends with the statement it was for.
                gc.collect()
                conn.interrupt()
            _started.pop(key, None)


@hookimpl
def prepare_connection(conn, datasette):
    watch(conn, datasette.setting("sql_time_limit_ms") / 1000)
