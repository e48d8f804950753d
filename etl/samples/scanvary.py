"""Scans that vary on purpose: 150–300 dpi, ±2° rotation, blur, JPEG artefacts, speckle.

(etl/samples/scan.py makes the fixed, gentle scans of the test suite; this one draws every
setting per paper for the randomised measurement.)
"""

import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


def scan_settings(rng: random.Random) -> dict:
    return {"dpi": rng.choice([150, 200, 240, 300]), "angle": rng.uniform(-2.0, 2.0),
            "blur": rng.choice([0.0, 0.4, 0.8]), "jpeg": rng.choice([None, 85, 60, 40]),
            "noise": rng.choice([0.0, 0.002, 0.004])}


def scan(data: bytes, settings: dict, seed: int = 0) -> bytes:
    """An image-only PDF of every page, as scanned with `settings`."""
    pdf = pdfium.PdfDocument(data)
    pdf.init_forms()  # widgets are printed on paper too
    images = []
    nprng = np.random.default_rng(seed)
    for index in range(len(pdf)):
        bitmap = pdf[index].render(scale=settings["dpi"] / 72, grayscale=True,
                                   may_draw_forms=True)
        image = bitmap.to_pil().convert("L").rotate(
            settings["angle"], resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
        if settings["blur"]:
            image = image.filter(ImageFilter.GaussianBlur(settings["blur"]))
        pixels = np.array(image, dtype=np.int16)
        speckle = nprng.random(pixels.shape) < settings["noise"]
        pixels[speckle] = nprng.integers(0, 255, int(speckle.sum()))
        image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
        if settings["jpeg"]:
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=settings["jpeg"])
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
        images.append(image)
    pdf.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:],
                   resolution=settings["dpi"])
    return out.getvalue()


def scan_groups(settings: dict) -> list[str]:
    return [f"dpi={settings['dpi']}", "rotated>1°" if abs(settings["angle"]) > 1 else "rotated<=1°",
            "blurred" if settings["blur"] else "sharp",
            f"jpeg={settings['jpeg']}" if settings["jpeg"] else "lossless"]
