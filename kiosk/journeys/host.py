"""Runs one journey at a time for the window: builds its environment, feeds it device events.

The host is the Qt-side owner of the active journey. It connects the device hub's queued
signals to the journey's ``on_*`` methods while the journey runs, arms the card reader only for
journeys that need a card, and cancels the journey when the citizen leaves or the session ends.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from config.catalogue import Service
from kiosk.journeys.base import Journey, JourneyEnv
from kiosk.shell.context import KioskContext
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SystemClock

log = logging.getLogger("kiosk.journeys")

_DEVICE_SIGNALS = (
    ("card_placed", "on_card"),
    ("card_removed", "on_card_removed"),
    ("card_error", "on_card_error"),
    ("code_scanned", "on_scan"),
    ("code_rejected", "on_scan_rejected"),
)


class JourneyHost(QObject):
    journey_started = Signal(object)
    journey_ended = Signal(object)

    def __init__(self, context: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.journey: Journey | None = None
        self._connections: list[tuple[Any, Any]] = []
        context.sessions.on_ended(lambda reason: self.end())

    def environment(self) -> JourneyEnv:
        """What the next journey runs with: the kiosk's services and the configuration bundle in force."""
        services = self.context.services
        settings = self.context.settings
        header: tuple[str, ...] = ()
        footer: tuple[str, ...] = ()
        ems_mailing = True
        remote = services.remote_config  # put in force by kiosk.fleet.bundle_updates
        if remote is not None:
            # A part the bundle leaves out is the kiosk's default: the local [session], no extra lines.
            settings = replace(settings, session=remote.session_settings(settings.session))
            receipts = remote.effective_receipts()
            header, footer = receipts.header(), receipts.footer()
            ems_mailing = remote.effective_features().ems_mailing
        return JourneyEnv(
            settings=settings,
            catalogue=self.context.catalogue,
            session=self.context.sessions.current,
            calls=services.calls or ImmediateCalls(),
            gateway=services.gateway,
            devices=services.devices,
            outbox=services.outbox,
            clock=services.clock or SystemClock(),
            online=lambda: self.context.online,
            offer=self.context.offer,
            extras=services.extras(),
            receipt_header=header,
            receipt_footer=footer,
            ems_mailing=ems_mailing,
            closed_counters=self._closed_counters,
        )

    def _closed_counters(self) -> Any:
        """The counters closed now (kiosk/hall/closed_counters.py), imported when a journey first asks:
        its calendar rules are not needed for the first frame."""
        from kiosk.hall.closed_counters import for_kiosk

        return for_kiosk(self.context.services.availability, self.context.settings, self.context.now())

    def begin(self, name: str, service: Service | None = None) -> Journey:
        """End any running journey and start ``name`` for ``service``."""
        self.end()
        factory = self.context.journeys[name]
        journey = factory(self.environment(), service)
        self.journey = journey
        self.context.sessions.current.journey = name
        self._connect(journey)
        self.journey_started.emit(journey)
        return journey

    def end(self) -> None:
        journey, self.journey = self.journey, None
        if journey is None:
            return
        self._disconnect(journey)
        journey.cancel()
        self.journey_ended.emit(journey)

    def _connect(self, journey: Journey) -> None:
        hub = self.context.services.devices
        if hub is None:
            return
        for signal_name, method_name in _DEVICE_SIGNALS:
            signal = getattr(hub, signal_name, None)
            if signal is not None:
                slot = getattr(journey, method_name)
                signal.connect(slot)
                self._connections.append((signal, slot))
        if journey.needs_card and hasattr(hub, "arm_card_reader"):
            hub.arm_card_reader()

    def _disconnect(self, journey: Journey) -> None:
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._connections.clear()
        hub = self.context.services.devices
        if journey.needs_card and hub is not None and hasattr(hub, "disarm_card_reader"):
            hub.disarm_card_reader()
