"""What starts after the first frame: each step is a hook given the running kiosk.

Hooks run in order on the GUI thread and hand anything slow to a worker thread. A step that
fails is logged and the kiosk carries on without it (an absent printer or gateway is a banner,
not a crash). This module is part of the composition root, like ``kiosk/app/runtime.py``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from config.local import KioskSettings
from kiosk.shell.context import OFFERED, Offer
from kiosk.system.timers import named_timer

if TYPE_CHECKING:
    from config.catalogue import Service
    from kiosk.app.runtime import KioskRuntime, StartHook
    from kiosk.gateway_client.client import GatewayClient
    from kiosk.shell.context import KioskContext
    from offline_cache.alerts import TechnicianAlert

log = logging.getLogger("kiosk")

AVAILABILITY_TICK_MS = 60_000
STORAGE_FULL_ALERTS = ("disk_full", "outbox_full")
STORAGE_FREE_AGAIN_BYTES = 64 * 1024 * 1024


def out_of_order_hooks() -> list[StartHook]:
    """A kiosk that cannot serve (kiosk/cli/run.py says why) starts nothing but proof of life:
    no database, devices or gateway, READY=1 and the watchdog so systemd leaves it on screen."""
    return [start_gui_bridge, start_watchdog]


def hooks(settings: KioskSettings, demo: bool, demo_panel: bool = True) -> list[StartHook]:
    """The start-up steps after the first frame; the demo's control panel with ``demo`` unless ``demo_panel`` is off."""
    steps: list[StartHook] = [start_gui_bridge, start_offline_store, start_availability, start_gateway,
                              start_devices, start_watchdog, start_planned_maintenance, start_bundle_updates,
                              start_heartbeat, start_tidy_when_settled, start_idle_preparation]
    if demo and demo_panel:
        steps.append(start_demo_panel)
    return steps


def start_tidy_when_settled(runtime: KioskRuntime) -> None:
    """Once start-up has settled, give back what it freed (kiosk/hall/between_citizens.py)."""
    from kiosk.hall.between_citizens import tidy_once_settled

    tidy_once_settled(runtime.context.sessions)


def start_idle_preparation(runtime: KioskRuntime) -> None:
    """Screens made ready in the quiet moments between citizens (kiosk/app/preparation.py)."""
    from PySide6.QtCore import QTimer

    from kiosk.app.preparation import IdlePreparation
    from kiosk.hall.between_citizens import SETTLED_AFTER_START_MS

    runtime.preparation = IdlePreparation(runtime, parent=runtime.window)
    QTimer.singleShot(SETTLED_AFTER_START_MS, runtime.preparation.start)


def start_planned_maintenance(runtime: KioskRuntime) -> None:
    """The bundle's maintenance windows put the kiosk out of service (kiosk/hall/planned_maintenance.py)."""
    from kiosk.hall.planned_maintenance import PlannedMaintenance

    context = runtime.context
    context.services.planned_maintenance = PlannedMaintenance(context, parent=runtime.window)


def start_bundle_updates(runtime: KioskRuntime) -> None:
    """Signed configuration from the gateway, applied between sessions (kiosk/fleet/bundle_updates.py)."""
    from kiosk.fleet import bundle_updates

    bundle_updates.start_bundle_updates(runtime, poll_s=runtime.context.settings.fleet.bundle_poll_s)


def start_heartbeat(runtime: KioskRuntime) -> None:
    """The kiosk's heartbeat through the outbox (kiosk/fleet/heartbeat.py)."""
    from kiosk.fleet import heartbeat

    heartbeat.start_heartbeat(runtime, interval_s=runtime.context.settings.fleet.heartbeat_s)


def start_gui_bridge(runtime: KioskRuntime) -> None:
    from kiosk.shell.gui_thread import GuiThread

    runtime.context.services.gui = GuiThread(parent=runtime.window)


