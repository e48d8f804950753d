"""What the form readers need of one page, each part computed once and only on demand."""

import ctypes
from functools import cached_property

import numpy as np
import pypdfium2.raw as pdfium_c

from .scanimage import render_gray

MAX_PATH_OBJECTS = 20_000


class PageView:
    def __init__(self, doc, number: int):
        self.doc, self.number = doc, number
        self.page = doc.pages[number - 1]
        self.is_ocr = self.page.method == "ocr"
        # Tesseract runs of reread.py and spelling.py on this page (their budgets)
        self.rereads = self.mark_reads = self.word_reads = 0

    @cached_property
    def words(self):
        return self.doc.words(self.number)

    def widgets(self) -> list[tuple[list[float], bool]]:
        return self._widgets

    def paths(self) -> list[list[float]]:
        return self._paths

    def raster(self) -> tuple[np.ndarray, float]:
        return self._raster

    def boxes(self) -> list[tuple[int, int, int, int]]:
        """The checkbox squares find_boxes sees on the page image (pixels), as painted out
        before OCR."""
        return self._boxes

    @cached_property
    def _boxes(self) -> list[tuple[int, int, int, int]]:
        from .boxfinder import find_boxes

        return find_boxes(*self.raster())

    @cached_property
    def _raster(self) -> tuple[np.ndarray, float]:
        if self.page.image is not None:  # an OCRed page: the image its words come from
            return self.page.image
        return render_gray(self.doc.pdf[self.number - 1], 200)

    @cached_property
    def _paths(self) -> list[list[float]]:
        """Boxes of the page's vector paths, origin top left (capped for hostile pages)."""
        pdf_page = self.doc.pdf[self.number - 1]
        height = self.page.height
        boxes = []
        for obj in pdf_page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            boxes.append([left, height - top, right, height - bottom])
            if len(boxes) >= MAX_PATH_OBJECTS:
                break
        return boxes

    @cached_property
    def _widgets(self) -> list[tuple[list[float], bool]]:
        """AcroForm checkbox widgets: their rectangle and whether they are checked."""
        form = getattr(self.doc.pdf, "formenv", None)
        if form is None:
            return []
        pdf_page = self.doc.pdf[self.number - 1]
        height = self.page.height
        found = []
        for index in range(pdfium_c.FPDFPage_GetAnnotCount(pdf_page)):
            annot = pdfium_c.FPDFPage_GetAnnot(pdf_page, index)
            try:
                if (pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET and
                        pdfium_c.FPDFAnnot_GetFormFieldType(form, annot)
                        == pdfium_c.FPDF_FORMFIELD_CHECKBOX):
                    rect = pdfium_c.FS_RECTF()
                    pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
                    box = [rect.left, height - rect.top, rect.right, height - rect.bottom]
                    found.append((box, bool(pdfium_c.FPDFAnnot_IsChecked(form, annot))))
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
        return found


