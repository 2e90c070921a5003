"""A serial port read under explicit deadlines.

pyserial's ``inter_byte_timeout`` does not end a read early on Linux, so every read here loops over
short non-blocking reads until either enough bytes arrived or the caller's deadline passed. Bytes
that arrive beyond what was asked stay in this link's buffer for the next read, so two frames that
come in one chunk are both delivered.

The port is named by a pyserial URL or path (``/dev/ttyUSB0``, ``spy:///dev/ttyUSB0``) or by a
callable returning one (a simulator's pty changes when it is "replugged").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import serial

from devices.errors import DeviceInitialisationError, DeviceOffline, DeviceTimeout

PortName = str | Callable[[], str]

# how long one underlying read may block; small so deadlines are honoured closely
_SLICE = 0.02


class SerialLink:
    """An opened serial port with deadline-bound reads. ``device`` names it in errors."""

    def __init__(self, port: PortName, *, baudrate: int, device: str, logger: logging.Logger) -> None:
        self._port_name = port
        self._baudrate = baudrate
        self._device = device
        self._log = logger
        self._serial: serial.Serial | None = None
        self._buffer = bytearray()

    @property
    def port_name(self) -> str:
        return self._port_name() if callable(self._port_name) else self._port_name

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        name = self.port_name
        try:
            # exclusive: a second process opening the reader would steal half the frames
            exclusive = None if name.startswith(("spy://", "loop://", "socket://")) else True
            self._serial = serial.serial_for_url(name, baudrate=self._baudrate, timeout=_SLICE, exclusive=exclusive)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceInitialisationError(
                f"cannot open serial port {name}: {exc}", device=self._device
            ) from exc
        self._buffer.clear()

    def close(self) -> None:
        port, self._serial = self._serial, None
        self._buffer.clear()
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError) as exc:
                self._log.debug("closing %s: %s", self._device, exc)

    def _port(self) -> serial.Serial:
        if self._serial is None:
            raise DeviceOffline("serial port is not open", device=self._device)
        return self._serial

    def write(self, data: bytes) -> None:
        port = self._port()
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise DeviceOffline(f"write failed: {exc}", device=self._device) from exc

    def discard_input(self) -> int:
        """Drop bytes already received (stale answers); returns how many."""
        port = self._port()
        dropped = len(self._buffer)
        self._buffer.clear()
        try:
            waiting = port.in_waiting
            if waiting:
                dropped += len(port.read(waiting))
        except (serial.SerialException, OSError) as exc:
            raise DeviceOffline(f"read failed: {exc}", device=self._device) from exc
        return dropped

    def _fill(self, deadline: float) -> bool:
        """Read whatever arrives within one slice; False once the deadline has passed."""
        if time.monotonic() >= deadline:
            return False
        port = self._port()
        try:
            chunk = port.read(max(1, port.in_waiting))
        except (serial.SerialException, OSError, TypeError) as exc:
            # TypeError: pyserial's posix read on a port closed under it by another thread
            raise DeviceOffline(f"read failed (device unplugged?): {exc}", device=self._device) from exc
        self._buffer += chunk
        return True

    def read_exact(self, count: int, deadline: float) -> bytes:
        """Exactly ``count`` bytes, or ``DeviceTimeout`` at the deadline."""
        while len(self._buffer) < count:
            if not self._fill(deadline):
                raise DeviceTimeout(
                    f"expected {count} bytes, got {len(self._buffer)} before the deadline",
                    device=self._device,
                )
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    def read_until(self, marker: bytes, deadline: float, *, limit: int) -> tuple[bytes, bytes]:
        """Skip to ``marker``: returns (bytes skipped before it, marker). Keeps at most ``limit`` skipped."""
        skipped = bytearray()
        while True:
            index = self._buffer.find(marker)
            if index >= 0:
                skipped += self._buffer[:index]
                del self._buffer[: index + len(marker)]
                return bytes(skipped[-limit:]), marker
            # keep a possible partial marker at the end of the buffer
            keep = len(marker) - 1
            if len(self._buffer) > keep:
                skipped += self._buffer[: len(self._buffer) - keep]
                del self._buffer[: len(self._buffer) - keep]
                if len(skipped) > limit:
                    del skipped[: len(skipped) - limit]
            if not self._fill(deadline):
                raise DeviceTimeout(f"no {marker.hex(' ')} before the deadline", device=self._device)

    def read_available(self, deadline: float) -> bytes:
        """Whatever arrives until the first slice with data, or b'' at the deadline."""
        while not self._buffer:
            if not self._fill(deadline):
                break
        data = bytes(self._buffer)
        self._buffer.clear()
        return data
