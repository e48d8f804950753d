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
        image = image.rotate(rng.uniform(-angle, angle), resample=Image.BICUBIC,
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
