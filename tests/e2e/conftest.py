"""A live kiosk for end-to-end tests: the real window and journeys, the device hub on the wire-level
simulators (sim://), and a gateway client talking to the reference gateway on 127.0.0.1.

``live_kiosk`` yields a :class:`LiveKiosk` with the runtime, the gateway URL and the running
simulators (``printer``, ``idcard``, ``scanner``, the A4 printer ``a4printer``), once every device is open
and the gateway answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest


@dataclass
class LiveKiosk:
    runtime: Any
    gateway_url: str
    printer: Any
    idcard: Any
    scanner: Any
    a4printer: Any = None

    @property
    def window(self):
        return self.runtime.window

    @property
    def context(self):
        return self.runtime.context

    @property
    def hub(self):
        return self.runtime.context.services.devices


@pytest.fixture(scope="session")
def reference_gateway(tmp_path_factory):
    from gateway.embedded import EmbeddedGateway

    gateway = EmbeddedGateway(tmp_path_factory.mktemp("gateway") / "gateway.db").start()
    yield gateway
    gateway.stop()


@pytest.fixture
def live_kiosk(qtbot, tmp_path: Path, reference_gateway):
    from config.local import demo_settings
    from devices import simulators
    from kiosk.app import startup
    from kiosk.app.runtime import build_runtime
    from kiosk.shell import i18n
    from kiosk.system.clock import HALL_ZONE, SettableClock

    settings = demo_settings(tmp_path / "state")
    settings = replace(settings, gateway=replace(settings.gateway, url=reference_gateway.url, embedded=False))
    def hall_open(runtime) -> None:
        # Journeys are offered by the hall calendar: stand on an ordinary Wednesday morning so the
        # tests mean the same at lunchtime, at night and on holidays.
        runtime.context.services.clock = SettableClock(datetime(2026, 11, 25, 10, 0, tzinfo=HALL_ZONE))

    hooks = [hall_open, startup.start_gui_bridge, startup.start_offline_store, startup.start_availability,
             startup.start_devices]
    runtime = build_runtime(settings, kiosk_mode=False, start_hooks=hooks)
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    qtbot.waitUntil(lambda: runtime.first_frame_s is not None, timeout=10_000)
    startup.attach_client(runtime, reference_gateway.url)
    hub = runtime.context.services.devices
    qtbot.waitUntil(lambda: all(hub.device(name) is not None
                                for name in ("idcard", "printer", "scanner", "a4printer")), timeout=15_000)
    kiosk = LiveKiosk(runtime, reference_gateway.url, simulators.running("printer"),
                      simulators.running("idcard"), simulators.running("scanner"), simulators.running("a4printer"))
    yield kiosk
    runtime.context.sessions.end("finish")
    runtime.stop()
    runtime.context.close()
    simulators.stop_all()
    i18n.set_language("zh")


# -- the fleet console's browser: Debian's Chromium driven by playwright ------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium, installed with apt if missing (playwright's own download does not work here)."""
    if not CHROMIUM.exists() and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for attempt in range(4):  # apt may be locked for a while by another install on the machine
            subprocess.run([*sudo, "apt-get", "update", "-q"], capture_output=True, timeout=600, env=env)
            done = subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "chromium"], capture_output=True,
                                  timeout=900, env=env)
            if done.returncode == 0 or attempt == 3:
                break
            time.sleep(10)
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium and `apt-get install -y chromium` failed")
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_browser(chromium):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        yield browser
        browser.close()
