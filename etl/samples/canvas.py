"""A flowing reportlab page writer: lines, wrapped text, grids and checkboxes.

Nothing here knows the Leipzig form; render.py describes the form with it.
"""

from collections.abc import Sequence

from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

BOX = 7.5
TICK_GLYPH, EMPTY_GLYPH = "\u2718", "\u274f"  # ZapfDingbats ✘ and ❏


class Flow:
    """Writes top to bottom, starting a new page when the next item does not fit."""

    def __init__(self, path, layout: dict, furniture=None):
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.width, self.height = A4
        self.layout = layout
        self.font, self.size = layout["font"], layout["size"]
        self.margin, self.leading = layout["margin"], layout["size"] * layout["leading"]
        self.bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold",
                     "Courier": "Courier-Bold"}[self.font]
        self.box = layout.get("box", BOX)
        self.box_side = layout.get("box_side", "left")
        self.box_line = layout.get("box_line", "last")
        self.ruled = layout.get("ruled", True)
        self.breaks = set(layout.get("breaks", []))
        self.hyphenate = layout.get("hyphenate", False)
        self.elements = 0  # form elements drawn; a forced page break may come before any
        self.furniture = furniture  # callable(canvas, page_number) drawing running lines
        self.page = 1
        self.widgets = 0
        self.styles: dict = {}
        self.y = self.top = self.height - self.margin - 18
        self.bottom = self.margin + 24

    # -- pages
    def need(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        if self.furniture:
            self.furniture(self.canvas, self.page)
        self.canvas.showPage()
        self.page += 1
        self.y = self.top

    def finish(self) -> None:
        if self.furniture:
            self.furniture(self.canvas, self.page)
        self.canvas.save()

    def element(self) -> None:
        """Count a form element; break the page before it when the layout says so."""
        self.elements += 1
        if self.elements in self.breaks:
            self.new_page()

    # -- text
    def text(self, x: float, text: str, bold=False, size=None) -> None:
        self.canvas.setFont(self.bold if bold else self.font, size or self.size)
        self.canvas.drawString(x, self.y, text)

    def line(self, text: str = "", bold=False, indent=0.0, gap=1.0) -> None:
        self.need(self.leading * gap)
        if text:
            self.text(self.margin + indent, text, bold)
        self.y -= self.leading * gap

    def width_of(self, text: str, bold=False) -> float:
        return stringWidth(text, self.bold if bold else self.font, self.size)

    def wrap(self, text: str, width: float, bold=False) -> list[str]:
        lines, current = [], ""
        for word in text.split():
            candidate = f"{current} {word}".strip()
            if current and self.width_of(candidate, bold) > width:
                head, tail = self._hyphenate(current, word, width, bold)
                lines.append(head)
                current = tail
            else:
                current = candidate
        return lines + ([current] if current else [])

    def _hyphenate(self, current: str, word: str, width: float, bold) -> tuple[str, str]:
        """Break a long lower-case-continued word at the line end ('Finanzierungs-/beschluss')."""
        if not self.hyphenate or len(word) < 10 or not word.strip("()„“,.").isalpha():
            return current, word
        for cut in range(len(word) - 4, 3, -1):
            head = f"{current} {word[:cut]}-"
            if word[cut].islower() and word[cut - 1].islower() and \
                    self.width_of(head, bold) <= width:
                return head, word[cut:]
        return current, word

    def paragraph(self, text: str, indent=0.0, bold=False, hang="", width=None) -> None:
        width = min(width or 1e9, self.width - 2 * self.margin - indent)
        for i, part in enumerate(self.wrap(text, width - self.width_of(hang), bold)):
            self.need(self.leading)
            if hang and i == 0:
                self.text(self.margin + indent, hang, bold)
            self.text(self.margin + indent + self.width_of(hang), part, bold)
            self.y -= self.leading

    # -- form elements
    def checkbox(self, x: float, ticked: bool, method: str, name: str) -> None:
        """A box whose lower left corner sits on the current baseline at x."""
        c, y, BOX = self.canvas, self.y - 1, self.box - 0  # noqa: N806
        if method == "glyph":  # like Wingdings' ☐ and ☒: a box glyph, a cross glyph on it
            c.setFont("ZapfDingbats", BOX + 1)
            c.drawString(x, y, EMPTY_GLYPH)
            if ticked:
                c.drawString(x + 0.8, y + 0.6, TICK_GLYPH)
            return
        if method == "widget":
            self.widgets += 1
            c.acroForm.checkbox(name=f"{name}_{self.widgets}", x=x, y=y, size=BOX + 1,
                                checked=ticked, buttonStyle="cross", borderWidth=0.6,
                                borderColor=black, fillColor=white, forceBorder=True)
            return
        c.setLineWidth(0.6)
        c.rect(x, y, BOX, BOX, stroke=1, fill=0)
        if ticked and method == "text":
            c.setFont("Helvetica", BOX + 1.5)
            c.drawString(x + 0.6, y + 0.4, "X")
        elif ticked and method == "vector":
            c.setLineWidth(0.9)
            c.line(x + 1.2, y + 1.2, x + BOX - 1.2, y + BOX - 1.2)
            c.line(x + 1.2, y + BOX - 1.2, x + BOX - 1.2, y + 1.2)

    def choice_row(self, label: str, options: list[tuple[str, bool]], method: str,
                   name: str, label_width: float | None = None) -> None:
        """'Label  [ ] nein  [x] wenn ja, …': a long label wraps; its first or last line
        (as the layout says) holds the boxes, left or right of each option."""
        self.element()
        label_width = label_width or self.width_of(label) + 12
        parts = self.wrap(label, label_width - 10) if label else [""]
        widest = max([self.width_of(p) for p in parts] or [0])
        size = self.size * min(1.0, (label_width - 12) / widest) if widest else self.size
        at = 0 if self.box_line == "first" else len(parts) - 1
        self.need(self.leading * len(parts))
        extra = 0
        for i, part in enumerate(parts):
            if part:  # a word wider than the label column is set smaller
                self.text(self.margin, part, size=size)
            if i == at:
                self._options(options, method, name, self.margin + label_width)
                extra = self.option_lines
            self.y -= self.leading
        self.y -= self.leading * max(0, extra - (len(parts) - 1 - at))

    def _options(self, options, method, name, x0: float) -> None:
        """Options after each other; one too long for the rest of the line wraps at x0."""
        x, right_edge, top = x0, self.width - self.margin, self.y
        for option, ticked in options:
            width = self.box + 4 + self.width_of(option)
            if x > x0 and x + width > right_edge:  # options wrap under the first one
                self.y -= self.leading
                x = x0
            parts = self.wrap(option, right_edge - x - self.box - 8)
            if self.box_side == "left":
                self.checkbox(x, ticked, method, name)
            for i, part in enumerate(parts):
                if i:
                    self.y -= self.leading
                    x = x0
                self.text(x + (self.box + 4 if self.box_side == "left" and not i else 0), part)
            end = x + (self.box + 4 if self.box_side == "left" and len(parts) == 1 else 0) \
                + self.width_of(parts[-1])
            if self.box_side == "right":
                self.checkbox(end + 4, ticked, method, name)
                end += self.box + 4
            x = end + 10
        self.option_lines = round((top - self.y) / self.leading)
        self.y = top

    def grid_row(self, cells: list, widths: Sequence[float], bold=False, rule=True,
                 method: str = "vector", name: str = "cell") -> None:
        """One row of a grid; a cell too wide for its column wraps inside it. A cell may be
        a checkbox: (None, ticked)."""
        self.element()
        rule = rule and self.ruled
        wrapped = [[] if isinstance(text, tuple) or not text else self.wrap(text, width - 4, bold)
                   for text, width in zip(cells, widths, strict=False)]
        height = self.leading * max(1, max(len(w) for w in wrapped))
        self.need(height + 2)
        top = self.y + self.leading * 0.75
        x, baseline = self.margin, self.y
        for cell, lines, width in zip(cells, wrapped, widths, strict=False):
            if isinstance(cell, tuple):
                self.checkbox(x + 4, cell[1], method, name)
            # a word wider than its column is set smaller, as form software does
            widest = max([self.width_of(w, bold) for ln in lines for w in ln.split()] or [0])
            size = self.size * min(1.0, (width - 5) / widest) if widest else self.size
            for i, part in enumerate(lines):
                self.y = baseline - i * self.leading
                self.text(x + 2, part, bold, size)
            x += width
        self.y = baseline
        if rule:
            c = self.canvas
            c.setLineWidth(0.4)
            bottom = self.y - height + self.leading * 0.7
            c.line(self.margin, bottom, x, bottom)
            c.line(self.margin, top, x, top)
            edge = self.margin
            for width in [0.0, *widths]:
                edge += width
                c.line(edge, bottom, edge, top)
        self.y -= height + 1
