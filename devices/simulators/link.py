"""What a simulator's end of the line shares, whatever the line: a serving thread, plugging and unplugging.

:class:`~devices.simulators.pty_link.PtyLink` (a pseudo-terminal, as a serial or USB-CDC device
appears) and :class:`~devices.simulators.tcp_link.TcpLink` (a TCP port, as a network printer) say
only how they open, serve, send and close; this base runs the serving thread, sends under one
lock, ends the thread when unplugged, and keeps a simulator bug from killing the thread silently.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from devices.model import end_thread

log = logging.getLogger("devices.simulators")


class SimulatorLink:
    """Subclasses implement ``plugged``, ``_plug()``, ``_serve()``, ``_send()`` and ``_unplug()``."""

    thread_role = ""  # added to the serving thread's name

    def __init__(self, name: str, on_bytes: Callable[[bytes], None]) -> None:
        self.name = name
        self._on_bytes = on_bytes
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._write_lock = threading.Lock()

    @property
    def plugged(self) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        if self.plugged:
            return
        self._plug()
        self._stop = threading.Event()
        role = f"-{self.thread_role}" if self.thread_role else ""
        self._thread = threading.Thread(target=self._serve, name=f"sim-{self.name}{role}", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> bool:
        """Send bytes to the driver; False when unplugged or no one is connected."""
        with self._write_lock:
            try:
                return self._send(data)
            except OSError:
                return False

    def unplug(self) -> None:
        """End the serving thread and close the line: the driver meets a device gone away."""
        thread, self._thread = self._thread, None
        end_thread(self._stop, thread, join_timeout=1)
        with self._write_lock:
            self._unplug()

    def replug(self) -> None:
        self.unplug()
        self.start()

    def close(self) -> None:
        self.unplug()

    def _deliver(self, data: bytes) -> None:
        """Hand what arrived to the simulator (on the serving thread)."""
        try:
            self._on_bytes(data)
        except Exception:  # a simulator bug must not kill the serving thread silently
            log.exception("simulator %s failed on input", self.name)

    # --- for subclasses ------------------------------------------------------------------------
    def _plug(self) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        raise NotImplementedError

    def _send(self, data: bytes) -> bool:
        """Write all of ``data`` (the write lock is held); False when there is no one to send to."""
        raise NotImplementedError

    def _unplug(self) -> None:
        """Close the line (the write lock is held)."""
        raise NotImplementedError
