"""A thermal receipt printer on a pty or a TCP port: parses the ESC/POS stream, answers status, keeps a paper roll.

The roll holds ``paper_lines`` lines; below ``near_end_lines`` the paper sensor reports near end,
at zero the printer stops and everything after is lost (a job interrupted mid-way). An open cover
also stops printing. ``DLE EOT n`` and ``GS r n`` are answered from that state. Each cut closes a
receipt; ``render_png()`` draws the last one with a CJK font so the demo can show it.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devices.simulators.escpos_parser import (
    EscPosParser,
    Printed,
    PrintedCut,
    PrintedFeed,
    PrintedImage,
    PrintedLine,
    PrintedQr,
)
from devices.simulators.pty_link import PtyLink, PtySimulator
from devices.simulators.tcp_link import TcpLink

if TYPE_CHECKING:  # Pillow loads only when a receipt is drawn as a picture (demo panel, tests)
    from PIL import Image, ImageFont

log = logging.getLogger("devices.simulators")

LINE_DOTS = 30  # default line spacing at 203 dpi


@dataclass
class PrintedReceipt:
    """Everything printed between two cuts. ``complete`` is False when paper or cover stopped it."""

    items: list[Printed] = field(default_factory=list)
    complete: bool = True
    cut: bool = False

    @property
    def lines(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, PrintedLine)]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def qr_payloads(self) -> list[str]:
        return [i.payload for i in self.items if isinstance(i, PrintedQr)]

    @property
    def images(self) -> list[Image.Image]:
        return [i.image for i in self.items if isinstance(i, PrintedImage)]


class PrinterSimulator(PtySimulator):
    """The simulated printer. ``slave_path`` is the port the driver opens."""

    name = "printer"

    def __init__(
        self, *, paper_lines: int = 2000, near_end_lines: int = 200, dots_per_line: int = 576,
        listen: tuple[str, int] | None = None,
    ) -> None:
        # On a pty (a serial or USB-CDC printer), or with ``listen`` on a TCP port (a network printer).
        self.link: PtyLink | TcpLink = (
            PtyLink(self.name, self._on_bytes) if listen is None else TcpLink(self.name, self._on_bytes, *listen)
        )
        self._lock = threading.RLock()
        self.dots_per_line = dots_per_line
        self.near_end_lines = near_end_lines
        self.paper_lines = paper_lines
        self.roll_lines = paper_lines
        self.cover_open = False
        self.cutter_error = False
        self.mute = False
        self.answers_left: int | None = None  # tests: answer this many more queries, then go silent
        self.receipts: deque[PrintedReceipt] = deque(maxlen=200)  # the latest receipts, bounded
        self._current = PrintedReceipt()
        self.bytes_received = 0
        self._parser = EscPosParser(self._printed, self._answer)
        self._listeners: list[Callable[[PrintedReceipt], object]] = []

    # --- control -------------------------------------------------------------------------------
    def add_listener(self, callback: Callable[[PrintedReceipt], object]) -> None:
        """``callback(receipt)`` after every cut (the demo panel refreshes its picture)."""
        self._listeners.append(callback)

    def take_paper_out(self) -> None:
        with self._lock:
            self.paper_lines = 0

    def set_near_end(self) -> None:
        with self._lock:
            self.paper_lines = min(self.paper_lines, self.near_end_lines) or self.near_end_lines

    def refill(self, lines: int | None = None) -> None:
        with self._lock:
            self.paper_lines = lines or self.roll_lines

    def open_cover(self) -> None:
        with self._lock:
            self.cover_open = True

    def close_cover(self) -> None:
        with self._lock:
            self.cover_open = False

    @property
    def paper_out(self) -> bool:
        return self.paper_lines <= 0

    @property
    def near_end(self) -> bool:
        return 0 < self.paper_lines <= self.near_end_lines

    @property
    def last_receipt(self) -> PrintedReceipt | None:
        with self._lock:
            return self.receipts[-1] if self.receipts else None

    # --- wire side -------------------------------------------------------------------------------
    def _on_bytes(self, data: bytes) -> None:
        with self._lock:
            self.bytes_received += len(data)
            self._parser.feed(data)

    def _answer(self, request: bytes) -> None:
        if self.mute or self.answers_left == 0:
            return
        if self.answers_left is not None:
            self.answers_left -= 1
        n = request[2]
        if request[:2] == b"\x10\x04":
            value = 0x12
            stopped = self.cover_open or self.paper_out
            if n == 1 and stopped:
                value |= 0x08
            elif n == 2:
                value |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
            elif n == 3 and self.cutter_error:
                value |= 0x08
            elif n == 4:
                value |= 0x60 if self.paper_out else 0x0C if self.near_end else 0
        else:  # GS r 1
            value = 0x0C if self.paper_out else 0x03 if self.near_end else 0x00
        self.link.write(bytes([value]))

    def _printed(self, item: Printed) -> None:
        if self.cover_open or self.paper_out:
            self._current.complete = False  # the printer has stopped: this never reaches paper
            if not isinstance(item, PrintedCut):
                return
        if isinstance(item, PrintedCut):
            self._current.cut = True
            self._current.items.append(item)
            self.receipts.append(self._current)
            finished, self._current = self._current, PrintedReceipt()
            for callback in list(self._listeners):
                try:
                    callback(finished)
                except Exception:
                    log.exception("printer simulator listener failed")
            return
        self._current.items.append(item)
        self.paper_lines -= self._lines_used(item)
        if self.paper_lines <= 0:
            self.paper_lines = 0
            log.info("printer simulator: paper ran out")

    @staticmethod
    def _lines_used(item: Printed) -> int:
        if isinstance(item, PrintedLine):
            return 2 if item.double_height else 1
        if isinstance(item, PrintedFeed):
            return item.lines
        if isinstance(item, PrintedImage):
            return max(1, item.image.height // LINE_DOTS)
        if isinstance(item, PrintedQr):
            return 8
        return 0

    # --- picture ---------------------------------------------------------------------------------
    def render_png(self, receipt: PrintedReceipt | None = None) -> bytes | None:
        """The receipt (default: the last one) as a PNG, or None when nothing was printed yet."""
        receipt = receipt or self.last_receipt
        if receipt is None:
            return None
        return render_receipt(receipt, self.dots_per_line)


def cjk_font_path() -> str | None:
    """A font with Chinese glyphs, found through fontconfig."""
    if shutil.which("fc-match") is None:
        return None
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


_font_cache: dict[int, ImageFont.ImageFont | ImageFont.FreeTypeFont] = {}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    from PIL import ImageFont

    if size not in _font_cache:
        path = cjk_font_path()
        try:
            _font_cache[size] = ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
        except OSError:
            _font_cache[size] = ImageFont.load_default(size)
    return _font_cache[size]


def _render_line(item: PrintedLine, width: int) -> Image.Image:
    """One line as the printer draws it: 12-dot half-width cells, 24-dot full-width cells."""
    from PIL import Image, ImageDraw

    scale_x = 2 if item.double_width else 1
    scale_y = 2 if item.double_height else 1
    size = 24 * scale_y
    font = _font(size)
    cells = [(char, (1 if ord(char) < 0x80 else 2) * 12 * scale_x) for char in item.text]
    text_width = sum(w for _, w in cells)
    x = {"left": 0, "center": (width - text_width) // 2, "right": width - text_width}[item.align]
    image = Image.new("1", (width, LINE_DOTS * scale_y), 1)
    draw = ImageDraw.Draw(image)
    baseline = int(size * 0.88) + 2 * scale_y
    for char, cell in cells:
        glyph = draw.textlength(char, font=font)
        draw.text(
            (max(0, x) + (cell - glyph) / 2, baseline), char, font=font, fill=0, anchor="ls",
            stroke_width=1 if item.bold else 0, stroke_fill=0,
        )  # fmt: skip
        x += cell
    return image


def render_receipt(receipt: PrintedReceipt, width: int = 576) -> bytes:
    """Draw a printed receipt as it would look on paper (white, black text, dashed cut line)."""
    import qrcode
    from PIL import Image, ImageDraw

    blocks: list[tuple[Image.Image, str]] = []
    for item in receipt.items:
        if isinstance(item, PrintedLine):
            blocks.append((_render_line(item, width), "left"))
        elif isinstance(item, PrintedQr):
            code = qrcode.QRCode(box_size=max(1, item.module_size), border=1)
            code.add_data(item.payload)
            code.make(fit=True)
            blocks.append((code.make_image().get_image().convert("1"), item.align))
        elif isinstance(item, PrintedImage):
            blocks.append((item.image, item.align))
        elif isinstance(item, PrintedFeed):
            blocks.append((Image.new("1", (width, LINE_DOTS * item.lines), 1), "left"))
        elif isinstance(item, PrintedCut):
            cut = Image.new("1", (width, 16), 1)
            ImageDraw.Draw(cut).line([(0, 8), (width, 8)], fill=0, width=1)
            blocks.append((cut, "left"))
    margin = 16
    height = sum(b.height for b, _ in blocks) + 2 * margin
    page = Image.new("RGB", (width + 2 * margin, max(height, 64)), "white")
    y = margin
    for block, align in blocks:
        x = margin + {"left": 0, "center": (width - block.width) // 2, "right": width - block.width}[align]
        page.paste(block.convert("RGB"), (max(margin, x), y))
        y += block.height
    if not receipt.complete:
        ImageDraw.Draw(page).text((margin, y - 20), "— 打印中断 interrupted —", font=_font(20), fill="red")
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()
