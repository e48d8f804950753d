"""A paper of a benchmark seed family regenerated and scanned as `bench.form_extraction
--scans` scans it: the tests named after held-out papers read what the benchmark read."""

import io
import random

from etl.extract import extract_bytes
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scanvary import scan, scan_settings


def benchmark_scan(tmp_path, seed: int, index: int, pages: tuple[int, ...] = (0,)):
    """Page 1 (or `pages`, 0-based) of paper `seed`-`index` as the benchmark scanned it,
    extracted, and the truth."""
    import pypdfium2 as pdfium

    papers = generate_papers(seed, index + 1, randomised=True)
    rng = random.Random(f"scan:{seed}")
    settings = [scan_settings(rng) for _ in range(index + 1)][index]
    render_paper(papers[index], tmp_path / "p.pdf")
    source = pdfium.PdfDocument(scan((tmp_path / "p.pdf").read_bytes(), settings, seed=index))
    kept = pdfium.PdfDocument.new()
    kept.import_pages(source, list(pages))
    out = io.BytesIO()
    kept.save(out)
    return extract_bytes(out.getvalue()), papers[index]
