"""The hidden way into technician mode: hold the header's top-left corner for three seconds.

:class:`CornerLongPress` is an event filter on the window's header. A press inside the
:data:`HOT_ZONE_PX` square at the header's top-left starts a timer; releasing, or moving out of
the square, before :data:`HOLD_MS` cancels it, so a citizen's tap there does nothing at all (the
events pass on untouched). Held long enough, ``held`` is emitted once.

:func:`install` is called once from the window's constructor (one line in
screens/main_window.py; the screens stay free of this logic): it makes the :class:`~kiosk.technician.mode.TechnicianMode`
(``context.services.technician``), puts the filter on the header and wires the two together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from kiosk.system.timers import named_timer

if TYPE_CHECKING:
    from kiosk.shell.context import KioskContext
    from kiosk.technician.mode import TechnicianMode

HOT_ZONE_PX = 120
HOLD_MS = 3000

_PRESS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
_RELEASE = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave,
            QEvent.Type.Hide)
_MOVE = (QEvent.Type.MouseMove, QEvent.Type.TouchUpdate)


class CornerLongPress(QObject):
    """Emits ``held`` when the watched widget's top-left corner is held for ``hold_ms``."""

    held = Signal()

    def __init__(self, widget: QWidget, *, zone_px: int = HOT_ZONE_PX, hold_ms: int = HOLD_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or widget)
        self.widget = widget
        self.zone_px = zone_px
        self._timer = named_timer(self, "technician-long-press", single_shot=True, interval_ms=hold_ms)
        self._timer.timeout.connect(self.held.emit)
        widget.installEventFilter(self)

    @property
    def pressing(self) -> bool:
        return self._timer.isActive()

    def _position(self, watched: QObject, event: QEvent) -> QPoint | None:
        if hasattr(event, "points"):  # touch
            points = event.points()
            if not points:
                return None
            local = points[0].position().toPoint()
        elif hasattr(event, "position"):
            local = event.position().toPoint()
        else:
            return None
        if watched is not self.widget and isinstance(watched, QWidget):
            local = watched.mapTo(self.widget, local)
        return local

    def _inside(self, point: QPoint | None) -> bool:
        return point is not None and 0 <= point.x() < self.zone_px and 0 <= point.y() < self.zone_px

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _PRESS:
            if self._inside(self._position(watched, event)):
                self._timer.start()
            else:
                self._timer.stop()
        elif kind in _RELEASE or (kind in _MOVE and self.pressing
                                  and not self._inside(self._position(watched, event))):
            self._timer.stop()
        return False  # never swallow a citizen's touch


class TechnicianWindow(Protocol):
    """What :func:`install` needs of the kiosk's window (``screens.main_window.KioskWindow``)."""

    @property
    def context(self) -> KioskContext: ...

    @property
    def header(self) -> QWidget: ...  # the hidden corner is its top-left; it owns technician mode, as the window owns it

    @property
    def first_frame(self) -> SignalInstance: ...  # emitted once the first frame is on the screen


def install(window: TechnicianWindow) -> TechnicianMode:
    """Technician mode for this window: the controller and the hidden corner."""
    from kiosk.technician.mode import TechnicianMode

    context = window.context
    mode = TechnicianMode(context, window, parent=window.header)
    context.services.technician = mode
    corner = CornerLongPress(window.header)
    corner.held.connect(mode.request_entry)
    mode.corner = corner
    # the device hub is made by a start-up hook at the first frame: look for it once those hooks ran
    window.first_frame.connect(lambda: QTimer.singleShot(0, mode.attach_devices))
    return mode
