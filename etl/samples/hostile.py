"""Hostile PDFs made at test time: each one is a way real archives break parsers.

`hostile_files()` returns {name: bytes}; `EXPECTED` says which end state each
must reach ("text" or a failure class; a set where either is acceptable).
"""

import io
import struct
import zlib

from reportlab.lib import pdfencrypt
from reportlab.pdfgen.canvas import Canvas


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"", xref_prev_self=False) -> bytes:
    """A PDF from numbered object bodies (1-based) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    prev = b" /Prev %d" % xref if xref_prev_self else b""
    out.write(b"trailer\n<< /Size %d /Root 1 0 R%s %s >>\n" % (len(objects) + 1, prev,
                                                               trailer_extra))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(content: bytes, length: bytes | None = None, extra: bytes = b"") -> bytes:
    length = length if length is not None else str(len(content)).encode()
    return b"<< /Length " + length + extra + b" >>\nstream\n" + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Beschlussvorschlag der Verwaltung) Tj ET"


def _page_doc(content_obj: bytes, mediabox: bytes = b"[0 0 595 842]", extra: list | None = None,
              catalog_extra: bytes = b"", resources: bytes = b"/Font << /F1 3 0 R >>") -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
               b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox +
               b" /Resources << " + resources + b" >> /Contents 5 0 R >>", content_obj]
    return build_pdf(objects + (extra or []))


def simple_pdf(text: str = "Beschlussvorschlag der Verwaltung", encrypt=None) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, encrypt=encrypt)
    canvas.setFont("Helvetica", 12)
    for i in range(3):
        canvas.drawString(72, 720 - 20 * i, f"{text} {i + 1}")
    canvas.save()
    return out.getvalue()


def flate_bomb(size: int = 4 << 30, chunk: int = 1 << 20) -> bytes:
    """A Flate stream that inflates to `size` zero bytes (4 GiB from 4 MB), made without
    compressing 4 GiB: after the first chunk every chunk of zeros compresses the same."""
    packer = zlib.compressobj(9)
    zeros = bytes(chunk)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    again = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    adler32 = ((size % 65521) << 16) | 1  # of `size` zero bytes
    return first + again * (size // chunk - 1) + packer.flush()[:-4] + struct.pack(">I", adler32)


def hostile_files() -> dict[str, bytes]:
    valid = simple_pdf()
    many_runs = b"BT /F1 6 Tf " + b" ".join(
        b"1 0 0 1 %d %d Tm (Wort%d) Tj" % (20 + (i % 60) * 9, 20 + (i // 60) * 1.5, i)
        for i in range(30_000)) + b" ET"
    huge_image = b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 " \
                 b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length 20 >>" \
                 b"\nstream\n" + zlib.compress(b"\x00" * 1000)[:20] + b"\nendstream"
    return {
        "html-error-page.pdf": b"<!DOCTYPE html><html><head><title>Fehler</title></head>"
                               b"<body>Die Sitzung ist abgelaufen.</body></html>",
        "zero-bytes.pdf": b"",
        "truncated.pdf": valid[: len(valid) * 2 // 5],
        "encrypted-user-password.pdf": simple_pdf(encrypt=pdfencrypt.StandardEncryption(
            "geheim", ownerPassword="owner", strength=128)),
        "encrypted-empty-password.pdf": simple_pdf(encrypt=pdfencrypt.StandardEncryption(
            "", ownerPassword="owner", strength=128)),
        "length-reference-cycle.pdf": _page_doc(_stream(TEXT, b"6 0 R"),
                                                extra=[b"7 0 R", b"6 0 R"]),
        "xref-prev-self.pdf": build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                         b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
                                         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                                         b"/Resources << /Font << /F1 3 0 R >> >> "
                                         b"/Contents 5 0 R >>", _stream(TEXT)],
                                        xref_prev_self=True),
        "length-1e11.pdf": _page_doc(_stream(TEXT, b"100000000000")),
        "mediabox-14400pt.pdf": _page_doc(_stream(TEXT), b"[0 0 14400 14400]"),
        "mediabox-1e9pt.pdf": _page_doc(_stream(TEXT), b"[0 0 1000000000 1000000000]"),
        "30000-text-runs.pdf": _page_doc(_stream(many_runs)),
        "image-100k-by-100k.pdf": _page_doc(_stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
                                            extra=[huge_image],
                                            resources=b"/XObject << /Im1 6 0 R >>"),
        "corrupt-flate.pdf": _page_doc(_stream(b"x\x9c\xff\xfe garbage \x00\x01" * 20,
                                               extra=b" /Filter /FlateDecode")),
        "flate-bomb-4gib.pdf": _page_doc(_stream(flate_bomb(), extra=b" /Filter /FlateDecode")),
        "javascript-openaction.pdf": _page_doc(
            _stream(TEXT), catalog_extra=b" /OpenAction 6 0 R",
            extra=[b"<< /S /JavaScript /JS (app.alert\\('boo'\\); while\\(true\\){}) >>"]),
    }


EXPECTED = {
    "html-error-page.pdf": {"not_pdf"},
    "zero-bytes.pdf": {"not_pdf"},
    "truncated.pdf": {"text", "parse_error", "empty_text"},
    "encrypted-user-password.pdf": {"encrypted"},
    "encrypted-empty-password.pdf": {"text"},
    "length-reference-cycle.pdf": {"text", "empty_text", "parse_error"},
    "xref-prev-self.pdf": {"text"},
    "length-1e11.pdf": {"text", "empty_text"},
    "mediabox-14400pt.pdf": {"text"},
    "mediabox-1e9pt.pdf": {"text", "empty_text"},
    "30000-text-runs.pdf": {"text"},
    "image-100k-by-100k.pdf": {"empty_text", "memory", "timeout", "crash"},
    "corrupt-flate.pdf": {"empty_text", "text", "parse_error"},
    "javascript-openaction.pdf": {"text"},
    "flate-bomb-4gib.pdf": {"memory"},  # under a memory cap below 4 GiB
}
