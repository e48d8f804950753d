"""CSV exports whose cells a spreadsheet would run as a formula. Titles and names come from
council servers and PDFs, hostile input: a title '=HYPERLINK("https://…"&A1)' went into
every .csv download unchanged (attack, round 13). A cell that starts with '=' or '@', or
with '+' or '-' and is no number, gets a leading apostrophe, as OWASP advises;
numbers ('-250', '+3,5') stay numbers. JSON and the database download are unchanged."""

import codecs
import re

from datasette import hookimpl

FORMULA_START = "=@"
SIGNS = "+-"
NUMBER = re.compile(r"[+-]?[\d.,]+(?:[eE][+-]?\d+)?")  # '-250', '+3,5', '-1.250,00'


class FormulaGuard:
    """Rewrites CSV text chunk by chunk (Datasette writes whole rows per chunk). A cell
    that starts with a sign is held until it ends: '-2+3+cmd|…' starts like a number."""

    def __init__(self):
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.in_quotes = False
        self.cell_start = True  # the next character opens a cell (or its opening quote)
        self.first = False  # the next character is the first of a quoted cell's text
        self.held = ""  # a cell that began with a sign, until its end

    def feed(self, data: bytes, final: bool = False) -> bytes:
        out: list[str] = []
        for ch in self.decoder.decode(data, final):
            self._take(ch, out)
        if final and self.held:
            out.append(defused(self.held))
            self.held = ""
        return "".join(out).encode("utf-8")

    def _take(self, ch: str, out: list[str]) -> None:
        if self.held and (self.in_quotes or ch not in ",\r\n"):
            self.held += ch
            self.in_quotes ^= ch == '"'
            return
        if self.held:
            out.append(defused(self.held))
            self.held = ""
        if self.cell_start or self.first:
            opening = self.cell_start and ch == '"'
            self.cell_start, self.first = False, opening
            if opening:
                self.in_quotes = True
                out.append(ch)
                return
            if ch in FORMULA_START:
                out.append("'")
            elif ch in SIGNS:
                self.held = ch
                return
        if ch == '"':
            self.in_quotes = not self.in_quotes  # '""' inside quotes flips twice
        elif not self.in_quotes and ch in ",\n":
            self.cell_start = True
        out.append(ch)


def defused(cell: str) -> str:
    """A cell that began with a sign: as it is when it is a number (or the sign alone, or
    a dash before words), else after an apostrophe."""
    text = cell.rstrip('"')
    return cell if NUMBER.fullmatch(text) or text in SIGNS or text[1:2] == " " else "'" + cell


def guarded_send(send):
    state: dict = {"guard": None}

    async def send_guarded(event):
        if event["type"] == "http.response.start" and event.get("status") == 200:
            state["guard"] = FormulaGuard()
            event = {**event, "headers": [(k, v) for k, v in event.get("headers", [])
                                          if k.lower() != b"content-length"]}
        elif event["type"] == "http.response.body" and state["guard"] is not None:
            more = event.get("more_body", False)
            event = {**event, "body": state["guard"].feed(event.get("body", b""), not more)}
        return await send(event)

    return send_guarded


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            # Datasette's CSV is text/csv only with _dl=1, else text/plain: known by its path
            if scope["type"] != "http" or not scope.get("path", "").endswith(".csv"):
                return await app(scope, receive, send)
            return await app(scope, receive, guarded_send(send))

        return guarded

    return wrap
