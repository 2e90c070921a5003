"""``kiosk diag``: the diagnosis without a running kiosk.

It reads the configuration file itself, opens each configured device (:func:`device_checks`), opens
the database if the kiosk ever started here, builds its own gateway client and runs the diagnostics
screen's other checks (:func:`diag_checks`). Importing this module adds both to
:data:`kiosk.technician.checks.CHECKS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from config.local import KioskSettings, demo_settings, load_settings
from kiosk.system.places import DEFAULT_CONFIG, DEMO_STATE_DIR
from kiosk.technician.checks import CheckResult, DeviceConfig, add_check
from kiosk.technician.diagnostics import Sources, log_file_for, paper_roll_for, service_findings

log = logging.getLogger("fleet")


@add_check
def device_checks(config: DeviceConfig) -> list[CheckResult]:
    """Open each configured device, ask for its internal and external health, close it."""
    from devices.errors import DeviceError
    from devices.model import HealthLevel
    from devices.registry import create_device

    results = []
    for name, url in config.urls.items():
        shown = url.split("?", 1)[0]
        try:
            device = create_device(name, url, **config.device_options())
            with device:
                external = device.check_health(HealthLevel.EXTERNAL)
                internal = device.check_health(HealthLevel.INTERNAL)
        except DeviceError as exc:
            results.append(CheckResult(name, False, f"{shown}: {exc.phase} error: {exc.technician}"))
            continue
        results.append(CheckResult(name, external.ok, f"{shown}: {external.text}", "external"))
        results.append(CheckResult(name, True, internal.text, "internal"))
    return results


def _settings_for(config: DeviceConfig) -> KioskSettings:
    path = getattr(config, "settings_file", None)
    if path:
        return load_settings(path)
    if DEFAULT_CONFIG.exists():
        return load_settings(DEFAULT_CONFIG)
    return demo_settings(DEMO_STATE_DIR.resolve())


def headless_sources(settings: KioskSettings) -> tuple[Sources, Callable[[], None]]:
    """Sources for ``kiosk diag``: the database if it exists, and a gateway client of its own. Returns a closer."""
    from kiosk.gateway_client.client import GatewayClient

    closers: list[Callable[[], None]] = []
    sources = Sources(settings, paper=paper_roll_for(settings), log_file=log_file_for(settings))
    from offline_cache import store as store_module

    database = Path(settings.state_dir) / store_module.DEFAULT_FILENAME
    if database.exists():
        from offline_cache.content import ContentCache
        from offline_cache.outbox import Outbox

        store = store_module.open_store(settings.state_dir)
        closers.append(store.close)
        sources.store, sources.outbox, sources.content = store, Outbox(store), ContentCache(store)
    # one attempt, no background prober: a diagnosis reports, it does not wait for the network
    client = GatewayClient.from_settings(settings, retries=0, probe_interval_s=3600.0)
    closers.append(client.close)
    sources.gateway = client

    def close() -> None:
        for closer in reversed(closers):
            try:
                closer()
            except Exception:
                log.exception("closing after diagnosis failed")

    return sources, close


@add_check
def diag_checks(config: DeviceConfig) -> list[CheckResult]:
    """`kiosk diag`: the same non-device checks as the diagnostics screen."""
    settings = _settings_for(config)
    sources, close = headless_sources(settings)
    try:
        return list(service_findings(sources))
    finally:
        close()
