"""The page image OCR reads: rendered at the resolution it was scanned at (the embedded
image's dpi; a scan coarser than asked for is enlarged from its own pixels), its skew
measured and undone, despeckled, table rules and stray specks found and painted out."""

import numpy as np
import pypdfium2.raw as pdfium_c

from .preflight import render_scale

DEFAULT_DPI = 300      # pages without an embedded image (text drawn as outlines)
MIN_DPI, MAX_DPI = 150, 400
SHARPEN = 0.5  # unsharp-mask amount after enlarging a coarse scan
SPECK_PT, SPECK_GAP_PT = 1.2, 4.0  # a speck's largest side; its distance from any letter
INK_FRACTION = 0.0005  # share of dark pixels that makes a page "not blank"
MAX_IMAGE_OBJECTS = 200
# A page with next to no ink (a form's last line spilled onto it) and JPEG speckle: Otsu
# parts paper from the light grey speckle (level 231; a text page's is 160-195), and so
# does Tesseract, whose layout pass then takes each speck for a blob - one such page ran
# for more than ten minutes (tuning family 8603). Such a page's grey lighter than
# LIGHTEST_INK is paper; printed ink is darker (Tesseract reads the page in 0.6 s).
SPECKLE_OTSU, LIGHTEST_INK = 215, 210
# Up to this many small blobs a page is cleaned blob by blob: on a text page with salt
# added, 479 / 2,057 / 3,671 / 6,798 blobs cost 35 / 45 / 67 / 99 ms that way and 59-63 ms
# at once; the scans of the form benchmark hold at most 529.
SPECKS_ONE_BY_ONE = 3000

def render_gray(page, dpi: float) -> tuple[np.ndarray, float]:
    """The page as a grayscale array, and the scale from points to pixels."""
    width, height = page.get_size()
    scale = render_scale(width, height, round(dpi))  # dpi values are whole numbers
    bitmap = page.render(scale=scale, grayscale=True)
    array = bitmap.to_numpy().copy()
    if array.ndim == 3:
        array = array[:, :, 0]
    return array, scale


def has_ink(page) -> bool:
    gray, _ = render_gray(page, 72)
    return (gray < 180).mean() > INK_FRACTION


def scan_dpi(page) -> float:
    """The resolution of the page's largest embedded image as placed on the page, i.e.
    what it was scanned at; rendering finer only interpolates pixels that do not exist."""
    best, best_area = None, 0.0
    for index, obj in enumerate(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,),
                                                 max_depth=2)):
        if index >= MAX_IMAGE_OBJECTS:
            break
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area > best_area:
            meta = obj.get_metadata()
            if meta.horizontal_dpi > 0:
                best, best_area = max(meta.horizontal_dpi, meta.vertical_dpi), area
    if best is None:
        return DEFAULT_DPI
    return float(min(MAX_DPI, max(MIN_DPI, round(best))))