def start_offline_store(runtime: KioskRuntime) -> None:
    """The kiosk database: content cache and the durable outbox (opened here, drained by sync)."""
    from offline_cache.content import ContentCache
    from offline_cache.outbox import Outbox
    from offline_cache.sealing import Sealer
    from offline_cache.store import open_store

    context = runtime.context

    gui = context.services.gui
    assert gui is not None, "the kiosk's GUI thread hand-off starts before its store"

    def alert(item: TechnicianAlert) -> None:
        # Technicians see alerts in the log, the heartbeat and the diagnostics screen; when storage is
        # full, citizens see the services that must store something offered as unavailable.
        log.warning("technician alert %s: %s", item.code, item.message, extra={"event": "technician_alert"})
        if item.code in STORAGE_FULL_ALERTS:
            gui.post(lambda: _storage_full(context, True))

    store = open_store(context.settings.state_dir, quarantine_corrupt=True, on_alert=alert)
    context.services.store = store
    # Mailing requests carry a name, phone and address: every outbox payload is stored encrypted,
    # with a key that never leaves this kiosk's state directory (0600).
    sealer = Sealer.from_key_file(context.settings.state_dir / "outbox.key")
    context.services.outbox = Outbox(store, sealer=sealer, on_alert=alert)
    context.services.content = ContentCache(store)
    runtime.stop_hooks.append(store.close)


def start_availability(runtime: KioskRuntime) -> None:
    """One engine decides what can be offered; re-evaluated on every relevant event and each minute."""
    from config.calendar import load_calendar
    from kiosk.app.device_offers import device_states
    from kiosk.hall.availability import AvailabilityEngine, DeviceStates, KioskConditions, ServiceNeeds
    from kiosk.system.clock import SystemClock

    context = runtime.context
    engine = AvailabilityEngine(load_calendar())
    clock = context.services.clock = context.services.clock or SystemClock()
    context.services.availability = engine

    def conditions() -> KioskConditions:
        hub = context.services.devices
        devices = device_states(hub) if hub is not None else DeviceStates()
        content = context.services.content
        remote = context.services.remote_config  # the installed bundle, put in force by bundle_updates
        return KioskConditions(
            zone=context.settings.kiosk.zone,
            gateway_online=context.online,
            devices=devices,
            outbox_accepting=not context.services.storage_full,
            content_ages=content.ages() if content is not None else {},
            switched_off=remote.effective_features().switched_off() if remote is not None else frozenset(),
        )

    def rule(service: Service) -> Offer:
        try:
            verdict = engine.evaluate(ServiceNeeds.for_service(service), conditions(), clock.now())
        except ValueError:
            return OFFERED
        if verdict.available:
            notice = verdict.notices[0] if verdict.notices else None
            return Offer(True, notice.zh if notice else "", notice.en if notice else "")
        reason, alternative = verdict.reason, verdict.alternative
        return Offer(False, reason.zh if reason else "", reason.en if reason else "",
                     alternative.zh if alternative else "", alternative.en if alternative else "")

    context.set_offer_rule(rule)
    def minute() -> None:
        if context.services.storage_full:
            _storage_full(context, not _storage_has_room(context))
        context.availability_changed.emit()

    timer = named_timer(runtime.window, "availability-minute", interval_ms=AVAILABILITY_TICK_MS)
    timer.timeout.connect(minute)
    timer.start()


def _storage_full(context: KioskContext, full: bool) -> None:
    if context.services.storage_full != full:
        context.services.storage_full = full
        log.warning("storage %s", "full: services that store requests are paused" if full else "has room again")
        context.availability_changed.emit()


def _storage_has_room(context: KioskContext) -> bool:
    import shutil

    outbox = context.services.outbox
    try:
        free = shutil.disk_usage(context.settings.state_dir).free
        below_bound = outbox is None or outbox.counts()["unfinished"] < outbox.capacity
    except Exception:
        return False
    return free > STORAGE_FREE_AGAIN_BYTES and below_bound


