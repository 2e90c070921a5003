"""Qt timers with a name (what a watchdog report or a test sees), one-shot or repeating."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer


def named_timer(parent: QObject, name: str, *, single_shot: bool = False, interval_ms: int | None = None) -> QTimer:
    timer = QTimer(parent)
    timer.setObjectName(name)
    timer.setSingleShot(single_shot)
    if interval_ms is not None:
        timer.setInterval(interval_ms)
    return timer
