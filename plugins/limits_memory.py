"""Memory and CPU per value and per query: SQLite's length limits, a byte budget for the rows
one query hands to Datasette, a heap ceiling for SQLite, and printf() without its slow path.

Datasette keeps up to max_returned_rows + 1 rows of a query in memory (fetchmany) before
it renders them, so the rows' total size must be bounded, not only each value.
"""

import re
import sqlite3
import threading
import weakref
from json.encoder import encode_basestring_ascii

from datasette import hookimpl
from datasette.utils.asgi import Response

# Per string or blob. Also bounds the quadratic single calls (instr, replace) to about a
# second: instr() of 1 MB against 0.5 MB took 15 s, uninterruptible.
MAX_VALUE_BYTES = 256_000
# All rows of one query, counted as their JSON (escapes too: a string of control characters
# is six times its length); more is refused with a clear error.
MAX_QUERY_BYTES = 8_000_000
BLOB_WEIGHT = 6  # a blob leaves as base64 or, if it decodes as text, as \u0000 escapes
# What a cell costs at least, whatever its value: its HTML (<td class="…">1</td>) and its
# Python objects. Counted at 8 bytes, 1,000 rows of 199 numbers (15 MB of HTML) passed and
# held every visitor 3.5 s while they rendered (attack, round 13).
MIN_CELL_BYTES = 128
MAX_COLUMNS = 100
MAX_LIKE_PATTERN = 1_000
# Variables per statement: Datasette's table pages look up the labels of every foreign key
# shown (up to max_returned_rows) in one statement; written SQL is held to 250 before
# Datasette sees it (plugins/limits_requests.py).
MAX_VARIABLES = 1_001
SQLITE_SOFT_HEAP = 64 * 2**20
SQLITE_HARD_HEAP = 160 * 2**20  # process-wide; SQLite answers "out of memory" beyond it
TOO_MANY_BYTES = ("Antwort zu groß: Die Abfrage liefert mehr als {} MB. Bitte weniger Zeilen "
                  "(LIMIT, _size) oder Spalten abfragen.").format(MAX_QUERY_BYTES // 10**6)
NO_MEMORY = ("Für diese Abfrage reicht der Speicher des Servers nicht. "
             "Bitte die Abfrage verkleinern.")

_spent = weakref.WeakKeyDictionary()  # cursor -> bytes of rows fetched so far
_plain = threading.local()  # per SQL thread: a connection whose printf is SQLite's own
_SPEC = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l)?(.)", re.S)


def budget_row(cursor, row):
    """Row factory: a sqlite3.Row, after counting its bytes against the query's budget."""
    size = sum(max(value_size(v), MIN_CELL_BYTES) for v in row)
    spent = _spent.get(cursor, 0) + size
    if spent > MAX_QUERY_BYTES:
        raise sqlite3.DataError(TOO_MANY_BYTES)
    _spent[cursor] = spent
    return sqlite3.Row(cursor, row)


def value_size(value) -> int:
    if isinstance(value, str):
        return len(value) if len(value) < 64 else len(encode_basestring_ascii(value))
    if isinstance(value, bytes):
        return BLOB_WEIGHT * len(value)
    return 8


def too_wide(fmt: str, args: tuple) -> bool:
    """SQLite 3.40's printf loops once per unit of precision for %c even after its output
    exceeded the length limit: printf('%.*c', 1e9, 'x') runs 10 s, past every time limit."""
    args = list(args)
    for width, precision, conversion in _SPEC.findall(fmt):
        for part in (width, precision):
            value = args.pop(0) if part == "*" and args else part
            try:
                too_big = abs(int(float(value or 0))) > MAX_VALUE_BYTES
            except (TypeError, ValueError):
                too_big = False
            if too_big:
                return True
        if conversion != "%" and args:
            args.pop(0)
    return False


def safe_printf(fmt, *args):
    if fmt is None:
        return None
    if too_wide(str(fmt), args):
        # A result over the length limit makes SQLite itself fail the query, with its
        # usual "string or blob too big"; an exception here would only say "user-defined".
        return "x" * (MAX_VALUE_BYTES + 1)
    conn = getattr(_plain, "conn", None)
    if conn is None:
        conn = _plain.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    marks = ", ".join("?" * (len(args) + 1))
    return conn.execute(f"select printf({marks})", (fmt, *args)).fetchone()[0]


def limit_connection(conn) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN)
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, MAX_VARIABLES)
    conn.execute(f"pragma soft_heap_limit = {SQLITE_SOFT_HEAP}")
    conn.execute(f"pragma hard_heap_limit = {SQLITE_HARD_HEAP}")
    conn.row_factory = budget_row
    for name in ("printf", "format"):
        conn.create_function(name, -1, safe_printf)


@hookimpl
def prepare_connection(conn):
    limit_connection(conn)


@hookimpl
def handle_exception(datasette, request, exception):
    if isinstance(exception, MemoryError):
        return Response.text(NO_MEMORY, status=503, headers={"retry-after": "5"})
    return None