def start_gateway(runtime: KioskRuntime) -> None:
    """The gateway client (and, in the demo, the reference gateway beside the kiosk) on a worker thread."""
    context = runtime.context
    settings = context.settings
    gui = context.services.gui
    assert gui is not None, "the kiosk's GUI thread hand-off starts before its gateway client"

    def bring_up() -> None:
        url = settings.gateway.url
        if settings.gateway.embedded:
            from gateway.embedded import EmbeddedGateway

            port = int(url.rsplit(":", 1)[1].split("/")[0]) if url.count(":") == 2 else 0
            embedded = EmbeddedGateway(settings.state_dir / "gateway.db", port=port)
            try:
                embedded.start()
            except Exception:
                embedded = EmbeddedGateway(settings.state_dir / "gateway.db", port=0)
                embedded.start()
            url = embedded.url
            runtime.stop_hooks.append(embedded.stop)
            log.info("reference gateway started at %s", url, extra={"event": "gateway_embedded"})
        gui.post(lambda: attach_client(runtime, url))

    threading.Thread(target=_logged(bring_up), name="gateway-start", daemon=True).start()


def attach_client(runtime: KioskRuntime, url: str) -> None:
    """Create the gateway client for ``url`` and start draining the outbox through it."""
    try:
        from kiosk.gateway_client.client import GatewayClient
    except ModuleNotFoundError:
        log.warning("no gateway client installed; the kiosk runs offline")
        runtime.context.set_online(False)
        return
    from offline_cache.sync import SyncWorker

    context = runtime.context
    settings = context.settings
    gui = context.services.gui
    assert gui is not None, "the kiosk's GUI thread hand-off starts before its gateway client"
    gateway_settings = replace(settings.gateway, url=url)
    client = GatewayClient.from_settings(
        replace(settings, gateway=gateway_settings),
        on_online_changed=lambda online: gui.post(lambda: context.set_online(online)),
    )
    context.services.gateway = client
    runtime.stop_hooks.append(client.close)
    _start_content_refresh(runtime, client)
    outbox = context.services.outbox
    if outbox is not None:
        def send(kind: str, key: str, payload: Mapping[str, Any]) -> object:
            # Outbox kinds are identifiers (payment_reconciliation); the HTTP contract spells them with
            # hyphens (payment-reconciliation).
            return client.post_outbox_entry(kind.replace("_", "-"), key, payload)

        sync = SyncWorker(outbox, send, reachable=lambda: context.online)
        sync.start()
        context.services.sync = sync
        runtime.stop_hooks.append(sync.stop)


CONTENT_REFRESH_MS = 15 * 60_000


def _start_content_refresh(runtime: KioskRuntime, client: GatewayClient) -> None:
    """Copy the gateway's guides into the offline cache now and every 15 minutes (ETag: cheap when unchanged)."""
    from kiosk.hall.guide_library import GuideLibrary

    context = runtime.context
    library = GuideLibrary(context.services.content, client)
    context.services.guides = library

    calls = context.services.calls
    assert calls is not None, "the kiosk's background calls start before its gateway client"

    def refresh() -> None:
        if context.online:
            calls.submit(library.refresh, lambda count: context.availability_changed.emit(),
                                             lambda error: log.info("content refresh failed: %s", error))

    timer = named_timer(runtime.window, "content-refresh", interval_ms=CONTENT_REFRESH_MS)
    timer.timeout.connect(refresh)
    timer.start()
    refresh()


PREPARE_PRINTING_AFTER_MS = 200


