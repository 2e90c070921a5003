"""The kiosk's bundle store: refusals leave the running configuration alone; apply, confirm, roll back."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import Bundle, BundleRefused, build, parse, public_key_text
from config.errors import ConfigError
from config.remote import NO_REMOTE_CONFIG
from kiosk.fleet import config_updates
from kiosk.fleet.config_updates import BundleStore
from kiosk.system.clock import SettableClock

CST = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
OLD_KEY = Ed25519PrivateKey.generate()
NEW_KEY = Ed25519PrivateKey.generate()
STRANGER = Ed25519PrivateKey.generate()
TRUSTED = [public_key_text(OLD_KEY.public_key()), public_key_text(NEW_KEY.public_key())]


def bundle_bytes(version: int, *, idle: int = 90, key: Ed25519PrivateKey = OLD_KEY, groups=("canary",),
                 issued: datetime = START - timedelta(hours=1), days: float = 30) -> bytes:
    files = {"settings.toml": f"[timeouts]\nidle_timeout_s = {idle}\n"}
    bundle, _ = build(files, version=version, issued_at=issued, expires_at=issued + timedelta(days=days),
                      groups=groups)
    return bundle.signed_with(key).to_bytes()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


def open_store(state: Path, clock: SettableClock, max_size: int = 1 << 20) -> BundleStore:
    return BundleStore(state, TRUSTED, "canary", clock, max_size=max_size)


@pytest.fixture
def store(tmp_path: Path, clock: SettableClock) -> BundleStore:
    """A kiosk running version 5 (idle timeout 120 s), confirmed good."""
    store = open_store(tmp_path, clock)
    store.stage(bundle_bytes(5, idle=120))
    store.apply_pending()
    store.confirm_good()
    return store


def running_idle(store: BundleStore) -> int | None:
    timeouts = store.current().timeouts
    return timeouts.idle_timeout_s if timeouts else None


def _tampered() -> bytes:
    document = json.loads(bundle_bytes(6))
    document["files"]["settings.toml"] = "[timeouts]\nidle_timeout_s = 600\n"
    return json.dumps(document).encode()


def _schema_invalid() -> bytes:
    # signed by a pinned key but never validated by `bundle build`
    header = parse(bundle_bytes(6)).header
    return Bundle(header, {"settings.toml": "[timeouts]\nidle_timeout_s = 1\n"}).signed_with(OLD_KEY).to_bytes()


REFUSED = {
    "bad_signature": _tampered,
    "unknown_key": lambda: bundle_bytes(6, key=STRANGER),
    "not_newer": lambda: bundle_bytes(5, idle=200),
    "expired": lambda: bundle_bytes(6, issued=START - timedelta(days=40)),
    "not_yet_valid": lambda: bundle_bytes(6, issued=START + timedelta(days=1)),
    "wrong_group": lambda: bundle_bytes(6, groups=("hall-2f",)),
    "malformed": lambda: b'{"format": "xm-kiosk-bundle", "header": {}}',
    "oversized": lambda: bundle_bytes(6) + b" " * 4096,
    "schema_invalid": _schema_invalid,
}


@pytest.mark.parametrize("reason", sorted(REFUSED))
def test_each_refusal_leaves_the_running_configuration_untouched(store, tmp_path, clock, reason, caplog):
    before = (store.installed().digest, store.current(), store.accepted_version)
    small = open_store(tmp_path, clock, max_size=len(bundle_bytes(6)) + 100)
    with caplog.at_level(logging.WARNING, logger="fleet"), pytest.raises(BundleRefused) as caught:
        small.stage(REFUSED[reason]())
    assert caught.value.reason == reason
    assert (store.installed().digest, store.current(), store.accepted_version) == before
    assert running_idle(store) == 120 and store.pending() is None
    assert small.apply_pending() is None  # nothing slipped into pending
    # logged under fleet and kept for the heartbeat, across a restart
    assert any(r.name == "fleet" and reason in r.getMessage() for r in caplog.records)
    again = open_store(tmp_path, clock)
    assert again.last_refusal().reason == reason
    assert again.status()["last_refusal"]["reason"] == reason
    assert again.status()["installed_version"] == 5


def test_a_bad_pinned_key_is_a_configuration_error_at_start(tmp_path, clock):
    with pytest.raises(ConfigError, match=r"trusted_keys\[0\]"):
        BundleStore(tmp_path, ["not-a-key"], "canary", clock)


def test_key_rotation_bundle_signed_by_the_second_key_applies(store):
    assert store.stage(bundle_bytes(6, idle=200, key=NEW_KEY)).version == 6
    assert store.apply_pending().timeouts.idle_timeout_s == 200


def test_staging_changes_nothing_until_applied_between_sessions(store):
    store.stage(bundle_bytes(6, idle=200))
    assert running_idle(store) == 120 and store.pending().version == 6
    config = store.apply_pending()
    assert config.timeouts.idle_timeout_s == 200 and running_idle(store) == 200
    assert store.pending() is None and store.awaiting_confirmation() == 6
    assert store.last_good_version() == 5
    store.confirm_good()
    assert store.awaiting_confirmation() is None and store.last_good_version() == 6
    leftovers = [p.name for p in store.folder.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_the_same_bundle_fetched_again_is_quietly_ignored(store, caplog):
    installed = store.installed_path.read_bytes()
    assert store.stage(installed) is None
    data = bundle_bytes(6)
    assert store.stage(data).version == 6
    assert store.stage(data) is None
    assert store.last_refusal() is None


def test_a_lower_bundle_cannot_replace_a_higher_pending_one(store):
    store.stage(bundle_bytes(8))
    with pytest.raises(BundleRefused) as caught:
        store.stage(bundle_bytes(7))
    assert caught.value.reason == "not_newer" and store.pending().version == 8


def test_the_same_refusal_counts_up_instead_of_flooding_the_log(store, caplog):
    data = bundle_bytes(6, key=STRANGER)
    with caplog.at_level(logging.WARNING, logger="fleet"):
        for _ in range(3):
            with pytest.raises(BundleRefused):
                store.stage(data)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert store.last_refusal().count == 3 and len(store.refusals()) == 1


def test_rollback_in_process_restores_the_last_good_and_never_takes_the_bad_version_again(store):
    store.stage(bundle_bytes(6, idle=200))
    store.apply_pending()
    config = store.rollback("home screen failed to build")
    assert config.timeouts.idle_timeout_s == 120 and running_idle(store) == 120
    assert store.awaiting_confirmation() is None
    rollback = store.last_rollback()
    assert (rollback.failed_version, rollback.restored_version) == (6, 5)
    assert "home screen" in rollback.why
    with pytest.raises(BundleRefused) as caught:
        store.stage(bundle_bytes(6, idle=200))
    assert caught.value.reason == "not_newer"
    assert store.stage(bundle_bytes(7, idle=100)).version == 7


def test_a_crash_before_confirmation_rolls_back_at_the_next_start(store, tmp_path, clock):
    store.stage(bundle_bytes(6, idle=200))
    store.apply_pending()
    # the process dies here: screens never confirmed. Next start:
    restarted = open_store(tmp_path, clock)
    config = restarted.config_for_start()
    assert config.timeouts.idle_timeout_s == 120
    assert restarted.installed_version == 5 and restarted.accepted_version == 6
    assert restarted.last_rollback().failed_version == 6
    assert restarted.status()["last_rollback"]["restored_version"] == 5


def test_rollback_without_a_last_good_bundle_returns_to_the_defaults(tmp_path, clock):
    store = open_store(tmp_path, clock)
    store.stage(bundle_bytes(1))
    store.apply_pending()
    assert store.rollback() == NO_REMOTE_CONFIG
    assert store.installed() is None and store.installed_version == 0 and store.accepted_version == 1


def test_installed_from_the_command_line_is_tried_once_at_the_next_start(store, tmp_path, clock):
    assert store.install(bundle_bytes(6, idle=200)).version == 6
    store.confirm_good()  # the running application has not started with it: no effect
    assert store.awaiting_confirmation() == 6 and store.last_good_version() == 5
    first = open_store(tmp_path, clock)
    assert first.config_for_start().timeouts.idle_timeout_s == 200
    # that start also dies before its screens are up
    second = open_store(tmp_path, clock)
    assert second.config_for_start().timeouts.idle_timeout_s == 120
    assert second.last_rollback().failed_version == 6


def test_installed_from_the_command_line_and_confirmed_at_start(store, tmp_path, clock):
    store.install(bundle_bytes(6, idle=200))
    started = open_store(tmp_path, clock)
    assert started.config_for_start().timeouts.idle_timeout_s == 200
    started.confirm_good()
    assert open_store(tmp_path, clock).config_for_start().timeouts.idle_timeout_s == 200
    assert started.last_good_version() == 6 and started.last_rollback() is None


def test_power_cut_between_marker_and_swap_keeps_the_old_bundle_and_the_pending_one(store, tmp_path, clock,
                                                                                     monkeypatch):
    real = config_updates.write_atomically

    def cut_before_installing(path, data, mode=0o600):
        if path.name == "installed.json":
            raise OSError("power cut")
        real(path, data, mode)

    store.stage(bundle_bytes(6, idle=200))
    monkeypatch.setattr(config_updates, "write_atomically", cut_before_installing)
    with pytest.raises(OSError):
        store.apply_pending()
    monkeypatch.setattr(config_updates, "write_atomically", real)
    restarted = open_store(tmp_path, clock)
    assert restarted.config_for_start().timeouts.idle_timeout_s == 120
    assert restarted.awaiting_confirmation() is None and restarted.last_rollback() is None
    assert restarted.apply_pending().timeouts.idle_timeout_s == 200  # the pending bundle was not lost


def test_a_pending_bundle_that_expired_while_waiting_is_dropped(store, clock):
    store.stage(bundle_bytes(6, days=1))
    clock.advance(days=2)
    assert store.apply_pending() is None
    assert store.pending() is None and store.last_refusal().reason == "expired"
    assert running_idle(store) == 120


def test_a_damaged_installed_file_is_not_trusted(store, caplog):
    text = store.installed_path.read_text(encoding="utf-8").replace("120", "600")
    store.installed_path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="fleet"):
        assert store.current() == NO_REMOTE_CONFIG
    assert "can no longer be trusted" in caplog.text
    assert store.accepted_version == 5  # an old bundle still cannot be replayed


def test_status_for_the_heartbeat_is_json(store):
    store.stage(bundle_bytes(6))
    status = store.status()
    assert json.loads(json.dumps(status)) == status
    assert status["installed_version"] == 5 and status["pending_version"] == 6
    assert status["last_good_version"] == 5 and status["awaiting_confirmation"] is None
