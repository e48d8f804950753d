"""Pages per second on the 72 Erlangen PDFs: ratsdaten's reader vs pdftotext vs pdfplumber.

All three read the same files, one after the other, in this process's run.
"""

import subprocess
import time

import pypdfium2 as pdfium

from etl.pdf.preflight import open_document
from etl.pdf.text import raw_page_text

from .common import need_corpus, save


def ratsdaten_pages(path) -> int:
    pdf = open_document(path.read_bytes())
    for index in range(len(pdf)):
        raw_page_text(pdf[index].get_textpage())
    count = len(pdf)
    pdf.close()
    return count


def ratsdaten_words_pages(path) -> int:
    """Text plus every word with its box (what the form readers use)."""
    from etl.pdf.text import page_words

    pdf = open_document(path.read_bytes())
    for index in range(len(pdf)):
        page = pdf[index]
        page_words(page.get_textpage(), index + 1, page.get_height())
    count = len(pdf)
    pdf.close()
    return count


def pdftotext_pages(path) -> int:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=False)
    return len(pdfium.PdfDocument(path))


def pdfplumber_pages(path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def run() -> dict:
    files = sorted(need_corpus("erlangen").glob("*.pdf"))
    result = {"files": len(files)}
    for name, reader in (("ratsdaten", ratsdaten_pages),
                         ("ratsdaten_with_word_boxes", ratsdaten_words_pages),
                         ("pdftotext", pdftotext_pages),
                         ("pdfplumber", pdfplumber_pages)):
        started = time.perf_counter()
        pages = sum(reader(path) for path in files)
        seconds = time.perf_counter() - started
        result[name] = {"pages": pages, "seconds": round(seconds, 2),
                        "pages_per_second": round(pages / seconds, 1)}
    base = result["pdftotext"]["pages_per_second"]
    result["ratio_vs_pdftotext"] = round(result["ratsdaten"]["pages_per_second"] / base, 2)
    result["ratio_word_boxes_vs_pdftotext"] = round(
        result["ratsdaten_with_word_boxes"]["pages_per_second"] / base, 2)
    result["ratio_pdfplumber_vs_pdftotext"] = round(
        result["pdfplumber"]["pages_per_second"] / base, 2)
    save("text_extraction", result)
    return result


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
