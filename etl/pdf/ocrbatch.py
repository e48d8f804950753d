"""Several image-only pages through one Tesseract process.

Starting Tesseract (loading the German model) costs about 0.09 CPU-s, about 3 % of a
page. A page job of several pages writes their first-pass images to its own temp
directory and hands Tesseract the list; the words are the same as page by page
(tests/test_ocr_passes.py). A form page's second pass at FORM_DPI runs alone, as before, as
does the deskewed read of a page read as scanned whose words left ink unread (ocr.settled).
"""

import tempfile
from pathlib import Path

from .ocr import form_pass, ocr_dpi, settled, tesseract_input
from .tesseract import ink_frame, parse_tsv, pgm_bytes, tesseract_tsv_files


def ocr_pages(pdf, numbers: list[int], lang: str = "deu") -> dict[int, tuple]:
    """Each page's words with boxes, its cleaned image, scale and how the image was made
    (as ocr.ocr_words gives them for one page)."""
    firsts: dict[int, tuple] = {}
    groups: dict[int, list[tuple[int, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="pages-") as folder:
        for number in numbers:
            dpi = ocr_dpi(pdf[number - 1])
            images = tesseract_input(pdf[number - 1], dpi)
            path = Path(folder) / f"page-{number}.pgm"
            part, origin = ink_frame(images.text, images.scale)
            path.write_bytes(pgm_bytes(part))
            firsts[number] = (images, dpi, origin)
            groups.setdefault(round(images.scale * 72), []).append((number, str(path)))
        tsvs = {resolution: tesseract_tsv_files([p for _n, p in group], resolution, lang)
                for resolution, group in groups.items()}
    done = {}
    for resolution, group in groups.items():
        for position, (number, _path) in enumerate(group, start=1):
            images, dpi, origin = firsts.pop(number)
            words = parse_tsv(tsvs[resolution], images.scale, number, position, origin)
            first = settled(words, images, number, lang)
            done[number] = form_pass(pdf[number - 1], number, lang, first, dpi)
    return done
