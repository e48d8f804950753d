"""Resolution per page: prose is OCRed once at the scan's own dpi, a form page again at 300."""

import io

import numpy as np
import pytest

import etl.extract  # noqa: F401 - registers every profile's form phrases with the OCR
import etl.pdf.ocr as ocr
import etl.pdf.tesseract as tess
from etl.pdf.preflight import open_document
from etl.pdf.scanimage import render_gray
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.scan import german_prose, prose_pdf, rasterize

pytestmark = pytest.mark.skipif(not tess.tesseract_available(), reason="tesseract not installed")


@pytest.fixture
def tesseract_calls(monkeypatch):
    """The dpi of every real Tesseract run."""
    calls, real = [], ocr.tesseract_tsv

    def counted(gray, dpi, lang="deu"):
        calls.append(round(dpi))
        return real(gray, dpi, lang)

    monkeypatch.setattr(ocr, "tesseract_tsv", counted)
    monkeypatch.setattr(ocr, "OCR_DPI", None)  # the default rule, whatever the environment
    return calls


def page_of(data: bytes):
    return open_document(data)[0]


def form_scan(tmp_path) -> bytes:
    path = tmp_path / "paper.pdf"
    render_paper(generate_papers(11, 1)[0], path)
    return rasterize(path.read_bytes(), dpi=200, angle=0.6, seed=3, pages=[1])


@pytest.mark.slow
def test_prose_page_is_ocred_once_at_its_own_resolution(tesseract_calls):
    scan = rasterize(prose_pdf(german_prose(5, 200), 1), dpi=200, angle=1.0, seed=5)
    words, _gray, scale, made = ocr.ocr_words(page_of(scan), 1)
    assert tesseract_calls == [200]
    assert made["dpi"] == 200 and made["passes"] == 1
    assert round(scale * 72) == 200 and len(words) > 150


@pytest.mark.slow
def test_form_page_is_ocred_again_at_300_dpi(tmp_path, tesseract_calls):
    words, _gray, scale, made = ocr.ocr_words(page_of(form_scan(tmp_path)), 1)
    assert tesseract_calls == [200, 300]
    assert made["dpi"] == 300 and made["passes"] == 2 and round(scale * 72) == 300
    assert ocr.names_a_form(words)


def words_of(*lines: str, gap: float = 3.0) -> list:
    """Words of 10 pt text, one string a line; '|' marks a column gap."""
    from etl.pdf.text import Word

    words = []
    for row, line in enumerate(lines):
        x = 70.0
        for cell in line.split("|"):
            for text in cell.split():
                words.append(Word(text, x, 100 + row * 14, x + 6 * len(text), 110 + row * 14, 1))
                x += 6 * len(text) + gap
            x += 60
    return words


def test_a_form_phrase_names_a_form_only_as_a_label_or_heading():
    assert ocr.names_a_form(words_of("Eingereicht von | Dezernat Umwelt, Klima und Sport"))
    assert ocr.names_a_form(words_of("Vorlage VII-DS-01234",
                                     "Beratungsfolge (Änderungen vorbehalten)",
                                     "Beschlussvorschlag", "1. Der Stadtrat beschließt"))
    assert ocr.names_a_form(words_of("Vorlage VII-DS-01234 der Stadt Leipzig vom 1. Juni",
                                     "Finanzielle", "Auswirkungen | nein | ja"))  # wrapped
    assert ocr.names_a_form(words_of("Finanzielle | nein | ja", "Auswirkungen"))  # options
    assert ocr.names_a_form(words_of("Finanzielle | nein | ja", "Auswirkungen", gap=1.5))
    assert ocr.names_a_form(words_of("Gesamtkosten der Maßnahme | 120.000 EUR"))  # Karlsruhe
    assert ocr.names_a_form(words_of("Auswirkungen auf den | nein | ja", "Stellenplan"))
    assert not ocr.names_a_form(words_of(  # prose that mentions them, even at a line's start
        "über die Vorlage. Beratungsfolge (Änderungen vorbehalten): Gremium",
        "Beschlussvorschlag Der Oberbürgermeister wird beauftragt, bis Ende",
        "Hintergrund zum Beschlussvorschlag: Welche Ziele werden unterstützt?",
        "Gesamtkosten der Maßnahme betragen nach der Schätzung des Amtes 120.000 EUR"))


