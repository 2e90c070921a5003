"""Lockdown inside the application: in kiosk mode nothing leads out of the kiosk window.

Installed as an application-wide event filter. It swallows the key combinations that close or
switch windows, context menus, tooltips and "what's this" popups, and refuses close events of the
kiosk window. The compositor (cage) and the system settings do the rest (packaging/).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QHelpEvent, QInputEvent, QKeyEvent, QStatusTipEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kiosk")

_BLOCKED_EVENTS = {
    QEvent.Type.ContextMenu,
    QEvent.Type.ToolTip,
    QEvent.Type.WhatsThis,
    QEvent.Type.StatusTip,
}

# The classes of everything blocked: keys and ContextMenu are QInputEvents, ToolTip and WhatsThis
# QHelpEvents, StatusTip a QStatusTipEvent. (QueryWhatsThis, a plain QEvent, only asks whether
# help exists; the WhatsThis event that would show it is blocked.)
_WATCHED_CLASSES = (QInputEvent, QHelpEvent, QStatusTipEvent, QCloseEvent)

_BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
                 Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_Menu, Qt.Key.Key_Super_L,
                 Qt.Key.Key_Super_R, Qt.Key.Key_Meta, Qt.Key.Key_Print, Qt.Key.Key_F11}


def is_escape_key(event: QKeyEvent) -> bool:
    """Keys and shortcuts that could close, switch or leave the window."""
    key = Qt.Key(event.key())
    mods = event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_Menu, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
               Qt.Key.Key_Meta, Qt.Key.Key_Print, Qt.Key.Key_F11):
        return True
    combo = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
    return key in _BLOCKED_KEYS and bool(mods & combo)


class Lockdown(QObject):
    """Application event filter. ``window`` is the kiosk's only top-level window."""

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.blocked = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Every event of the application passes here; only these classes can carry what is
        # blocked (the isinstance test is answered in C, event.type() builds a Python enum).
        if not isinstance(event, _WATCHED_CLASSES):
            return False
        kind = event.type()
        if kind in _BLOCKED_EVENTS:
            self.blocked += 1
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and is_escape_key(event):  # type: ignore[arg-type]
            self.blocked += 1
            log.info("blocked a key that would leave the kiosk", extra={"event": "lockdown_key"})
            return True
        if kind == QEvent.Type.Close and watched is self.window and not getattr(self.window, "closing_allowed", False):
            event.ignore()
            self.blocked += 1
            return True
        return False
