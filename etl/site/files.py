"""Where the server finds stored PDFs (the file store of `ratsdaten build`), if anywhere."""

import os
import re
from pathlib import Path

FILES_ENV = "RATSDATEN_FILES"


def files_dir() -> Path | None:
    folder = os.environ.get(FILES_ENV)
    return Path(folder) if folder and Path(folder).is_dir() else None


def stored_pdf(sha256: str) -> Path | None:
    folder = files_dir()
    if folder is None or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    path = folder / sha256[:2] / sha256[2:4] / f"{sha256}.pdf"
    if not path.is_file():
        return None
    with open(path, "rb") as fh:  # a server's HTML error page is stored too, never served as PDF
        return path if b"%PDF-" in fh.read(1024) else None
