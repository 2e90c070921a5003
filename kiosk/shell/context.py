"""The kiosk's running state as the screens see it, and the signals that tell them it changed.

This is where Qt meets the rest of the application: the settings and catalogue, the citizen
session, language and elderly mode, whether the gateway is reachable, which devices are out of
order, and whether a service can be offered right now. Screens read it and connect to its
signals; they never reach past it to devices, the cache or the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from config.catalogue import Catalogue, Service
from config.local import KioskSettings
from kiosk.shell import i18n
from kiosk.shell.services import KioskServices
from kiosk.shell.session import SessionKeeper
from kiosk.system.clock import SystemClock

log = logging.getLogger("kiosk")


@dataclass(frozen=True)
class Offer:
    """Whether a service can be offered now, and if not why and what to do instead (zh/en)."""

    available: bool
    reason_zh: str = ""
    reason_en: str = ""
    alternative_zh: str = ""
    alternative_en: str = ""

    def reason(self) -> str:
        return i18n.pick(self.reason_zh, self.reason_en)

    def alternative(self) -> str:
        return i18n.pick(self.alternative_zh, self.alternative_en)


OFFERED = Offer(True)


@dataclass(frozen=True)
class OutOfOrder:
    """Why the kiosk cannot serve at all (no usable configuration, no writable state directory).

    ``zh``/``en`` are what citizens read on the out-of-service screen (never a path or anything
    personal); ``detail`` is for technicians: the journal and ``systemctl status``.
    """

    zh: str
    en: str
    detail: str


class KioskContext(QObject):
    language_changed = Signal(str)
    elderly_changed = Signal(bool)
    online_changed = Signal(bool)
    alerts_changed = Signal()
    availability_changed = Signal()
    maintenance_changed = Signal(bool)
    catalogue_changed = Signal()
    remote_config_changed = Signal()  # a fleet bundle's configuration was put in force, or taken away

    def __init__(self, settings: KioskSettings, catalogue: Catalogue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.catalogue = catalogue
        self.sessions = SessionKeeper()
        self.elderly = False
        self.online = True
        self.maintenance_by_technician = False
        self.planned_maintenance: Any | None = None  # the bundle's MaintenanceWindow in force, if any
        self.out_of_order: OutOfOrder | None = None  # set once at start-up when the kiosk cannot serve
        self.demo = False  # the demo configuration: the header says so on every screen
        self._alerts: dict[str, tuple[str, str]] = {}
        self._offer_rule: Callable[[Service], Offer] = lambda service: OFFERED
        # Verdicts hold until something they depend on changes (availability_changed, emitted on
        # every such event and once a minute); a screen asks for dozens of them per render.
        self._offers: dict[str, Offer] = {}
        self.availability_changed.connect(self._offers.clear)
        # journey name -> factory(environment, service) returning a journey object (kiosk/journeys:
        # the environment is a kiosk.journeys.base.JourneyEnv, a room above this one)
        self.journeys: dict[str, Callable[[Any, Service | None], Any]] = {}
        # services the application attaches after the first frame (device hub, gateway client …)
        self.services = KioskServices()
        self._forget_language = i18n.on_language_changed(self.language_changed.emit)
        i18n.set_language(settings.language)
        self.sessions.on_ended(lambda _reason: self.fresh_for_next_citizen())  # first: before any screen shows

    # -- language and mode -------------------------------------------------------------
    def set_language(self, language: i18n.Language) -> None:
        i18n.set_language(language)

    def set_elderly(self, elderly: bool) -> None:
        if elderly != self.elderly:
            self.elderly = elderly
            self.elderly_changed.emit(elderly)

    def fresh_for_next_citizen(self) -> None:
        """What a citizen chose for their visit (language, elderly mode) goes with them: the kiosk's own again."""
        self.set_elderly(False)
        if i18n.current_language() != self.settings.language:
            self.set_language(self.settings.language)

    # -- health -----------------------------------------------------------------------
    def set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            log.info("gateway %s", "reachable" if online else "unreachable", extra={"event": "online_changed"})
            self.online_changed.emit(online)
            self.availability_changed.emit()

    def set_alert(self, key: str, text_zh: str | None, text_en: str = "") -> None:
        """Raise (or with ``None`` clear) a banner message, e.g. a printer out of paper."""
        if text_zh is None:
            if self._alerts.pop(key, None) is None:
                return
        else:
            if self._alerts.get(key) == (text_zh, text_en):
                return
            self._alerts[key] = (text_zh, text_en)
        self.alerts_changed.emit()
        self.availability_changed.emit()

    def alerts(self) -> list[str]:
        return [i18n.pick(zh, en) for zh, en in self._alerts.values()]

    def alert_keys(self) -> list[str]:
        """The keys of the raised alerts (``device:printer`` …), for technicians' summaries."""
        return list(self._alerts)

    @property
    def maintenance(self) -> bool:
        """Whether citizens see the out-of-service screen: the kiosk cannot serve, a technician said so,
        or a planned window is on."""
        return self.out_of_order is not None or self.maintenance_by_technician or self.planned_maintenance is not None

    @property
    def maintenance_reason(self) -> str:
        """``out_of_order`` (nothing can be done here), ``technician`` (their word comes before a plan),
        ``planned`` (a window of the bundle) or ``off``."""
        if self.out_of_order is not None:
            return "out_of_order"
        if self.maintenance_by_technician:
            return "technician"
        return "planned" if self.planned_maintenance is not None else "off"

    def set_maintenance(self, on: bool) -> None:
        """The technician's maintenance mode (during a planned window too: the screen then says why)."""
        if on != self.maintenance_by_technician:
            self.maintenance_by_technician = on
            self.maintenance_changed.emit(self.maintenance)

    def set_out_of_order(self, reason: OutOfOrder) -> None:
        """The kiosk cannot serve at all; citizens see why on the out-of-service screen until it restarts."""
        self.out_of_order = reason
        self.maintenance_changed.emit(True)

    def set_planned_maintenance(self, window: Any | None) -> None:
        """A planned window of the bundle in force begins (``config.remote.MaintenanceWindow``) or ends (None)."""
        if window == self.planned_maintenance:
            return
        was = self.maintenance
        self.planned_maintenance = window
        if self.maintenance != was or window is not None:  # (another window: its text is shown)
            self.maintenance_changed.emit(self.maintenance)

    def now(self) -> datetime:
        """The hall's time: ``services.clock`` (set by tests, demos and the technician), else the system clock
        in Xiamen's zone, whatever the machine's own."""
        return (self.services.clock or SystemClock()).now()

    # -- the fleet's configuration --------------------------------------------------------
    def set_remote_config(self, config: Any | None) -> None:
        """Put a bundle's configuration (``config.remote.RemoteConfig``) in force for the screens;
        ``None`` gives back the kiosk's own defaults. Kept in ``services.remote_config``."""
        if config is None and self.services.remote_config is None:
            return
        self.services.remote_config = config
        self.remote_config_changed.emit()

    # -- what can be offered ------------------------------------------------------------
    def set_offer_rule(self, rule: Callable[[Service], Offer]) -> None:
        self._offer_rule = rule
        self.availability_changed.emit()

    def offer(self, service: Service) -> Offer:
        offer = self._offers.get(service.id)
        if offer is None:
            offer = self._offers[service.id] = self._offer_rule(service)
        return offer

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._offers.clear()
        self.catalogue_changed.emit()

    def close(self) -> None:
        self._forget_language()
