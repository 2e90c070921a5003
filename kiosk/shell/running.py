"""The running kiosk as a start-up hook below the composition root sees it (kiosk/app/runtime.py builds it).

The fleet's hooks (heartbeat, bundle updates) need the context, the window to redraw, the idle watch
and a place to leave their stop step; they take this protocol, so they never import the root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QWidget

from kiosk.shell.context import KioskContext
from kiosk.shell.idle import IdleWatch


class RunningKiosk(Protocol):
    context: KioskContext
    idle: IdleWatch
    stop_hooks: list[Callable[[], object]]

    @property
    def window(self) -> QWidget: ...
