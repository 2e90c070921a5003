"""The fleet console in headless Chromium against a real gateway and a running kiosk.

The gateway runs as a child process (``EmbeddedGateway``) started with ``--admin-password-file`` and
``--trusted-key``. The kiosk is the real runtime with its real heartbeat sender, outbox, sync worker,
gateway client and bundle updates. The admin logs in, sees the kiosk online from its heartbeats,
uploads a signed bundle for the canary group, watches the kiosk apply it (its catalogue changes and
its next heartbeat reports the new version), promotes it to everyone and opens the kiosk's detail.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from config.local import DEFAULTS_DIR

PASSWORD = "fleet-console-e2e-password"


def signed_catalogue_bundle(key: Ed25519PrivateKey, version: int, catalogue_version: str) -> bytes:
    text = (DEFAULTS_DIR / "catalogue.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2026.11-default"', f'version = "{catalogue_version}"')
    issued = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    made, _ = build({"catalogue.toml": text}, version=version, issued_at=issued,
                    expires_at=issued + timedelta(days=7), groups=["*"])
    return made.signed_with(key).to_bytes()


@pytest.fixture
def fleet_gateway(tmp_path):
    from gateway.embedded import EmbeddedGateway

    key = Ed25519PrivateKey.generate()
    public = public_key_text(key.public_key())
    password_file = tmp_path / "admin-password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    gateway = EmbeddedGateway(tmp_path / "gateway" / "gateway.db", demo=True,
                              extra_args=("--admin-password-file", str(password_file), "--trusted-key", public))
    gateway.start()
    yield gateway, key, public
    gateway.stop()


@pytest.fixture
def fleet_kiosk(qtbot, tmp_path, fleet_gateway):
    from config.local import demo_settings
    from kiosk.app import startup
    from kiosk.app.runtime import build_runtime
    from kiosk.fleet.bundle_updates import start_bundle_updates
    from kiosk.fleet.heartbeat import start_heartbeat
    from kiosk.shell import i18n

    gateway, _, public = fleet_gateway
    settings = demo_settings(tmp_path / "state")
    settings = replace(settings, gateway=replace(settings.gateway, url=gateway.url, embedded=False),
                       security=replace(settings.security, trusted_keys=[public]),
                       kiosk=replace(settings.kiosk, group="canary"))
    hooks = [startup.start_gui_bridge, startup.start_offline_store, startup.start_availability]
    runtime = build_runtime(settings, kiosk_mode=False, start_hooks=hooks)
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    qtbot.waitUntil(lambda: runtime.first_frame_s is not None, timeout=10_000)
    startup.attach_client(runtime, gateway.url)
    start_bundle_updates(runtime, poll_s=1.0, first_check_ms=500)
    start_heartbeat(runtime, interval_s=2.0)
    yield runtime
    runtime.stop()
    runtime.context.close()
    i18n.set_language("zh")


def test_console_lists_real_heartbeats_and_a_published_bundle_reaches_the_kiosk(
        playwright_browser, fleet_gateway, fleet_kiosk, qtbot, tmp_path):
    gateway, key, _ = fleet_gateway
    context = fleet_kiosk.context
    assert context.catalogue.version == "2026.11-default"
    bundle_path = tmp_path / "bundle-v2.json"
    bundle_path.write_bytes(signed_catalogue_bundle(key, 2, "2026.12-fleet-e2e"))

    browser_context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    page = browser_context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(gateway.url + "/fleet/")
        page.fill("#password", "wrong password!")
        page.click("#login-button")
        assert "Wrong password" in page.inner_text("#login-message")
        page.fill("#password", PASSWORD)
        page.click("#login-button")
        page.wait_for_selector("#kiosks")

        # the kiosk's own heartbeats (outbox → sync worker → gateway client → gateway) make it online
        row = page.wait_for_selector('tr[data-kiosk="XM-HALL-001"].online')
        assert "canary" in row.inner_text() and "在线 online" in row.inner_text()
        assert "从未收到心跳" in page.inner_text('tr[data-kiosk="XM-24H-001"]')  # registered, never heard from

        page.set_input_files("#bundle-file", str(bundle_path))
        page.fill("#bundle-group", "canary")
        page.click("#publish-button")
        # (text selectors, not wait_for_function: the console's CSP rightly forbids evaluating strings)
        page.wait_for_selector('#publish-message:has-text("Published version 2")')
        assert "试点 canary" in page.inner_text('#rollouts tr[data-version="2"]')

        # the kiosk fetches it, verifies it against its pinned key and applies it (no citizen at the kiosk)
        qtbot.waitUntil(lambda: context.catalogue.version == "2026.12-fleet-e2e", timeout=20_000)
        assert context.services.bundles.installed_version == 2
        page.wait_for_selector('tr[data-kiosk="XM-HALL-001"] .config-version:has-text("config v2")')
        page.wait_for_selector('#rollouts tr[data-version="2"]:has-text("1 / 0")')

        page.click('#rollouts tr[data-version="2"] button.promote')
        page.wait_for_selector('#rollout-message:has-text("promoted to everyone")')
        page.wait_for_selector('#rollouts tr[data-version="2"]:has-text("全部 everyone")')

        page.click('tr[data-kiosk="XM-HALL-001"] a')
        page.wait_for_selector("#detail:not([hidden])")
        assert page.inner_text("#detail-id") == "XM-HALL-001"
        page.wait_for_selector('#detail-reports:has-text("applied")')
        page.screenshot(path=str(tmp_path / "fleet-console.png"), full_page=True)
        assert errors == []
    finally:
        browser_context.close()