@pytest.mark.slow
def test_prose_that_mentions_a_form_is_ocred_once(tesseract_calls):
    text = " ".join(f"{s} Eingereicht von Heidi Koll. Beratungsfolge (Änderungen vorbehalten): "
                    f"Ratsversammlung. Beschlussvorschlag Der Oberbürgermeister wird beauftragt."
                    for s in german_prose(7, 60).split(". ")[:40])
    scan = rasterize(prose_pdf(text, 1), dpi=200, angle=0.4, seed=7)
    words, _gray, _scale, made = ocr.ocr_words(page_of(scan), 1)
    assert "Beratungsfolge" in [w.text for w in words]
    assert tesseract_calls == [200] and made["passes"] == 1


def test_fixed_floor_overrides_the_per_page_rule(tmp_path, tesseract_calls, monkeypatch):
    monkeypatch.setattr(ocr, "OCR_DPI", 0)
    _words, _gray, _scale, made = ocr.ocr_words(page_of(form_scan(tmp_path)), 1)
    assert tesseract_calls == [200] and made["passes"] == 1


def test_checkbox_shapes_are_counted_on_forms_not_on_prose(tmp_path):
    prose = page_of(rasterize(prose_pdf(german_prose(6, 200), 1), dpi=200, seed=6))
    gray, scale = render_gray(prose, 200)
    assert ocr.checkbox_count(gray, scale) == 0
    form = page_of(form_scan(tmp_path))
    gray, scale = render_gray(form, 200)
    assert ocr.checkbox_count(gray, scale) >= ocr.MIN_CHECKBOXES


@pytest.mark.slow
def test_pages_of_a_page_job_share_one_tesseract_and_read_as_page_by_page(monkeypatch):
    from etl.pdf.ocrbatch import ocr_pages

    monkeypatch.setattr(ocr, "OCR_DPI", None)
    pdf = open_document(rasterize(prose_pdf(german_prose(7, 500), 3), dpi=200, seed=7))
    alone = [ocr.ocr_words(pdf[n - 1], n)[0] for n in (1, 2, 3)]
    runs, real = [], tess._tesseract
    monkeypatch.setattr(tess, "_tesseract", lambda *a: runs.append(a[0]) or real(*a))
    together = ocr_pages(pdf, [1, 2, 3])
    assert len(runs) == 1 and runs[0].endswith("pages.txt")
    assert [together[n][0] for n in (1, 2, 3)] == alone and all(len(w) > 100 for w in alone)
    assert [together[n][0][0].page for n in (1, 2, 3)] == [1, 2, 3]
    assert together[2][3] == {"dpi": 200, "angle": together[2][3]["angle"], "passes": 1}


@pytest.mark.slow
def test_a_short_scan_read_in_its_file_job_starts_tesseract_once(monkeypatch):
    from etl.pdf.document import read_document

    monkeypatch.setattr(ocr, "OCR_DPI", None)
    runs, real = [], tess._tesseract
    monkeypatch.setattr(tess, "_tesseract", lambda *a: runs.append(a[0]) or real(*a))
    doc = read_document(rasterize(prose_pdf(german_prose(8, 300), 2), dpi=200, seed=8),
                        max_inline_ocr=4)
    assert len(runs) == 1 and [p.method for p in doc.pages] == ["ocr", "ocr"]
    assert all(len(p.words) > 100 and p.image[0].shape[0] > 2000 for p in doc.pages)
    doc.close()


def turned_prose():
    """A prose page turned by 0.4 degrees (seed 36's draw)."""
    return page_of(rasterize(prose_pdf(german_prose(36, 200), 1), dpi=200, angle=1.0, seed=36))


