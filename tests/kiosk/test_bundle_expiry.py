"""An installed bundle keeps being checked for expiry: at start and between sessions the kiosk goes back to
the last good bundle (if still valid) or its shipped defaults, says so in the log and in `kiosk diag`."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from config.local import demo_settings
from config.remote import NO_REMOTE_CONFIG
from kiosk.fleet.bundle_updates import BundleUpdates
from kiosk.fleet.config_updates import BundleStore
from kiosk.shell.services import KioskServices
from kiosk.system.clock import SettableClock
from kiosk.technician import diagnostics

CST = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
KEY = Ed25519PrivateKey.generate()
TRUSTED = [public_key_text(KEY.public_key())]


def signed(version: int, idle: int, days: float) -> bytes:
    issued = START - timedelta(hours=1)
    bundle, _ = build({"settings.toml": f"[timeouts]\nidle_timeout_s = {idle}\n"}, version=version,
                      issued_at=issued, expires_at=issued + timedelta(days=days), groups=("*",))
    return bundle.signed_with(KEY).to_bytes()


@pytest.fixture
def settings(tmp_path: Path):
    base = demo_settings(tmp_path / "state")
    return replace(base, security=replace(base.security, trusted_keys=TRUSTED))


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


def install(store: BundleStore, data: bytes) -> None:
    store.stage(data)
    store.apply_pending()
    store.confirm_good()


def idle(store: BundleStore) -> int | None:
    timeouts = store.current().timeouts
    return timeouts.idle_timeout_s if timeouts else None


def test_an_expired_bundle_gives_way_to_the_last_good_one_at_start(settings, clock, caplog):
    store = BundleStore.for_settings(settings, clock)
    install(store, signed(5, 120, days=60))
    store.install(signed(6, 200, days=2))  # `kiosk config apply`, then the kiosk stays off for days
    clock.advance(days=3)
    restarted = BundleStore.for_settings(settings, clock)
    with caplog.at_level(logging.ERROR, logger="fleet"):
        config = restarted.config_for_start()
    assert config.timeouts.idle_timeout_s == 120 and restarted.installed_version == 5
    assert "bundle version 6 expired" in caplog.text
    expiry = restarted.last_expiry()
    assert expiry.expired_version == 6 and expiry.restored_version == 5


def test_when_the_last_good_one_expired_too_the_defaults_come_back(settings, clock):
    store = BundleStore.for_settings(settings, clock)
    install(store, signed(5, 120, days=2))
    clock.advance(days=3)
    assert store.expire_if_due() is NO_REMOTE_CONFIG
    assert store.installed() is None and store.last_expiry().restored_version == 0
    assert store.expire_if_due() is None  # nothing more to do
    assert store.accepted_version == 5  # an expired version is not accepted again


def test_diag_names_the_expired_version_and_the_rolled_back_one(settings, clock):
    store = BundleStore.for_settings(settings, clock)
    install(store, signed(5, 120, days=2))
    clock.advance(days=3)
    store.expire_if_due()
    [finding] = diagnostics.configuration_finding(settings, clock)
    assert not finding.ok and "version 5 expired" in finding.text
    install(store, signed(7, 150, days=30))
    store.stage(signed(8, 160, days=30))
    store.apply_pending()
    store.rollback("the screens could not be built")
    [finding] = diagnostics.configuration_finding(settings, clock)
    assert "rolled back from 8" in finding.text and "None" not in finding.text
    assert "expired" not in finding.text  # version 7 replaced what the expiry fell back to


class Sessions:
    active = False

    def on_ended(self, _callback) -> None:
        pass


def test_the_running_kiosk_notices_expiry_between_sessions(qapp, settings, clock):
    store = BundleStore.for_settings(settings, clock)
    install(store, signed(5, 120, days=1))
    in_force: list = []
    told: list[dict] = []
    context = SimpleNamespace(sessions=Sessions(), services=KioskServices(),
                              set_remote_config=in_force.append, set_catalogue=lambda _c: None,
                              availability_changed=SimpleNamespace(emit=lambda: None),
                              settings=settings)
    updates = BundleUpdates(context, store, fetch=lambda _g, _v: None, report=told.append)
    updates._tell_later = told.append  # reports straight away
    context.sessions.active = True
    clock.advance(days=2)
    updates._fetched(False)
    assert idle(store) == 120  # a citizen is at the kiosk: nothing changes under them
    context.sessions.active = False
    updates._fetched(False)
    assert in_force == [NO_REMOTE_CONFIG] and store.installed() is None
    assert told == [{"version": 5, "outcome": "rolled_back", "reason": "expired",
                     "message": told[0]["message"]}]
