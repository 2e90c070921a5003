"""The one line a technician reads in ``systemctl status kiosk`` (sd_notify ``STATUS=``).

Start-up says what it is doing (``starting: reading configuration``, ``starting: opening the
window``); once the first frame is on screen the line says whether the kiosk serves and how:

    ready: kiosk XM-HALL-F1-01, gateway online, devices ok
    ready: kiosk XM-HALL-F1-01, gateway offline, devices fault (printer)
    out of service: technician maintenance
    out of service: this kiosk is not configured (/etc/kiosk/kiosk.toml: file not found)
    stopping: waiting up to 8 s for the citizen's session to end

It is sent when it changes, never on a timer. Nothing personal ever goes into it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.shell.context import KioskContext
from lifecycle import systemd_notify

log = logging.getLogger("kiosk")

DEVICE_ALERT = "device:"


def describe(context: KioskContext, healthy: bool = True) -> str:
    """The status line for the kiosk as it is now."""
    broken = context.out_of_order
    if broken is not None:
        return f"out of service: {broken.detail}"
    if not healthy:
        return "unhealthy: watchdog keep-alives withheld"
    reason = context.maintenance_reason
    if reason == "technician":
        return "out of service: technician maintenance"
    if reason == "planned":
        return "out of service: planned maintenance window"
    faults = sorted(key[len(DEVICE_ALERT):] for key in context.alert_keys() if key.startswith(DEVICE_ALERT))
    devices = f"devices fault ({', '.join(faults)})" if faults else "devices ok"
    gateway = "gateway online" if context.online else "gateway offline"
    demo = " (DEMO configuration)" if context.demo else ""
    return f"ready: kiosk {context.settings.kiosk.id}{demo}, {gateway}, {devices}"


class ServiceStatus(QObject):
    """Keeps systemd's status line current: sent on each change of what :func:`describe` says."""

    def __init__(self, context: KioskContext, send: Callable[[str], bool] = systemd_notify.status,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("service-status")
        self._context = context
        self._send = send
        self._healthy = True
        self._held: str | None = None
        self.line = ""
        for changed in (context.online_changed, context.alerts_changed, context.maintenance_changed):
            changed.connect(self.update)

    def update(self, *_args: object) -> None:
        """Work out the line again; send it only when it differs from the last one."""
        line = self._held or describe(self._context, self._healthy)
        if line != self.line:
            self.line = line
            self._send(line)
            log.info("status: %s", line, extra={"event": "service_status"})

    def set_healthy(self, healthy: bool) -> None:
        """The watchdog's verdict (kiosk/system/watchdog.py): unhealthy shows until it recovers."""
        self._healthy = healthy
        self.update()

    def hold(self, line: str) -> None:
        """A line that stays whatever else changes (the kiosk is stopping)."""
        self._held = line
        self.update()
