"""Running slow work off the GUI thread and delivering the result back on it.

Journeys call ``calls.submit(fn, on_done, on_error)``: ``fn`` runs on a worker thread (HTTP, device
I/O, SQLite writes); the callbacks run later on the GUI thread through a queued Qt signal. Tests
of journeys without a GUI use :class:`ImmediateCalls`, which runs everything at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger("kiosk")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Calls(Protocol):
    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None: ...


class ImmediateCalls:
    """Runs the work and its callback at once, on the caller's thread (tests, command line)."""

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        on_done(result)


class BackgroundCalls(QObject):
    """A small thread pool whose results come back to the GUI thread."""

    _finished = Signal(object)

    def __init__(self, workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-call")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self.pending = 0

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        if self._closed:
            return
        self.pending += 1
        future = self._pool.submit(fn)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))

    def _deliver(self, item: tuple[Future[Any], Done, Failed | None]) -> None:
        future, on_done, on_error = item
        self.pending -= 1
        if self._closed:
            return
        error = future.exception()
        try:
            if error is None:
                on_done(future.result())
            elif on_error is not None:
                on_error(error)
            else:
                log.error("background call failed: %r", error)
        except Exception:
            log.exception("a result callback failed")

    def close(self) -> None:
        """Stop accepting work; results still in flight are dropped."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
