"""Tesseract (German) as a child process: a page image in, its TSV (words with boxes)
out and parsed. One thread (OMP_THREAD_LIMIT=1): parallelism comes from workers."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import numpy as np

from .text import Word

TESSERACT_SECONDS = 600  # a backstop only: the sandbox's limit ends a job first
PAGE_ARGS = ("--psm", "3", "-c", "tessedit_do_invert=0", "tsv")  # no white-on-black text
LINE_ARGS = ("--psm", "7")  # one line of text, plain
JUNK = " |‘’'\"_~-—–.,:;!^`´°"
INK_LEVEL = 160  # darker than this is ink when a page's margins are cut off
INK_MARGIN_PT = 8  # white left around the ink: Tesseract's layout wants a border

class OcrFailed(RuntimeError):
    """Tesseract ended without a result; `memory` tells whether it ran out of it."""

    def __init__(self, message: str, memory: bool = False):
        super().__init__(message)
        self.memory = memory


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def _die_with_parent() -> None:
    from .process import die_with_parent

    die_with_parent()


def tesseract_tsv(gray: np.ndarray, dpi: float, lang: str = "deu") -> str:
    """Tesseract's TSV for a grayscale image, sent as PGM on stdin (no temp image file)."""
    return _tesseract("stdin", pgm_bytes(gray), dpi, lang)


def tesseract_line(gray: np.ndarray, dpi: float, seconds: float, lang: str = "deu") -> str:
    """Tesseract's plain text for an image of one line."""
    return _tesseract("stdin", pgm_bytes(gray), dpi, lang, LINE_ARGS, seconds)


def tesseract_tsv_files(paths: list[str], dpi: float, lang: str = "deu") -> str:
    """One Tesseract run over several image files (its page_num column tells them apart)."""
    listing = Path(paths[0]).with_name("pages.txt")
    listing.write_text("".join(f"{p}\n" for p in paths))
    return _tesseract(str(listing), None, dpi, lang)


def ink_frame(gray: np.ndarray, scale: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The part of a page image that holds ink (with a margin) and its top-left corner.
    Tesseract's cost grows with the pixels it is given, and an A4 page's margins are a
    third of them: 2 % less CPU on the OCR benchmark's scan for the same characters."""
    dark = gray < INK_LEVEL
    rows, columns = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if not len(rows):
        return gray, (0, 0)
    margin = max(1, round(INK_MARGIN_PT * scale))
    top, left = max(0, int(rows[0]) - margin), max(0, int(columns[0]) - margin)
    bottom, right = int(rows[-1]) + margin + 1, int(columns[-1]) + margin + 1
    return gray[top:bottom, left:right], (left, top)


def pgm_bytes(gray: np.ndarray) -> bytes:
    height, width = gray.shape
    return b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(gray).tobytes()


def _tesseract(source: str, data: bytes | None, dpi: float, lang: str,
               args: tuple = PAGE_ARGS, seconds: float = TESSERACT_SECONDS) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            ["tesseract", source, "stdout", "--dpi", str(int(dpi)), "-l", lang, *args],
            input=data, capture_output=True, env=env, timeout=seconds,
            preexec_fn=_die_with_parent)
    except MemoryError:
        raise
    except OSError as exc:
        raise OcrFailed(f"tesseract did not start: {exc}", memory=exc.errno == 12) from None
    if done.returncode != 0:
        memory = done.returncode == -signal.SIGABRT or b"alloc" in done.stderr
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(f"tesseract failed ({done.returncode}): {message[0][:200]}", memory)
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str, scale: float, page_number: int, image: int = 1,
              origin: tuple[int, int] = (0, 0)) -> list[Word]:
    """Words with boxes in PDF points (origin top left) of the TSV's `image`-th image, which
    was cut from the page at `origin` (ink_frame); marks and low-confidence scraps that
    Tesseract reads from speckle and lines are dropped."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or cells[1] != str(image):
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        core = text.strip(JUNK)
        if not core or confidence < 0 or (confidence < 30 and len(core) < 3):
            continue
        text = text.lstrip(JUNK) or text
        x0, y0, x1, y1 = (round(v / scale, 2) for v in _corners(cells[6:10], origin))
        words.append(Word(text, x0, y0, x1, y1, page_number))
    return words


def _corners(cells: list[str], origin: tuple[int, int]) -> tuple[int, int, int, int]:
    left, top, width, height = (int(c) for c in cells)
    left, top = left + origin[0], top + origin[1]
    return left, top, left + width, top + height


def words_as_rows(words: list[Word]) -> list[list]:
    """Words as plain lists, for the page cache and the pipe (boxes already rounded)."""
    return [[w.text, w.x0, w.top, w.x1, w.bottom] for w in words]


def words_from_rows(rows: list[list], page_number: int) -> list[Word]:
    return [Word(str(r[0]), float(r[1]), float(r[2]), float(r[3]), float(r[4]), page_number)
            for r in rows]


def words_to_text(words: list[Word]) -> str:
    from .text import group_lines

    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))


def model_words(lang: str) -> list[str]:
    """The words of the dictionary inside Tesseract's model for `lang` (its word DAWG, with
    Tesseract's own tools), or none when they cannot be read."""
    import re
    import tempfile

    try:
        listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                 timeout=30).stdout
        found = re.search(r'"(.+?)"', listing)
        if found is None:
            return []
        model = Path(found[1]) / f"{lang}.traineddata"
        with tempfile.TemporaryDirectory() as tmp:
            dawg = Path(tmp, f"{lang}.lstm-word-dawg")
            charset = Path(tmp, f"{lang}.lstm-unicharset")
            for part in (dawg, charset):
                subprocess.run(["combine_tessdata", "-e", str(model), str(part)],
                               capture_output=True, timeout=30, check=True)
            out = Path(tmp, "words.txt")
            subprocess.run(["dawg2wordlist", str(charset), str(dawg), str(out)],
                           capture_output=True, timeout=60, check=True)
            return out.read_text(encoding="utf-8").split()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return []