def render_for_ocr(page, dpi: float) -> tuple[np.ndarray, float]:
    """The page at `dpi` for OCR. A page scanned coarser than that is rendered at its own
    resolution, its speckle removed there (a speckle enlarged is a blot no 3x3 median
    removes), enlarged bicubically and sharpened: on 150 dpi scans Tesseract then finds
    95 % of the words instead of 84 % (pdfium's enlargement plus a median at 300 dpi)."""
    import cv2

    native = scan_dpi(page)
    if dpi <= native + 1:
        return render_gray(page, dpi)
    gray, scale = render_gray(page, native)
    width, height = page.get_size()
    factor = render_scale(width, height, round(dpi)) / scale
    if factor <= 1.01:
        return gray, scale
    gray = cv2.resize(despeckle(gray), None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    soft = cv2.GaussianBlur(gray, (0, 0), factor)  # unsharp mask over one scan pixel
    return cv2.addWeighted(gray, 1 + SHARPEN, soft, -SHARPEN, 0), scale * factor


def despeckle(gray: np.ndarray, contrast: int = 20) -> np.ndarray:
    """Single-pixel specks (darker or lighter than all eight neighbours by `contrast`)
    replaced by their 3x3 median; unlike a median over the whole page this keeps the one
    pixel wide strokes of small print at 150 dpi."""
    import cv2

    ring = np.ones((3, 3), np.uint8)
    ring[1, 1] = 0
    darkest, lightest = cv2.erode(gray, ring).astype(np.int16), cv2.dilate(gray, ring)
    value = gray.astype(np.int16)
    speck = (value < darkest - contrast) | (value > lightest.astype(np.int16) + contrast)
    out = gray.copy()
    out[speck] = cv2.medianBlur(gray, 3)[speck]
    return out


def table_rules(ink: np.ndarray, scale: float) -> np.ndarray | None:
    """The pixels of table rules (lines longer than any checkbox side) in a page's ink
    (boxfinder.ink_outlines: the page's one Otsu threshold), or None."""
    import cv2

    length = max(int(20 * scale), 10)  # longer than any checkbox side (about 8 pt)
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    rules = cv2.bitwise_or(cv2.morphologyEx(ink, cv2.MORPH_OPEN, across),
                           cv2.morphologyEx(ink, cv2.MORPH_OPEN, down))
    return rules if rules.any() else None


def without_rules(gray: np.ndarray, rules: np.ndarray | None) -> np.ndarray:
    """Table rules erased (they make Tesseract read cells as garbage); boxes stay."""
    import cv2

    if rules is None:
        return gray
    cleaned = gray.copy()
    cleaned[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return cleaned


def without_specks(gray: np.ndarray, scale: float) -> np.ndarray:
    """Specks far from any letter painted white: blobs under SPECK_PT a side with no larger
    ink within SPECK_GAP_PT (a full stop in Courier stands 3 pt from its digits). A scan's
    speckle (on a JPEG a single pixel smears into a blot no median removes) makes
    Tesseract's page layout take columns of short words ('nein', 'ja') for noise and drop
    them; a full stop or an i's dot sits by its letters. On a page with next to no ink,
    light grey is paper first (SPECKLE_OTSU)."""
    import cv2

    level, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if level > SPECKLE_OTSU:  # next to no ink: the speckle is what Otsu parts from paper
        gray = np.where(gray > LIGHTEST_INK, np.uint8(255), gray)
        ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    side = SPECK_PT * scale
    small = np.flatnonzero((stats[1:, cv2.CC_STAT_WIDTH] <= side)
                           & (stats[1:, cv2.CC_STAT_HEIGHT] <= side)) + 1
    if not len(small):
        return gray
    reach = 2 * max(1, int(round(SPECK_GAP_PT * scale))) + 1
    clean = _specks_at_once if len(small) > SPECKS_ONE_BY_ONE else _specks_one_by_one
    return clean(gray, ink, labels, stats, small, reach)


def _specks_one_by_one(gray: np.ndarray, ink: np.ndarray, labels: np.ndarray,
                       stats: np.ndarray, small: np.ndarray, reach: int) -> np.ndarray:
    """without_specks blob by blob: each small blob is looked at in its own rectangle
    (a text page's few hundred cost half of _specks_at_once)."""
    import cv2

    blobs = [((x, y, w, h), labels[y:y + h, x:x + w] == label)
             for label, (x, y, w, h) in zip(small, stats[small, :4], strict=True)]
    letters = ink.copy()
    for (x, y, w, h), own in blobs:
        letters[y:y + h, x:x + w][own] = 0
    near = cv2.dilate(letters, np.ones((reach, reach), np.uint8))
    cleaned, one = gray.copy(), np.ones((3, 3), np.uint8)
    for (x, y, w, h), own in blobs:
        if near[y:y + h, x:x + w][own].any():
            continue  # a full stop or an i's dot: within reach of a letter
        top, left = max(0, y - 1), max(0, x - 1)
        mask = np.zeros((y + h + 1 - top, x + w + 1 - left), np.uint8)
        mask[y - top:y - top + h, x - left:x - left + w] = own
        area = cleaned[top:y + h + 1, left:x + w + 1]  # the image's edge may cut the ring
        area[cv2.dilate(mask, one)[:area.shape[0], :area.shape[1]] > 0] = 255
    return cleaned


def _specks_at_once(gray: np.ndarray, ink: np.ndarray, labels: np.ndarray,
                    stats: np.ndarray, small: np.ndarray, reach: int) -> np.ndarray:
    """without_specks over the whole image at once: cheaper than blob by blob when a
    JPEG's speckle makes thousands of them."""
    import cv2

    is_small = np.zeros(len(stats), bool)
    is_small[small] = True
    letters = cv2.dilate(((labels > 0) & ~is_small[labels]).astype(np.uint8),
                         np.ones((reach, reach), np.uint8))
    # a blob any pixel of which is near a letter stays whole (bincount: unique sorts)
    near = np.bincount(labels[letters > 0], minlength=len(is_small)) > 0
    specks = (is_small & ~near)[labels]
    cleaned = gray.copy()
    cleaned[cv2.dilate(specks.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return cleaned


def skew_angle(gray: np.ndarray, max_angle: float = 3.0) -> float:
    """The rotation (degrees) that makes text lines horizontal: the angle whose shear
    packs the ink into the fewest rows, coarse then fine, on a small copy of the page."""
    import cv2

    small = cv2.resize(gray, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(small < 160)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 60_000:  # a sample is as good for the histogram and much cheaper
        pick = np.random.default_rng(0).choice(len(xs), 60_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - small.shape[1] / 2.0

    def packed(angle: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-max_angle, max_angle + 0.01, 0.5), key=packed)
    best = max(np.arange(best - 0.4, best + 0.41, 0.1), key=packed)
    return round(float(best), 2)


def clean_scan(gray: np.ndarray, angle: float) -> np.ndarray:
    """Deskewed and despeckled, as Tesseract and the checkbox reader both want it."""
    import cv2

    if angle:
        gray = cv2.warpAffine(gray, turn_matrix(gray.shape, angle), (gray.shape[1], gray.shape[0]),
                              flags=cv2.INTER_CUBIC, borderValue=255)
    return cv2.medianBlur(gray, 3)


def turn_matrix(shape: tuple[int, ...], angle: float) -> np.ndarray:
    """The turn by `angle` degrees about the image's centre that deskews it (in pixels)."""
    import cv2

    return cv2.getRotationMatrix2D((shape[1] / 2, shape[0] / 2), angle, 1.0)
