"""Turning a laid-out receipt into ESC/POS bytes.

python-escpos builds what it builds well — initialise, alignment, emphasis, size, QR (native
``GS ( k`` or a raster image), cut — into its ``Dummy`` printer, and our Chinese text goes in
through the same raw channel as ``FS &`` + GB18030 + ``FS .`` with ``FS !`` for its size.
The result is a ``PrintJob``: the bytes plus what the job contains, for statistics and checks.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from devices.printer.escpos_library import dummy_printer_class
from devices.printer.layout import Cut, Feed, PrintLine, QrCode, Receipt, lay_out
from devices.printer.profile import PrinterProfile
from devices.printer.text import encode_chinese

FS_SIZE = b"\x1c\x21"  # FS ! n: Chinese character size (bit 2 double width, bit 3 double height)
_CUT_FEED_LINES = 6  # python-escpos feeds this much before cutting


@dataclass
class PrintJob:
    """Bytes for one receipt and a summary of it (never the text itself: it may be personal)."""

    kind: str
    data: bytes
    lines: int = 0
    cuts: int = 0
    qr_payloads: list[str] = field(default_factory=list)
    substituted: list[str] = field(default_factory=list)
    length_mm: float = 0.0


def _dummy(profile: PrinterProfile) -> Any:  # python-escpos's Dummy printer (imported lazily, untyped)
    printer = dummy_printer_class()()
    data = copy.deepcopy(printer.profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = profile.dots_per_line
    printer.profile.profile_data = data
    return printer


def build_job(receipt: Receipt, profile: PrinterProfile) -> PrintJob:
    """The ESC/POS bytes for ``receipt`` on a printer described by ``profile``."""
    printer = _dummy(profile)
    job = PrintJob(receipt.kind, b"")
    printer.hw("INIT")
    for item in lay_out(receipt, profile):
        if isinstance(item, PrintLine):
            if item.double:
                printer.set(align=item.align, bold=item.bold, double_width=True, double_height=True)
            else:
                printer.set(align=item.align, bold=item.bold, normal_textsize=True)
            printer._raw(FS_SIZE + (b"\x0c" if item.double else b"\x00"))
            encoded = encode_chinese(item.text, four_byte=profile.four_byte_gb18030)
            job.substituted += encoded.substituted
            printer._raw(encoded.data + b"\n")
            job.lines += 1
            job.length_mm += profile.line_height_mm * (2 if item.double else 1)
        elif isinstance(item, QrCode):
            printer.set(align="center", bold=False, normal_textsize=True)
            if profile.native_qr:
                printer.qr(item.payload, native=True, size=profile.qr_module_size)
                printer._raw(b"\n")
            else:
                printer.qr(
                    item.payload, native=False, size=profile.qr_module_size, image_arguments={"center": True}
                )
            job.qr_payloads.append(item.payload)
            job.length_mm += _qr_height_mm(item.payload, profile)
        elif isinstance(item, Feed):
            printer._raw(b"\n" * item.lines)
            job.length_mm += profile.line_height_mm * item.lines
        elif isinstance(item, Cut):
            if profile.cutter:
                printer.cut(mode="PART" if item.partial else "FULL")
                job.cuts += 1
            else:
                printer._raw(b"\n" * _CUT_FEED_LINES)  # tear-off: feed past the tear bar
            job.length_mm += profile.line_height_mm * _CUT_FEED_LINES
    printer.set(align="left", bold=False, normal_textsize=True)
    job.data = printer.output
    return job


def _qr_height_mm(payload: str, profile: PrinterProfile) -> float:
    import qrcode

    code = qrcode.QRCode(border=1)
    code.add_data(payload)
    code.make(fit=True)
    modules = code.modules_count + 2
    return modules * profile.qr_module_size / 8 + profile.line_height_mm  # 8 dots per mm at 203 dpi
