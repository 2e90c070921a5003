"""The serial (or USB-CDC) scanner: a line reader with a configurable terminator.

``LineAssembler`` cuts the byte stream into scans: bounded length (an over-long line is dropped
up to its terminator and reported), a CR LF pair counts as one terminator. ``SerialScanner`` runs
it on a reader thread, parses each scan with ``devices.scanner.codes`` and reports a ``DATA``
event with the parsed code or an ``ERROR`` event with the ``ScanRejected``. Scanned text is never
logged: it may be a citizen's notice number.
"""

from __future__ import annotations

import logging
import time

from devices.errors import DeviceError, DeviceURLError
from devices.model import Backoff, StatusKind
from devices.scanner.codes import DEFAULT_DOMAIN, MAX_LENGTH, ScanRejected, clean_text, parse_code
from devices.serial_link import PortName, SerialLink
from devices.supervision import SupervisedDevice

log = logging.getLogger("devices.scanner")

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "ETX": b"\x03"}


def terminator_named(name: str) -> bytes:
    """``CR``, ``LF``, ``CRLF``, ``TAB``, ``ETX`` or hex (``0D0A``)."""
    if name.upper() in TERMINATORS:
        return TERMINATORS[name.upper()]
    try:
        value = bytes.fromhex(name)
    except ValueError:
        value = b""
    if not value or len(value) > 4:
        raise DeviceURLError(
            f"unknown scanner terminator {name!r}; expected one of {', '.join(TERMINATORS)} or up to 4 hex bytes",
            device="scanner",
        )
    return value


class LineAssembler:
    """Bytes in, complete scans (bytes) or ``ScanRejected`` out."""

    def __init__(self, terminator: bytes = b"\r", max_length: int = MAX_LENGTH) -> None:
        if not terminator:
            raise ValueError("terminator must not be empty")
        self.terminator = terminator
        self.max_length = max_length
        self._buffer = bytearray()
        self._overflowed = False

    def feed(self, data: bytes) -> list[bytes | ScanRejected]:
        self._buffer += data
        out: list[bytes | ScanRejected] = []
        while True:
            index = self._buffer.find(self.terminator)
            if index < 0:
                break
            line = bytes(self._buffer[:index])
            del self._buffer[: index + len(self.terminator)]
            if self.terminator == b"\r" and line.startswith(b"\n"):
                line = line[1:]  # CR LF scanners with a CR terminator: the LF begins the next line
            if self._overflowed:
                self._overflowed = False
                continue
            if len(line) > self.max_length:
                out.append(ScanRejected("too_long", f"scan of {len(line)} bytes exceeds {self.max_length}"))
            elif line:
                out.append(line)
        if len(self._buffer) > self.max_length + len(self.terminator):
            if not self._overflowed:
                out.append(
                    ScanRejected("too_long", f"more than {self.max_length} bytes without a terminator")
                )
            self._overflowed = True
            self._buffer.clear()
        return out


class SerialScanner(SupervisedDevice):
    """A scanner on a serial port, continuous scanning; ``trigger`` is sent on enable if the model needs it."""

    kind = "scanner"

    def __init__(
        self,
        port: PortName,
        *,
        name: str = "scanner",
        baudrate: int = 9600,
        terminator: bytes = b"\r",
        max_length: int = MAX_LENGTH,
        domain: str = DEFAULT_DOMAIN,
        trigger: bytes = b"",
        state_dir: str | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name, state_dir=state_dir, backoff=backoff)
        self.link = SerialLink(port, baudrate=baudrate, device=name, logger=log)
        self.lines = LineAssembler(terminator, max_length)
        self.domain = domain
        self.trigger = trigger

    def _open(self) -> None:
        self.link.open()

    def _close(self) -> None:
        self.link.close()

    def handle_bytes(self, data: bytes) -> None:
        """Feed bytes as if read from the port (the reader thread calls this)."""
        for item in self.lines.feed(data):
            if isinstance(item, ScanRejected):
                self._reject(item)
                continue
            try:
                code = parse_code(clean_text(item, self.lines.max_length), self.domain)
            except ScanRejected as exc:
                self._reject(exc)
                continue
            self.statistics.add("scans")
            log.info("%s: %s scanned", self.name, code.kind)
            self._emit(StatusKind.DATA, code.kind, code)

    def _reject(self, exc: ScanRejected) -> None:
        self.statistics.add("rejected_scans")
        log.info("%s: scan rejected (%s)", self.name, exc.reason)
        self._emit(StatusKind.ERROR, exc.reason, exc)

    def _enable(self) -> None:
        if self.trigger:
            self.link.write(self.trigger)
        self._start_supervision("read")

    def _disable(self) -> None:
        self._stop_supervision(2)

    def _round(self) -> float:
        if not self.link.is_open:
            self.link.open()
            self.lines = LineAssembler(self.lines.terminator, self.lines.max_length)
            self._went_online()
        data = self.link.read_available(time.monotonic() + 0.1)
        if data:
            self.handle_bytes(data)
        return 0.0

    def _drop_connection(self) -> None:
        self.link.close()

    def _lost(self, exc: DeviceError) -> None:
        self.statistics.add("communication_failures")

    def _health_external(self) -> tuple[bool, str]:
        if not self._online:
            return False, "scanner port is gone (unplugged?)"
        return self.link.is_open, f"port open, {self.statistics.get('scans'):g} scans so far"

    def _health_interactive(self) -> tuple[bool, str]:
        return True, "scan the test code on the technician card and check the kiosk shows it"
