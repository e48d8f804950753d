"""Render extracted text back into a PDF, with checkboxes where the text shows them.

Real council texts (pdftotext output of the original PDFs) lose the boxes but
keep their traces: a ticked box shows as "x"/"X" before its label, an empty
one as a run of spaces before it. This renderer draws a box there, ticked or
not, so the extractor can be measured on real wording. It also serves the
local OParl server, which turns archived file texts into PDFs on the fly.
"""

import io
import re

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

PAGE_START = re.compile(r"^\s*\d{1,3}/\d{1,3}\s*$")
NO_BOX_BEFORE = ("Vorberatung", "Beschlussfassung", "Bestätigung", "Information", "Kenntnis",
                 "schriftliche", "Sitzungstermin", "Zuständigkeit", "Voraussichtlicher")
BOX = 7.0
MARGIN = 50.0
MAX_LINES = 64


def line_items(line: str) -> list[tuple[str, str]]:
    """('text', s), ('ticked', '') and ('empty', '') items of one line, in order."""
    items: list[tuple[str, str]] = []
    glyphs = bool(re.search("[☒☐]", line))  # the boxes are in the text: no guessing from spaces
    leading_box = bool(re.match(r"^ \S", line)) and not glyphs
    chunks = re.split(r" {2,}", line.strip())
    pending_tick = False
    for index, chunk in enumerate(chunks):
        if not chunk:
            continue
        if chunk in ("x", "X"):
            pending_tick = True
            continue
        boxed = (index == 0 and leading_box) or (
            index > 0 and not glyphs and not chunks[index - 1].rstrip().endswith(":")
            and chunk[0].isalpha() and not chunk.startswith(NO_BOX_BEFORE))
        if match := re.match(r"^[xX]\s+(\S.*)$", chunk):
            pending_tick, chunk = True, match.group(1)
        if pending_tick:
            items.append(("ticked", ""))
        elif boxed:
            items.append(("empty", ""))
        pending_tick = False
        parts = re.split(r"\s([xX])\s(?=\S)|([☒☐])", chunk)  # "Auswirkungen X nein", "Ja ☒"
        for part in parts:
            if part in ("x", "X", "☒"):
                items.append(("ticked", ""))
            elif part == "☐":
                items.append(("empty", ""))
            elif part and part.strip():
                items.append(("text", part.strip()))
    if pending_tick:  # a tick alone on its line ("x" above "Nein"): still a ticked box
        items.append(("ticked", ""))
    return items


def split_pages(text: str) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in text.replace("\r", "").split("\n"):
        if (PAGE_START.match(line) or "\f" in line) and any(s.strip() for s in pages[-1]):
            pages.append([])
        pages[-1].append(line.replace("\f", ""))
    result = []
    for page in pages:  # long pages without markers are cut into A4-sized pieces
        text_lines = [ln for ln in page if ln.strip()]
        for start in range(0, max(len(text_lines), 1), MAX_LINES):
            result.append(text_lines[start:start + MAX_LINES])
    return result


def text_to_pdf(text: str, font: str = "Helvetica", size: float = 9.0,
                method: str = "text") -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    width, height = A4
    for lines in split_pages(text):
        leading = min(size * 1.3, (height - 2 * MARGIN) / max(len(lines), 1))
        y = height - MARGIN
        for line in lines:
            _draw_line(canvas, line_items(line), y, font, size, width, method)
            y -= leading
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_line(canvas, items, y, font, size, width, method) -> None:
    natural = sum(stringWidth(t, font, size) + 3 if kind == "text" else BOX + 4
                  for kind, t in items)
    scale = min(1.0, (width - 2 * MARGIN) / max(natural, 1))
    x, fsize = MARGIN, size * scale
    for kind, text in items:
        if kind == "text":
            canvas.setFont(font, fsize)
            canvas.drawString(x, y, text)
            x += stringWidth(text, font, fsize) + 3 * scale
            continue
        box = BOX * max(scale, 0.8)
        canvas.setLineWidth(0.6)
        canvas.rect(x, y - 1, box, box, stroke=1, fill=0)
        if kind == "ticked" and method == "text":
            canvas.setFont("Helvetica", box + 1.5)
            canvas.drawString(x + 0.5, y - 0.6, "x")
        elif kind == "ticked":
            canvas.line(x + 1, y, x + box - 1, y + box - 2)
            canvas.line(x + 1, y + box - 2, x + box - 1, y)
        x += box + 4 * scale
