"""A time limit that really interrupts. Datasette's limit is a progress handler that looks
at the clock every 1,000 virtual-machine steps; one step can be a function call that runs
for a second (instr() or replace() on long values), so a query of 30 such rows ran
30 s unchecked. Here a watchdog interrupts any statement running past the limit; SQLite
stops it at its next step."""

import threading
import time

from datasette import hookimpl

GRACE_SECONDS = 1.0  # past Datasette's own limit, which should have fired first
CHECK_EVERY = 0.1

# id(connection) -> (connection, when its latest statement began); an entry leaves once
# it is overdue, so a closed connection is held for at most the limit.
_started: dict[int, tuple] = {}
_lock = threading.Lock()
_watchdog = None


def watch(conn, limit_seconds: float) -> None:
    def statement_started(_sql):
        _started[id(conn)] = (conn, time.monotonic())

    conn.set_trace_callback(statement_started)
    start_watchdog(limit_seconds + GRACE_SECONDS)


def start_watchdog(after_seconds: float) -> None:
    global _watchdog
    with _lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=interrupt_overdue, args=(after_seconds,),
                                         name="sql-watchdog", daemon=True)
            _watchdog.start()


def interrupt_overdue(after_seconds: float) -> None:
    # Interrupting a connection with no running statement does nothing, so a stale start
    # time after a statement ended costs nothing.
    while True:
        time.sleep(CHECK_EVERY)
        now = time.monotonic()
        for key, (conn, started) in list(_started.items()):
            if now - started > after_seconds:
                _started.pop(key, None)
                try:
                    conn.interrupt()
                except Exception:  # closed meanwhile: nothing to interrupt
                    pass


@hookimpl
def prepare_connection(conn, datasette):
    watch(conn, datasette.setting("sql_time_limit_ms") / 1000)
