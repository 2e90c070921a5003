"""Bundles fetched from the gateway: staged, applied only between citizen sessions, rolled back when the
screens cannot come up, and every refusal leaving the running configuration as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from config.local import DEFAULTS_DIR
from kiosk.fleet.bundle_updates import BundleUpdates
from kiosk.fleet.config_updates import BundleStore
from kiosk.shell.worker import ImmediateCalls

KEY = Ed25519PrivateKey.generate()
CATALOGUE = (DEFAULTS_DIR / "catalogue.toml").read_text(encoding="utf-8")


def bundle(version: int, key=KEY, groups=("*",), catalogue_version: str | None = None, days: float = 30,
           issued: datetime | None = None) -> bytes:
    text = CATALOGUE.replace('version = "2026.11-default"', f'version = "{catalogue_version or f"fleet-{version}"}"')
    issued = issued or datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    made, _ = build({"catalogue.toml": text}, version=version, issued_at=issued,
                    expires_at=issued + timedelta(days=days), groups=list(groups))
    return made.signed_with(key).to_bytes() if key is not None else made.to_bytes()


class Gateway:
    """Stands in for the gateway: offers one bundle file and collects the kiosk's reports."""

    def __init__(self) -> None:
        self.offer: bytes | None = None
        self.reports: list[dict] = []
        self.asked: list[int] = []

    def fetch(self, group: str, installed: int) -> bytes | None:
        self.asked.append(installed)
        return self.offer

    def report(self, body: dict) -> None:
        self.reports.append(body)


@pytest.fixture
def updates(kiosk, tmp_path):
    from kiosk.system.clock import SystemClock

    kiosk.context.services.calls = ImmediateCalls()
    store = BundleStore(kiosk.context.settings.state_dir, [public_key_text(KEY.public_key())], "canary",
                        SystemClock())
    gateway = Gateway()
    made = BundleUpdates(kiosk.context, store, fetch=gateway.fetch, report=gateway.report,
                         render=kiosk.window.grab, runtime=kiosk, poll_s=3600, parent=kiosk.window)
    made.gateway = gateway
    return made


def test_a_new_bundle_waits_for_the_citizen_then_applies_and_is_confirmed(updates, kiosk, qtbot):
    before = kiosk.context.catalogue.version
    kiosk.context.sessions.current  # noqa: B018 (a citizen is at the kiosk)
    updates.gateway.offer = bundle(3)
    updates.check_now()
    assert updates.store.pending().version == 3 and kiosk.context.catalogue.version == before
    with qtbot.waitSignal(updates.applied, timeout=5000) as applied:
        kiosk.context.sessions.end("finish")
    assert applied.args == [3]
    assert kiosk.context.catalogue.version == "fleet-3"
    assert updates.store.installed_version == 3 and updates.store.last_good_version() == 3
    assert updates.store.awaiting_confirmation() is None
    assert [r["outcome"] for r in updates.gateway.reports] == ["staged", "applied"]
    updates.check_now()  # the same file again: nothing to do
    assert updates.gateway.asked[-1] == 3 and updates.store.pending() is None


@pytest.mark.parametrize("case, reason", [
    ("wrong key", "unknown_key"), ("unsigned", "bad_signature"), ("not newer", "not_newer"),
    ("expired", "expired"), ("other group", "wrong_group"), ("malformed", "malformed"), ("oversized", "oversized"),
    ("schema", "schema_invalid"),
])
def test_each_refused_bundle_leaves_the_running_configuration_alone(updates, kiosk, case, reason):
    updates.gateway.offer = bundle(5)
    updates.check_now()
    assert kiosk.context.catalogue.version == "fleet-5"
    now = datetime.now(UTC).replace(microsecond=0)
    offers = {
        "wrong key": lambda: bundle(6, key=Ed25519PrivateKey.generate()),
        "unsigned": lambda: bundle(6, key=None),
        "not newer": lambda: bundle(5, catalogue_version="again-5"),
        "expired": lambda: bundle(6, issued=now - timedelta(days=3), days=1),
        "other group": lambda: bundle(6, groups=("lobby",)),
        "malformed": lambda: b'{"format": "xm-kiosk-bundle", "header": ',
        "oversized": lambda: b" " * (updates.store.max_size + 1),
        "schema": lambda: _signed_but_invalid(now),
    }
    updates.gateway.offer = offers[case]()
    updates.check_now()
    assert updates.gateway.reports[-1]["outcome"] == "refused" and updates.gateway.reports[-1]["reason"] == reason
    assert kiosk.context.catalogue.version == "fleet-5" and updates.store.installed_version == 5
    assert updates.store.last_refusal().reason == reason and updates.store.pending() is None


def _signed_but_invalid(now: datetime) -> bytes:
    from config.bundle import Bundle

    made, _ = build({"settings.toml": 'theme = "standard"\n'}, version=6, issued_at=now - timedelta(minutes=1),
                    expires_at=now + timedelta(days=1), groups=["*"])
    return Bundle(made.header, {"settings.toml": 'theme = "neon"\n'}).signed_with(KEY).to_bytes()


def test_a_bundle_that_cannot_bring_the_screens_up_is_rolled_back(updates, kiosk, qtbot):
    updates.gateway.offer = bundle(7)
    updates.check_now()
    assert kiosk.context.catalogue.version == "fleet-7"

    def broken_render() -> None:
        raise RuntimeError("home screen could not be built")

    updates._render = broken_render
    updates.gateway.offer = bundle(8)
    with qtbot.waitSignal(updates.rolled_back, timeout=5000):
        updates.check_now()
    assert kiosk.context.catalogue.version == "fleet-7" and updates.store.installed_version == 7
    assert updates.gateway.reports[-1]["outcome"] == "rolled_back"
    assert updates.store.last_rollback().failed_version == 8
    updates._render = kiosk.window.grab
    updates.check_now()  # version 8 is never taken again
    assert updates.store.installed_version == 7 and updates.gateway.asked[-1] == 8


def test_a_trial_left_by_a_crash_rolls_back_at_the_next_start(updates, kiosk):
    updates.gateway.offer = bundle(2)
    updates.check_now()
    updates.store.stage(bundle(4))
    updates.store.apply_pending(start_now=True)  # then the process "dies" before confirming
    updates.start(first_check_ms=3_600_000)
    assert updates.store.installed_version == 2 and kiosk.context.catalogue.version == "fleet-2"
    assert any(r["outcome"] == "rolled_back" and r["version"] == 4 for r in updates.gateway.reports)


def test_a_gateway_failure_is_only_logged(updates, kiosk, qtbot):
    def offline(group: str, installed: int) -> bytes | None:
        raise ConnectionError("gateway unreachable")

    updates._fetch = offline
    with qtbot.waitSignal(updates.checked, timeout=5000):
        updates.check_now()
    assert updates.store.installed_version == 0 and kiosk.context.catalogue.version == "2026.11-default"
