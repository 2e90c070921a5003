"""The A4 printer's test page: a one-page PDF written here, so the technician's test needs neither the
gateway nor a PDF library (the kiosk never loads one).

The page shows what a technician looks for on paper: a frame 10 mm inside the sheet's edges (the
printable area), a grey scale (toner), the kiosk, the time and the printer's address, in the PDF
standard fonts (Helvetica: no font file to embed, every PDF reader and printer has it). The file
is PDF 1.4 with a correct cross-reference table, so ``pdfinfo`` / ``pdftotext`` and IPP Everywhere
printers read it as any other.
"""

from __future__ import annotations

import datetime as dt

A4_POINTS = (595, 842)  # 210 × 297 mm
_MM = 72 / 25.4


def _text(value: str) -> str:
    """A PDF literal string of printable ASCII (anything else becomes '?')."""
    safe = "".join(c if 32 <= ord(c) < 127 else "?" for c in value)
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _content(lines: list[str]) -> bytes:
    width, height = A4_POINTS
    margin = 10 * _MM
    ops = [f"0.8 w {margin:.2f} {margin:.2f} {width - 2 * margin:.2f} {height - 2 * margin:.2f} re S"]
    for step in range(10):  # the grey scale: 0 % … 90 % black
        grey = 1 - step / 10
        ops.append(f"{grey:.1f} g {margin + 20 + step * 46:.2f} {height / 2 - 60:.2f} 40 40 re f")
    ops.append("0 g")
    y = height - margin - 60
    for number, line in enumerate(lines):
        size = 22 if number == 0 else 13
        ops.append(f"BT /F1 {size} Tf {margin + 20:.2f} {y:.2f} Td {_text(line)} Tj ET")
        y -= size + 12
    return "\n".join(ops).encode("ascii")


def a4_test_page(*, kiosk: str, printer: str, now: dt.datetime) -> bytes:
    """The test page as PDF bytes (one A4 page)."""
    lines = [
        "A4 PRINTER TEST PAGE",
        f"Kiosk: {kiosk}",
        f"Printed: {now.isoformat(sep=' ', timespec='seconds')}",
        f"Printer: {printer}",
        "The frame is 10 mm inside the edges of the sheet: all four sides must show.",
        "The ten grey squares must go from white to nearly black, evenly.",
    ]
    content = _content(lines)
    width, height = A4_POINTS
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
         "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>").encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF 1.4 file of ``objects`` (numbered from 1, the first the catalogue) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
