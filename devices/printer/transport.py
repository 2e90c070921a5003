"""Where printer bytes go: a serial port (or a simulator's pty), a TCP socket, a file, or USB.

Each transport only writes bytes and, where the medium allows, asks a question and reads a
one-byte answer under a deadline (real-time status). A file cannot answer: ``answers`` is False
and the driver treats the printer's status as unknown-but-ready.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from devices.errors import DeviceInitialisationError, DeviceOffline, DeviceTimeout
from devices.serial_link import PortName, SerialLink

log = logging.getLogger("devices.printer")
_CHUNK = 1024


class SerialTransport:
    answers = True

    def __init__(self, port: PortName, *, baudrate: int = 115200) -> None:
        self._link = SerialLink(port, baudrate=baudrate, device="printer", logger=log)
        self.description = f"serial {port if isinstance(port, str) else 'simulator pty'}"

    @property
    def is_open(self) -> bool:
        return self._link.is_open

    def open(self) -> None:
        self._link.open()

    def close(self) -> None:
        self._link.close()

    def write(self, data: bytes) -> None:
        for start in range(0, len(data), _CHUNK):
            self._link.write(data[start : start + _CHUNK])

    def ask(self, request: bytes, timeout: float) -> int:
        """Send ``request`` and return the one-byte answer."""
        self._link.discard_input()
        self._link.write(request)
        return self._link.read_exact(1, time.monotonic() + timeout)[0]


class TcpTransport:
    answers = True

    def __init__(self, host: str, port: int = 9100, *, timeout: float = 3.0) -> None:
        self._address = (host, port)
        self._timeout = timeout
        self._socket: socket.socket | None = None
        self.description = f"tcp {host}:{port}"

    @property
    def is_open(self) -> bool:
        return self._socket is not None

    def open(self) -> None:
        try:
            self._socket = socket.create_connection(self._address, timeout=self._timeout)
        except OSError as exc:
            raise DeviceInitialisationError(
                f"cannot connect to printer at {self.description}: {exc}"
            ) from exc

    def close(self) -> None:
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()

    def _sock(self) -> socket.socket:
        if self._socket is None:
            raise DeviceOffline("printer connection is closed", device="printer")
        return self._socket

    def write(self, data: bytes) -> None:
        try:
            self._sock().sendall(data)
        except OSError as exc:
            self.close()
            raise DeviceOffline(f"printer connection lost: {exc}", device="printer") from exc

    def ask(self, request: bytes, timeout: float) -> int:
        sock = self._sock()
        try:
            sock.setblocking(False)
            try:
                while sock.recv(256):  # drop stale answers
                    pass
            except (BlockingIOError, InterruptedError):
                pass
            sock.settimeout(timeout)
            sock.sendall(request)
            answer = sock.recv(1)
        except TimeoutError as exc:
            raise DeviceTimeout("printer did not answer a status query", device="printer") from exc
        except OSError as exc:
            self.close()
            raise DeviceOffline(f"printer connection lost: {exc}", device="printer") from exc
        finally:
            if self._socket is not None:
                self._socket.settimeout(self._timeout)
        if not answer:
            self.close()
            raise DeviceOffline("printer closed the connection", device="printer")
        return answer[0]


class FileTransport:
    """Appends the bytes to a file (for a printer spool or a capture); cannot answer questions."""

    answers = False

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd: int | None = None
        self.description = f"file {path}"

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def open(self) -> None:
        try:
            self._fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DeviceInitialisationError(
                f"cannot open printer file {self._path}: {exc}", device="printer"
            ) from exc

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def write(self, data: bytes) -> None:
        if self._fd is None:
            raise DeviceOffline("printer file is closed", device="printer")
        try:
            os.write(self._fd, data)
            os.fsync(self._fd)
        except OSError as exc:
            raise DeviceOffline(f"cannot write printer file: {exc}", device="printer") from exc

    def ask(self, request: bytes, timeout: float) -> int:
        raise DeviceTimeout("a file cannot answer status queries", device="printer")


class UsbTransport:
    """A USB printer through python-escpos (needs pyusb); status answers where the printer gives them."""

    answers = True

    def __init__(self, vendor: int, product: int) -> None:
        self._ids = (vendor, product)
        self._printer: Any = None  # python-escpos's Usb printer while open (untyped)
        self.description = f"usb {vendor:04x}:{product:04x}"

    @property
    def is_open(self) -> bool:
        return self._printer is not None

    def open(self) -> None:
        from escpos.printer import Usb

        try:
            printer = Usb(*self._ids)
            printer.open()
        except Exception as exc:  # pyusb raises several unrelated types
            raise DeviceInitialisationError(f"cannot open USB printer {self.description}: {exc}") from exc
        self._printer = printer

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()

    def write(self, data: bytes) -> None:
        if self._printer is None:
            raise DeviceOffline("USB printer is closed", device="printer")
        try:
            self._printer._raw(data)
        except Exception as exc:
            raise DeviceOffline(f"USB write failed: {exc}", device="printer") from exc

    def ask(self, request: bytes, timeout: float) -> int:
        if self._printer is None:
            raise DeviceOffline("USB printer is closed", device="printer")
        try:
            self._printer._raw(request)
            answer = self._printer._read()
        except Exception as exc:
            raise DeviceTimeout(f"USB status query failed: {exc}", device="printer") from exc
        if not answer:
            raise DeviceTimeout("USB printer gave no status answer", device="printer")
        return answer[0]