@pytest.mark.slow
def test_prose_page_is_read_as_scanned_and_its_words_land_where_the_deskewed_read_puts_them():
    images = ocr.tesseract_input(turned_prose(), 200)
    assert images.text_turn == images.angle and abs(images.angle) > 0.3
    assert images.text.shape == images.gray.shape and (images.text != images.gray).any()
    read = tess.parse_tsv(ocr.tesseract_tsv(images.text, 200), images.scale, 1)
    assert ocr.ink_read(read, images.text, images.scale) > 0.99
    turned, same = ocr.settled(read, images, 1, "deu")
    straight = tess.parse_tsv(ocr.tesseract_tsv(images.gray, 200), images.scale, 1)
    assert same is images and [w.text for w in turned] == [w.text for w in straight]
    gaps = sorted(max(abs(a.x0 - b.x0), abs(a.top - b.top), abs(a.x1 - b.x1),
                      abs(a.bottom - b.bottom)) for a, b in zip(turned, straight, strict=True))
    assert gaps[len(gaps) // 2] < 0.5 and gaps[int(len(gaps) * 0.95)] < 1.5  # points


@pytest.mark.slow
def test_page_read_as_scanned_that_leaves_ink_unread_is_read_again_deskewed():
    images = ocr.tesseract_input(turned_prose(), 200)
    lost = [w for w in tess.parse_tsv(ocr.tesseract_tsv(images.text, 200), images.scale, 1)
            if w.top < 300]  # as when Tesseract's layout drops the lower half of a page
    assert ocr.ink_read(lost, images.text, images.scale) < 0.6
    words, again = ocr.settled(lost, images, 1, "deu")
    assert again.text_turn == 0 and len(words) > 1.5 * len(lost)
    assert ocr.ink_read(words, again.text, again.scale) > 0.99


def test_steeply_turned_or_form_pages_are_read_deskewed_and_cleaned(tmp_path):
    steep = page_of(rasterize(prose_pdf(german_prose(9, 200), 1), dpi=200, angle=2.0, seed=15))
    for page in (steep, page_of(form_scan(tmp_path))):
        images = ocr.tesseract_input(page, 200)
        assert images.text_turn == 0 and images.angle
        words = [tess.Word("ja", 1, 2, 3, 4, 1)]
        assert ocr.settled(words, images, 1, "deu") == (words, images)


def test_near_blank_speckled_page_leaves_tesseract_only_its_ink():
    """A form's last line spilled onto a page of its own, scanned at 150 dpi, blurred, with
    speckle and JPEG 40 (as tuning family 8603's paper 12, page 5): Otsu parted paper from
    the light grey speckle, so did Tesseract, and its layout pass ran past ten minutes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from etl.samples.scanvary import scan

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setFont("Times-Roman", 10)
    canvas.drawString(70, 770, "Trifft nicht zu")
    canvas.save()
    blank = out.getvalue()
    settings = {"dpi": 150, "angle": -1.0, "blur": 0.8, "jpeg": 40, "noise": 0.004}
    page = page_of(scan(blank, settings, seed=12))
    images = ocr.tesseract_input(page, ocr.ocr_dpi(page))
    marked = int((images.text < 255).sum())
    assert marked < 0.004 * images.text.size  # before the fix: 17 % of the page
    words = tess.parse_tsv(tess.tesseract_tsv(images.text, images.scale * 72), images.scale, 1)
    assert "Trifft nicht zu" in " ".join(w.text for w in words)


def test_specks_are_cleaned_blob_by_blob_as_all_at_once(monkeypatch):
    import cv2

    import etl.pdf.scanimage as scanimage

    page = page_of(rasterize(prose_pdf(german_prose(5, 200), 1), dpi=200, angle=1.0, seed=5))
    gray, scale = scanimage.render_for_ocr(page, 200)
    gray = cv2.medianBlur(gray, 3)
    rows = np.arange(40, 2300, 40)
    gray[rows, 30 + 28 * np.arange(len(rows))] = 0  # specks in the margins and the text
    cleaned = []
    for one_by_one in (10**6, -1):
        monkeypatch.setattr(scanimage, "SPECKS_ONE_BY_ONE", one_by_one)
        cleaned.append(scanimage.without_specks(gray, scale))
    assert np.array_equal(*cleaned)
    assert int((cleaned[0] != gray).any(axis=1).sum()) >= 10 and cleaned[0][40, 30] == 255


def test_tesseract_reads_the_inked_part_and_words_land_on_the_whole_page():
    images = ocr.tesseract_input(turned_prose(), 200)
    part, (left, top) = tess.ink_frame(images.text, images.scale)
    assert part.size < 0.75 * images.text.size and left > 100 and top > 100
    whole = tess.parse_tsv(ocr.tesseract_tsv(images.text, 200), images.scale, 1)
    cut = ocr.read_words(images, 1, "deu")
    assert [w.text for w in cut] == [w.text for w in whole] and len(cut) > 150
    gaps = sorted(max(abs(a.x0 - b.x0), abs(a.top - b.top), abs(a.x1 - b.x1))
                  for a, b in zip(cut, whole, strict=True))
    assert gaps[len(gaps) // 2] < 0.01 and gaps[-1] < 0.5  # points: a pixel at most
    blank = np.full((300, 200), 255, np.uint8)
    assert tess.ink_frame(blank, 1.0) == (blank, (0, 0))
