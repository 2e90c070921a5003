"""A pty pair a simulator serves: the driver opens ``slave_path`` exactly as it would a USB-serial port.

The simulator keeps its own slave descriptor open so the master never sees EIO while the driver
closes and reopens the port. ``unplug()`` closes the pair, which the driver meets as a dead port
(like a USB-serial adapter pulled out); ``replug()`` makes a new pair, at a new path.
"""

from __future__ import annotations

import os
import select
import tty
from collections.abc import Callable
from typing import Self

from devices.simulators.link import SimulatorLink
from devices.simulators.tcp_link import TcpLink


class PtyLink(SimulatorLink):
    """Serves the master side of a pty on a background thread, calling ``on_bytes`` with what arrives."""

    def __init__(self, name: str, on_bytes: Callable[[bytes], None]) -> None:
        super().__init__(name, on_bytes)
        self._master: int | None = None
        self._slave: int | None = None
        self.slave_path = ""

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def _plug(self) -> None:
        master, slave = os.openpty()
        # raw before anyone opens it: an echoing pty would bounce answers back to the simulator
        tty.setraw(slave)
        tty.setraw(master)
        self._master, self._slave = master, slave
        self.slave_path = os.ttyname(slave)

    def _serve(self) -> None:
        stop, master = self._stop, self._master
        while not stop.is_set() and master is not None:
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except OSError:
                break
            if data:
                self._deliver(data)

    def _send(self, data: bytes) -> bool:
        if self._master is None:
            return False
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]
        return True

    def _unplug(self) -> None:
        """Close the pty pair: the driver's next read or write fails as with a pulled cable."""
        for fd in (self._master, self._slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = None


class PtySimulator:
    """Base of the device simulators: a :class:`PtyLink` in ``self.link`` and the controls every
    simulator shares (start, the port the driver opens, plug and unplug, close)."""

    link: PtyLink | TcpLink  # the same face: a pty, or a TCP port as a network printer has

    def start(self) -> Self:  # the simulator itself, for chaining
        self.link.start()
        return self

    @property
    def slave_path(self) -> str:
        return self.link.slave_path

    @property
    def plugged(self) -> bool:
        return self.link.plugged

    def unplug(self) -> None:
        self.link.unplug()

    def replug(self) -> None:
        self.link.start()

    def close(self) -> None:
        self.link.close()