def start_devices(runtime: KioskRuntime) -> None:
    """Open the configured devices on worker threads and show their troubles in the banner."""
    from PySide6.QtCore import QTimer

    try:
        from kiosk.hardware.device_hub import DeviceHub
    except ModuleNotFoundError:
        log.warning("no device layer installed; printing and card reading unavailable")
        return
    context = runtime.context
    settings = context.settings
    from devices.speaker.speaker import VoicePolicy
    from kiosk.app.device_offers import recheck_offers_on_device_events
    from kiosk.hardware.voice import HallVoice

    hub = DeviceHub(
        idcard_url=settings.devices.idcard, printer_url=settings.devices.printer,
        scanner_url=settings.devices.scanner, printer_profile=settings.devices.printer_profile,
        center_domain=settings.kiosk.center_domain, state_dir=settings.state_dir, parent=runtime.window,
        a4printer_url=settings.devices.a4printer,
        speaker_url=settings.devices.speaker,
        device_settings={"policy": VoicePolicy.from_settings(settings.voice), "now": context.now},
    )
    context.services.devices = hub
    context.services.voice = HallVoice.for_hub(hub, settings.voice)
    context.services.voice.follow_bundles(context)  # a bundle's [voice]: volume and quiet hours from its next sound
    runtime.window.guidance.step_changed()  # the speaker button, now that there is a speaker
    hub.device_state_changed.connect(lambda device, state: _device_banner(runtime, device, state))
    recheck_offers_on_device_events(hub, context)
    hub.start()
    runtime.stop_hooks.append(hub.close)

    def citizen_here() -> None:
        # The receipt printer's library (python-escpos, ~11 MB) loads when the first citizen touches
        # the screen, on the printer's job thread, not when the printer opens: an unused kiosk stays
        # small. A moment later: the import holds Python's lock, so not while the touch's screen is drawn.
        runtime.idle.activity.disconnect(citizen_here)
        QTimer.singleShot(PREPARE_PRINTING_AFTER_MS, prepare_printing)

    def prepare_printing() -> None:
        if not hub.prepare_printing():  # the printer is not open yet: at the next touch
            runtime.idle.activity.connect(citizen_here)

    runtime.idle.activity.connect(citizen_here)


_DEVICE_NAMES = {"printer": ("打印机", "printer"), "idcard": ("身份证阅读器", "ID card reader"),
                 "scanner": ("扫码器", "scanner"), "a4printer": ("证明打印机", "document printer")}


def _device_banner(runtime: KioskRuntime, device: str, state: str) -> None:
    context = runtime.context
    zh, en = _DEVICE_NAMES.get(device, (device, device))
    if state in ("error", "offline", "closed"):
        context.set_alert(f"device:{device}", f"{zh}暂时无法使用", f"The {en} is out of order")
    else:
        context.set_alert(f"device:{device}", None)


def start_watchdog(runtime: KioskRuntime) -> None:
    """Under systemd: READY=1 after the first frame, WATCHDOG=1 from the GUI loop while healthy."""
    from kiosk.system.watchdog import EventLoopWatchdog

    services = runtime.context.services

    def healthy() -> bool:
        # The GUI loop turning is the main sign of life; a dead outbox drain is the other.
        sync = services.sync
        return sync is None or sync.running

    status = services.service_status
    watchdog = EventLoopWatchdog(runtime.window, healthy=healthy,
                                 on_health_changed=status.set_healthy if status is not None else None)
    watchdog.start()
    services.watchdog = watchdog
    runtime.stop_hooks.append(watchdog.stop)
    if status is not None:
        status.update()  # READY=1 has gone: from here on the line says how the kiosk serves


def start_demo_panel(runtime: KioskRuntime) -> None:
    """Demo only: the control panel beside the kiosk window (place a card, scan a code, paper out …)."""
    try:
        from kiosk.hardware.demo_devices import DemoDevices
        from screens.demo_panel import DemoPanel
    except ModuleNotFoundError:
        return
    panel = DemoPanel(DemoDevices(runtime.context))
    geometry = runtime.window.frameGeometry()
    panel.move(geometry.right() + 12, geometry.top())
    panel.show()
    runtime.context.services.demo_panel = panel


def _logged(fn: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception:
            log.exception("start-up step %s failed", fn.__name__)

    run.__name__ = fn.__name__
    return run

