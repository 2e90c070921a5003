"""Hand a call from a worker thread to the GUI thread (device, network and sync callbacks)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal


class GuiThread(QObject):
    """``post(fn)`` from any thread; ``fn`` runs soon on the thread that created this object."""

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], object]) -> None:
        self._call.emit(fn)

    @staticmethod
    def _run(fn: Callable[[], object]) -> None:
        fn()
