"""Reading an ESC/POS byte stream back into what a printer would put on paper.

Fed in chunks (a command may be split between two reads), it produces ``PrintedLine`` items
(text decoded from GB18030 inside ``FS &`` … ``FS .``, with alignment, emphasis and size),
``PrintedQr`` (native ``GS ( k`` payloads), ``PrintedImage`` (``GS v 0`` rasters, e.g. raster QR
codes), feeds and ``PrintedCut``. Real-time requests (``DLE EOT n``, ``GS r n``) go to a callback
that answers them. The printer simulator and the tests both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads only when a raster image is printed: the demo kiosk starts ~2 MB lighter
    from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
# ESC commands with a fixed number of parameter bytes (after "ESC x")
_ESC_PARAMS = {0x40: 0, 0x61: 1, 0x21: 1, 0x45: 1, 0x64: 1, 0x74: 1, 0x2D: 1, 0x4D: 1, 0x47: 1, 0x32: 0,
               0x33: 1, 0x4A: 1, 0x52: 1, 0x7B: 1, 0x56: 1, 0x20: 1, 0x63: 2, 0x70: 3}  # fmt: skip
_GS_PARAMS = {0x21: 1, 0x42: 1, 0x48: 1, 0x68: 1, 0x77: 1, 0x66: 1, 0x4C: 2, 0x57: 2, 0x61: 1}


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: str = "left"
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    chinese: bool = True  # every byte was sent in Chinese mode (or plain ASCII)


@dataclass(frozen=True)
class PrintedQr:
    payload: str
    module_size: int
    align: str = "center"


@dataclass(frozen=True)
class PrintedImage:
    image: Image.Image  # mode "1", black = printed
    align: str = "left"


@dataclass(frozen=True)
class PrintedFeed:
    lines: int


@dataclass(frozen=True)
class PrintedCut:
    partial: bool


Printed = PrintedLine | PrintedQr | PrintedImage | PrintedFeed | PrintedCut


@dataclass
class ParserState:
    align: str = "left"
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    chinese: bool = False
    qr_data: bytes = b""
    qr_size: int = 3


@dataclass
class ParseReport:
    unknown_commands: list[str] = field(default_factory=list)
    non_chinese_bytes: int = 0  # bytes >= 0x80 sent outside Chinese mode (would print as code-page junk)


_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class EscPosParser:
    """Incremental ESC/POS reader. ``emit`` gets each printed item; ``realtime(request)`` answers queries."""

    def __init__(
        self, emit: Callable[[Printed], None], realtime: Callable[[bytes], None] | None = None
    ) -> None:
        self._emit = emit
        self._realtime = realtime or (lambda request: None)
        self._buffer = bytearray()
        self._line = bytearray()
        self._line_chinese = True
        self.state = ParserState()
        self.report = ParseReport()

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while self._buffer:
            used = self._step(self._buffer)
            if used == 0:
                break  # incomplete command: wait for more bytes
            del self._buffer[:used]

    # --- one command or text byte; returns bytes used, 0 when more are needed ---------------------
    def _step(self, b: bytearray) -> int:
        first = b[0]
        if first == 0x0A:
            self._end_line()
            return 1
        if first == 0x0D:
            return 1
        if first == DLE:
            if len(b) < 3:
                return 0
            if b[1] == 0x04:
                self._realtime(bytes(b[:3]))
                return 3
            return 1
        if first == ESC:
            return self._esc(b)
        if first == GS:
            return self._gs(b)
        if first == FS:
            return self._fs(b)
        if first < 0x20:
            return 1  # other control bytes are ignored by printers
        return self._text(b)

    def _text(self, b: bytearray) -> int:
        first = b[0]
        if first < 0x80:
            self._line.append(first)
            return 1
        if not self.state.chinese:
            self.report.non_chinese_bytes += 1
            self._line_chinese = False
            self._line.append(first)
            return 1
        if len(b) < 2:
            return 0
        size = 4 if 0x30 <= b[1] <= 0x39 else 2
        if len(b) < size:
            return 0
        self._line += b[:size]
        return size

    def _esc(self, b: bytearray) -> int:
        if len(b) < 2:
            return 0
        command = b[1]
        if command == 0x2A:  # ESC * m nL nH data: bit image
            if len(b) < 5:
                return 0
            width = b[3] + 256 * b[4]
            size = 5 + width * (3 if b[2] in (32, 33) else 1)
            return size if len(b) >= size else 0
        params = _ESC_PARAMS.get(command)
        if params is None:
            self.report.unknown_commands.append(f"ESC {command:02X}")
            return 2
        if len(b) < 2 + params:
            return 0
        value = b[2] if params else 0
        s = self.state
        if command == 0x40:
            self.state = ParserState()  # printers that default to Chinese mode differ: assume off
        elif command == 0x61:
            s.align = _ALIGN.get(value, "left")
        elif command == 0x21:
            s.bold, s.double_height, s.double_width = (
                bool(value & 0x08),
                bool(value & 0x10),
                bool(value & 0x20),
            )
        elif command == 0x45:
            s.bold = bool(value & 1)
        elif command == 0x64:
            self._end_line_if_pending()
            self._emit(PrintedFeed(value))
        return 2 + params

    def _gs(self, b: bytearray) -> int:
        if len(b) < 2:
            return 0
        command = b[1]
        if command == 0x56:  # GS V m [n]
            if len(b) < 3:
                return 0
            mode = b[2]
            size = 4 if mode in (65, 66) else 3
            if len(b) < size:
                return 0
            self._end_line_if_pending()
            self._emit(PrintedCut(partial=mode in (1, 49, 66)))
            return size
        if command == 0x28:  # GS ( x pL pH data
            if len(b) < 5:
                return 0
            size = 5 + b[3] + 256 * b[4]
            if len(b) < size:
                return 0
            if b[2] == 0x6B:
                self._qr(bytes(b[5:size]))
            return size
        if command == 0x76:  # GS v 0 m xL xH yL yH data
            if len(b) < 8:
                return 0
            width_bytes, height = b[4] + 256 * b[5], b[6] + 256 * b[7]
            size = 8 + width_bytes * height
            if len(b) < size:
                return 0
            self._end_line_if_pending()
            self._image(bytes(b[8:size]), width_bytes, height)
            return size
        if command == 0x72:  # GS r n: answered in order with the print buffer
            if len(b) < 3:
                return 0
            self._realtime(bytes(b[:3]))
            return 3
        params = _GS_PARAMS.get(command)
        if params is None:
            self.report.unknown_commands.append(f"GS {command:02X}")
            return 2
        if len(b) < 2 + params:
            return 0
        if command == 0x21:
            value = b[2]
            self.state.double_width, self.state.double_height = bool(value & 0xF0), bool(value & 0x0F)
        return 2 + params

    def _fs(self, b: bytearray) -> int:
        if len(b) < 2:
            return 0
        command = b[1]
        if command == 0x26:
            self.state.chinese = True
            return 2
        if command == 0x2E:
            self.state.chinese = False
            return 2
        if command == 0x21:
            if len(b) < 3:
                return 0
            value = b[2]
            if value & 0x0C:
                self.state.double_width, self.state.double_height = bool(value & 0x04), bool(value & 0x08)
            return 3
        self.report.unknown_commands.append(f"FS {command:02X}")
        return 2

    def _qr(self, body: bytes) -> None:
        # body: cn fn [m] data
        if len(body) < 2 or body[0] != 0x31:
            return
        fn = body[1]
        if fn == 0x43 and len(body) >= 3:
            self.state.qr_size = body[2]
        elif fn == 0x50:
            self.state.qr_data = body[3:]
        elif fn == 0x51:
            self._end_line_if_pending()
            payload = self.state.qr_data.decode("utf-8", errors="replace")
            self._emit(PrintedQr(payload, self.state.qr_size, self.state.align))

    def _image(self, data: bytes, width_bytes: int, height: int) -> None:
        # ESC/POS: bit set = print (black); PIL mode "1": 0 = black, so invert
        inverted = bytes(255 - x for x in data)
        from PIL import Image

        image = Image.frombytes("1", (width_bytes * 8, height), inverted)
        self._emit(PrintedImage(image, self.state.align))

    def _end_line_if_pending(self) -> None:
        if self._line:
            self._end_line()

    def _end_line(self) -> None:
        raw = bytes(self._line)
        text = raw.decode("gb18030", errors="replace") if self._line_chinese else raw.decode("cp437")
        s = self.state
        self._emit(PrintedLine(text, s.align, s.bold, s.double_width, s.double_height, self._line_chinese))
        self._line.clear()
        self._line_chinese = True
