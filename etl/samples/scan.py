"""Turn a generated PDF into a 'scan': pages as images only, slightly rotated, with noise."""

import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


def rasterize(data: bytes, dpi: int = 200, angle: float = 0.6, noise: float = 0.004,
              seed: int = 0, pages: list[int] | None = None) -> bytes:
    """An image-only PDF of the same pages (or of the 1-based `pages`), as scanned at `dpi`."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(data)
    pdf.init_forms()  # draw AcroForm widgets into the pixels as well
    images = []
    for index in range(len(pdf)):
        if pages and index + 1 not in pages:
            continue
        page = pdf[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=True)
        image = bitmap.to_pil().convert("L")
        image = image.rotate(rng.uniform(-angle, angle), resample=Image.Resampling.BICUBIC,
                             fillcolor=255, expand=False)
        pixels = np.array(image, dtype=np.int16)
        nprng = np.random.default_rng(seed)
        speckle = nprng.random(pixels.shape) < noise
        pixels[speckle] = nprng.integers(0, 255, int(speckle.sum()))
        images.append(Image.fromarray(pixels.clip(0, 255).astype(np.uint8)))
    pdf.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


SENTENCE_PARTS = (
    ("Die Verwaltung", "Der Stadtrat", "Die Ratsversammlung", "Der Oberbürgermeister",
     "Das Amt für Stadtgrün und Gewässer", "Der Fachausschuss Finanzen"),
    ("prüft bis zum Jahresende,", "beschließt nach eingehender Beratung,",
     "legt im kommenden Quartal dar,", "berichtet dem Stadtbezirksbeirat,"),
    ("wie die Sanierung der Turnhalle", "ob die Förderung von Balkonkraftwerken",
     "in welchem Umfang die Verlängerung der Straßenbahnlinie",
     "wie die Einrichtung einer Fahrradstraße", "ob der Zuschuss an gemeinnützige Vereine"),
    ("im Doppelhaushalt finanziert werden kann.", "mit Fördermitteln des Freistaates gelingt.",
     "ohne zusätzliche Stellen umgesetzt wird.", "den Klimaschutzzielen der Stadt entspricht.",
     "bis spätestens Oktober abgeschlossen ist."),
)


def german_prose(seed: int, sentences: int) -> str:
    """Plausible council prose (not a real text): for scans whose wording is not tuned on."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(part) for part in SENTENCE_PARTS)
                    + f" Kosten: {rng.randint(10, 990)}.{rng.randint(100, 999)} Euro."
                    for _ in range(sentences))


def prose_pdf(text: str, pages: int, size: float = 10.0) -> bytes:
    """`pages` A4 pages densely set with `text` (repeated as needed), 2.5 cm margins."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    lines = simpleSplit(text, "Helvetica", size, width - 2 * 70)
    per_page = int((height - 2 * 70) / (size * 1.35))
    for number in range(pages):
        canvas.setFont("Helvetica", size)
        y = height - 70
        for i in range(per_page):
            canvas.drawString(70, y, lines[(number * per_page + i) % len(lines)])
            y -= size * 1.35
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def numbered_pages_pdf(count: int, width: float = 200, height: float = 40) -> bytes:
    """`count` small pages, each saying which it is ("Seite 7 von 150"): a long scan that
    is quick to OCR, for tests of page-level work."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1)
    for number in range(1, count + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(12, height / 2 - 5, f"Seite {number} von {count}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
