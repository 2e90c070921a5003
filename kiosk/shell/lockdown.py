"""Lockdown inside the application: in kiosk mode nothing leads out of the kiosk window.

It watches the kiosk window's QWindow, where the platform delivers every key, click, touch and close
request before Qt hands it on to a widget, and swallows there: the keys and combinations that close,
switch or leave windows (Alt+F4, Ctrl+W, Ctrl+Q, Esc, Menu, Super, F1, F11 …), presses of any mouse
button but the first (Qt makes context menus from them), context-menu requests, and close requests.
What Qt could still make inside the window leads nowhere: no widget has a tooltip, a what's-this text
or a status tip (a test walks every screen), and no widget defines a shortcut. The compositor (cage)
and the system settings do the rest (packaging/).

It is not an application-wide filter on purpose: one written in Python is called for each of the
hundreds of events a screen change sends to widgets, which made every screen change slower.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QInputEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kiosk")

_MOUSE_BUTTON_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick}
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}

_BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
                 Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_Menu, Qt.Key.Key_Super_L,
                 Qt.Key.Key_Super_R, Qt.Key.Key_Meta, Qt.Key.Key_Print, Qt.Key.Key_F11}


def is_escape_key(event: QKeyEvent) -> bool:
    """Keys and shortcuts that could close, switch or leave the window."""
    key = Qt.Key(event.key())
    mods = event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_Menu, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
               Qt.Key.Key_Meta, Qt.Key.Key_Print, Qt.Key.Key_F1, Qt.Key.Key_F11):
        return True
    combo = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
    return key in _BLOCKED_KEYS and bool(mods & combo)


class Lockdown(QObject):
    """The kiosk window's guard. ``window`` is the kiosk's only top-level window; call :meth:`guard`."""

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.blocked = 0

    def guard(self) -> None:
        """Start watching what the platform delivers to the window."""
        self.window.winId()  # the QWindow exists from here on (normally made by show())
        self.window.windowHandle().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(event, (QInputEvent, QCloseEvent)):  # answered in C; event.type() builds an enum
            return False
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return self._block()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent) and is_escape_key(event):
            if kind == QEvent.Type.KeyPress:
                log.info("blocked a key that would leave the kiosk", extra={"event": "lockdown_key"})
            return self._block()
        if kind in _MOUSE_BUTTON_EVENTS and isinstance(event, QMouseEvent) and event.button() != Qt.MouseButton.LeftButton:
            return self._block()
        if kind == QEvent.Type.Close and not getattr(self.window, "closing_allowed", False):
            event.ignore()
            return self._block()
        return False

    def _block(self) -> bool:
        self.blocked += 1
        return True
