"""A line of a scan cut out and read by Tesseract on its own: what reread.py (form cells,
odd marks) and spelling.py (unknown words) share."""

import subprocess

import numpy as np

SECONDS = 10
PAD_PT = 1.5
MARGIN_PX = 12  # white round a crop: Tesseract wants a margin round a line


def pixels_in(view, box: tuple[float, ...]) -> tuple[np.ndarray, int, int, float] | None:
    """The page image's gray pixels in `box` (PDF points), where they start and the scale;
    None when the box holds none."""
    gray, scale = view.raster()
    x0, y0, x1, y1 = (max(0, int(round(v * scale))) for v in box)
    crop = gray[y0:y1, x0:x1]
    return (crop, x0, y0, scale) if crop.size else None


def line_text(image: np.ndarray, dpi: float) -> str | None:
    """Tesseract's text of an image of one line; None when it fails or times out."""
    from ..pdf.tesseract import OcrFailed, tesseract_line

    try:
        return tesseract_line(image, dpi, SECONDS)
    except (OcrFailed, subprocess.TimeoutExpired):
        return None
