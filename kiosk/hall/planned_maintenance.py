"""Planned maintenance: the windows of the bundle in force put the kiosk out of service, between citizens.

A configuration bundle can carry ``maintenance.toml`` (``config.remote.MaintenanceWindow``): from
``from`` until ``until`` citizens see the out-of-service screen with the window's text and when
service resumes. A window that begins while a citizen is being served waits until that session
ends (nobody is cut off in the middle of a payment); its end is applied at once. The technician's
own maintenance mode is separate (``KioskContext.maintenance_by_technician``) and stays as the
technician left it.

The check runs when a bundle is put in force, when a session ends and at the next edge of a window
(re-checked at least once a minute, so a clock that was set meanwhile is followed).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from kiosk.hall.calendar import Wording, when_wording
from kiosk.shell.context import KioskContext
from kiosk.system.timers import named_timer

log = logging.getLogger("kiosk.maintenance")

MAX_WAIT_MS = 60_000


class PlannedMaintenance(QObject):
    """Follows the maintenance windows of ``services.remote_config`` on the hall clock."""

    def __init__(self, context: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._next = named_timer(self, "planned-maintenance", single_shot=True)
        self._next.timeout.connect(self.check)
        context.remote_config_changed.connect(self.check)
        context.sessions.on_ended(lambda _reason: self.check())

    def check(self) -> None:
        now = self.context.now()
        remote = self.context.services.remote_config
        window = remote.maintenance_at(now) if remote is not None else None
        if window != self.context.planned_maintenance and (window is None or not self.context.sessions.active):
            if window is not None:
                log.warning("planned maintenance %s until %s: out of service", window.id, window.until.isoformat(),
                            extra={"event": "planned_maintenance_on"})
            elif self.context.planned_maintenance is not None:
                log.info("planned maintenance %s over", self.context.planned_maintenance.id,
                         extra={"event": "planned_maintenance_off"})
            self.context.set_planned_maintenance(window)
        edge = remote.next_maintenance_edge(now) if remote is not None else None
        if edge is None:
            self._next.stop()
        else:
            wait_ms = (edge - now).total_seconds() * 1000 + 200  # just past the edge
            self._next.start(int(min(MAX_WAIT_MS, max(200.0, wait_ms))))


def resume_wording(now: datetime, window: Any) -> Wording:
    """The window's own text and when service resumes: "系统维护，预计今天 20:00 恢复服务"."""
    when = when_wording(now, window.until)
    return Wording(zh=f"{window.text_zh}，预计{when.zh} 恢复服务",
                   en=f"{window.text_en}: expected back at {when.en}")


def sample_window(now: datetime) -> Any:
    """A window in force at ``now``, ending on the hour two hours on (for ``kiosk tour``)."""
    from datetime import timedelta

    from config.remote import MaintenanceWindow

    return MaintenanceWindow(id="tour", starts=now - timedelta(hours=1),
                             until=(now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0),
                             text_zh="系统升级", text_en="System upgrade")
