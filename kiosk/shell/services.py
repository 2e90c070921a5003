"""What the application attaches to the context as it starts: one named, typed field a service.

Every field is ``None`` (``storage_full``: ``False``) until the start-up step that makes it has
run (kiosk/app/runtime.py before the first frame, kiosk/app/startup.py after it), so a screen or a
journey asks ``if context.services.gateway is not None`` and a test sets just what it needs.
Services of the rooms above the shell are typed with the protocols of the journeys' ports where
there is one, else ``Any`` (their classes live above this module: docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the cache, the bundles' schemas: loaded after the first frame, not by this module
    from config.remote import RemoteConfig
    from kiosk.shell.gui_thread import GuiThread
    from kiosk.shell.idle import IdleWatch
    from kiosk.shell.service_status import ServiceStatus
    from kiosk.shell.shutdown import GracefulStop
    from kiosk.shell.worker import BackgroundCalls
    from kiosk.system.clock import Clock
    from kiosk.system.watchdog import EventLoopWatchdog
    from offline_cache.content import ContentCache
    from offline_cache.outbox import Outbox
    from offline_cache.store import Store
    from offline_cache.sync import SyncWorker

# the ones a journey takes as its own ports (kiosk/journeys/host.py); the rest are its extras
JOURNEY_PORTS = ("calls", "gateway", "devices", "outbox", "clock")


@dataclass
class KioskServices:
    # before the first frame (kiosk/app/runtime.py)
    calls: BackgroundCalls | None = None
    journeys: Any = None  # kiosk.journeys.host.JourneyHost
    idle: IdleWatch | None = None
    service_status: ServiceStatus | None = None
    stop: GracefulStop | None = None
    clock: Clock | None = None  # tests, the demo and the technician set one; else the system clock
    # after the first frame (kiosk/app/startup.py)
    gui: GuiThread | None = None
    watchdog: EventLoopWatchdog | None = None
    store: Store | None = None
    outbox: Outbox | None = None
    content: ContentCache | None = None
    storage_full: bool = False
    gateway: Any = None  # kiosk.gateway_client.client.GatewayClient
    sync: SyncWorker | None = None
    devices: Any = None  # kiosk.hardware.device_hub.DeviceHub
    paper_roll: Any = None  # kiosk.hardware.paper_roll.PaperRoll
    voice: Any = None  # kiosk.hardware.voice.HallVoice (spoken guidance through the loudspeaker)
    guides: Any = None  # kiosk.hall.guide_library.GuideLibrary
    availability: Any = None  # kiosk.hall.availability.AvailabilityEngine
    planned_maintenance: Any = None  # kiosk.hall.planned_maintenance.PlannedMaintenance
    technician: Any = None  # kiosk.technician.mode.TechnicianMode
    bundles: Any = None  # kiosk.fleet.config_updates.BundleStore
    bundle_updates: Any = None  # kiosk.fleet.bundle_updates.BundleUpdates
    heartbeat: Any = None  # kiosk.fleet.heartbeat.HeartbeatSender
    demo_panel: Any = None  # screens.demo_panel.DemoPanel (the demo only)
    # put in force by kiosk.fleet.bundle_updates; None: the kiosk's own defaults
    remote_config: RemoteConfig | None = None

    def extras(self) -> dict[str, Any]:
        """The services a journey gets besides its ports (``JourneyEnv.extras``): the ones set."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in JOURNEY_PORTS and getattr(self, f.name) not in (None, False)}
