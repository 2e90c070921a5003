"""Real-time printer status: ``DLE EOT n`` queries and what their answers mean (DEVICES.md §2).

Every answer byte has bits 1 and 4 set (``0x12``); a byte without them is not a status answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 3, 4)  # printer, offline cause, error cause, paper sensor
GS_R_PAPER = b"\x1d\x72\x01"
_FIXED = 0x12


def query(n: int) -> bytes:
    """``DLE EOT n``."""
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    return value & 0x93 == _FIXED


class Paper(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass(frozen=True)
class PrinterStatus:
    """The four real-time answers, decoded. ``raw`` keeps the answer bytes for technicians."""

    online: bool
    cover_open: bool
    paper: Paper
    feed_pressed: bool = False
    waiting_for_recovery: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    raw: bytes = b""

    @property
    def error(self) -> bool:
        return self.cutter_error or self.unrecoverable_error or self.auto_recoverable_error

    @property
    def ready(self) -> bool:
        """A job may start: online, cover closed, paper not out, no error."""
        return self.online and not self.cover_open and self.paper != Paper.OUT and not self.error

    def problem(self) -> str | None:
        """The first reason a job may not start, in a technician's words; None when ready."""
        if self.cover_open:
            return "cover open"
        if self.paper == Paper.OUT:
            return "paper out"
        if self.cutter_error:
            return "cutter error"
        if self.unrecoverable_error:
            return "unrecoverable error"
        if self.auto_recoverable_error:
            return "auto-recoverable error (e.g. head too hot)"
        if not self.online:
            return "offline"
        return None

    def summary(self) -> str:
        flags = [f"paper {self.paper}", "cover open" if self.cover_open else "cover closed"]
        flags.append("online" if self.online else "offline")
        if self.error:
            flags.append(self.problem() or "error")
        return ", ".join(flags) + f" (raw {self.raw.hex(' ')})"


def decode(printer: int, offline: int, error: int, paper: int) -> PrinterStatus:
    """Combine the answers to ``DLE EOT 1..4``. Raises ValueError for a byte that is not a status."""
    answers = bytes([printer, offline, error, paper])
    for n, value in enumerate(answers, start=1):
        if not is_status_byte(value):
            raise ValueError(f"answer 0x{value:02X} to DLE EOT {n} is not a status byte")
    paper_state = Paper.OUT if paper & 0x60 else Paper.NEAR_END if paper & 0x0C else Paper.OK
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(offline & 0x04),
        paper=paper_state,
        feed_pressed=bool(printer & 0x40),
        waiting_for_recovery=bool(printer & 0x20),
        cutter_error=bool(error & 0x08),
        unrecoverable_error=bool(error & 0x20),
        auto_recoverable_error=bool(error & 0x40),
        raw=answers,
    )
