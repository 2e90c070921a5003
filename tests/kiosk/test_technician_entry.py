"""Technician entry: PIN hash, lockout that survives a restart, and the tamper-evident audit log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.errors import ConfigError
from kiosk.system.clock import SettableClock
from kiosk.technician.access import (
    GENESIS,
    LOCKOUT,
    MAX_ATTEMPTS,
    AuditLog,
    PinHash,
    TechnicianGate,
    check_pin_choice,
    hash_pin,
    verify_audit,
    verify_pin,
)

CST = ZoneInfo("Asia/Shanghai")
PIN = "270315"
# cheap parameters keep the tests fast; they travel inside the hash string like the real ones
CHEAP = hash_pin(PIN, n=2**10, r=8, p=1)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 11, 20, 14, 0, tzinfo=CST))


def gate(state: Path, clock: SettableClock, pin_hash: str | None = CHEAP) -> TechnicianGate:
    return TechnicianGate(state, pin_hash, clock)


def test_the_default_hash_is_slow_salted_and_self_describing():
    first, second = hash_pin(PIN), hash_pin(PIN)
    assert first != second  # salted
    assert first.startswith("scrypt$32768$8$1$") and PIN not in first
    assert verify_pin(PIN, first) and not verify_pin("270316", first)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$1024$8$1$salt$hash", "scrypt$1000$8$1$c2FsdHNhbHQ=$" + "A" * 44,
                                    "scrypt$4194304$8$1$c2FsdHNhbHQ=$" + "A" * 44, "bcrypt$1$2$3$4$5"])
def test_malformed_or_dangerous_stored_hashes_are_configuration_errors(stored, tmp_path, clock):
    with pytest.raises(ValueError):
        PinHash.parse(stored)
    if stored:
        with pytest.raises(ConfigError, match="technician_pin_hash"):
            gate(tmp_path, clock, stored)


@pytest.mark.parametrize(("pin", "problem"), [("12345", "6 to 12"), ("12a456", "6 to 12"), ("888888", "repeated"),
                                              ("123456", "consecutive"), ("987654", "consecutive"), (PIN, None)])
def test_weak_pin_choices_are_refused(pin, problem):
    found = check_pin_choice(pin)
    assert (found is None) if problem is None else (problem in found)


def test_right_pin_enters_and_is_audited_without_the_pin(tmp_path, clock):
    result = gate(tmp_path, clock).try_pin(PIN)
    assert result.accepted
    text = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action":"entry"' in text and PIN not in text


def test_five_wrong_pins_lock_entry_for_five_minutes_even_across_a_restart(tmp_path, clock):
    entry = gate(tmp_path, clock)
    left = [entry.try_pin("000001").attempts_left for _ in range(MAX_ATTEMPTS - 1)]
    assert left == [4, 3, 2, 1]
    locked = entry.try_pin("000001")
    assert locked.outcome == "locked" and locked.locked_until == clock.now() + LOCKOUT
    # the plug is pulled; the kiosk starts again a minute later
    clock.advance(minutes=1)
    restarted = gate(tmp_path, clock)
    assert restarted.locked_until() == datetime(2026, 11, 20, 14, 5, tzinfo=CST)
    assert restarted.try_pin(PIN).outcome == "locked"  # even the right PIN waits
    clock.advance(minutes=3, seconds=59)
    assert gate(tmp_path, clock).try_pin(PIN).outcome == "locked"
    clock.advance(seconds=1)
    assert gate(tmp_path, clock).try_pin(PIN).accepted
    actions = [e.action for e in AuditLog.in_state_dir(tmp_path, clock).entries()]
    assert actions == ["pin_refused"] * 4 + ["entry_locked", "entry_refused", "entry_refused", "entry"]


def test_after_a_lock_expires_there_are_five_attempts_again_and_success_resets(tmp_path, clock):
    entry = gate(tmp_path, clock)
    for _ in range(MAX_ATTEMPTS):
        entry.try_pin("000001")
    clock.advance(LOCKOUT)
    assert entry.try_pin("000001").attempts_left == 4
    assert entry.try_pin(PIN).accepted
    assert entry.try_pin("000001").attempts_left == 4


def test_wrong_pins_spread_over_restarts_still_count(tmp_path, clock):
    for _ in range(MAX_ATTEMPTS - 1):
        gate(tmp_path, clock).try_pin("000001")
    assert gate(tmp_path, clock).try_pin("000001").outcome == "locked"


def test_a_clock_set_back_never_locks_longer_than_the_lockout(tmp_path, clock):
    entry = gate(tmp_path, clock)
    for _ in range(MAX_ATTEMPTS):
        entry.try_pin("000001")
    clock.advance(timedelta(days=-1))
    assert entry.locked_until() == clock.now() + LOCKOUT


def test_a_damaged_lock_file_fails_closed(tmp_path, clock):
    (tmp_path / "technician-lock.json").write_text("{garbage", encoding="utf-8")
    assert gate(tmp_path, clock).try_pin(PIN).outcome == "locked"
    clock.advance(LOCKOUT)
    assert gate(tmp_path, clock).try_pin(PIN).accepted


def test_no_pin_configured_means_no_entry(tmp_path, clock):
    assert gate(tmp_path, clock, None).try_pin(PIN).outcome == "not_configured"


def test_the_audit_chain_is_intact_and_anchored(tmp_path, clock):
    audit = AuditLog.in_state_dir(tmp_path, clock)
    assert audit.head() == (0, GENESIS)
    for action in ("entry", "paper_replaced", "self_test", "exit"):
        audit.record(action, {"device": "printer"})
        clock.advance(seconds=30)
    check = verify_audit(audit.path)
    assert check.ok and check.lines == 4
    seq, head = audit.head()
    assert seq == 4 and len(head) == 64 and head != GENESIS
    assert [e.seq for e in audit.entries()] == [1, 2, 3, 4]


def test_an_edited_line_breaks_the_chain_at_the_next_line(tmp_path, clock):
    audit = AuditLog.in_state_dir(tmp_path, clock)
    for action in ("entry", "maintenance_on", "restart", "exit"):
        audit.record(action)
    lines = audit.path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("maintenance_on", "self_test")
    audit.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = verify_audit(audit.path)
    assert not check.ok and check.line_number == 3 and "chain broken" in check.problem


def test_a_removed_line_is_detected(tmp_path, clock):
    audit = AuditLog.in_state_dir(tmp_path, clock)
    for action in ("entry", "restart", "exit"):
        audit.record(action)
    lines = audit.path.read_text(encoding="utf-8").splitlines()
    audit.path.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    assert verify_audit(audit.path).line_number == 2


def test_a_torn_last_line_is_shown_and_the_log_goes_on(tmp_path, clock):
    audit = AuditLog.in_state_dir(tmp_path, clock)
    audit.record("entry")
    with audit.path.open("ab") as handle:
        handle.write(b'{"seq":2,"at":"2026-')  # power cut mid-write
    audit.record("exit")
    check = verify_audit(audit.path)
    assert not check.ok and check.line_number == 2 and "torn" in check.problem
    assert json.loads(audit.path.read_text(encoding="utf-8").splitlines()[-1])["action"] == "exit"


def test_audit_details_never_carry_personal_data(tmp_path, clock):
    audit = AuditLog.in_state_dir(tmp_path, clock)
    audit.record("self_test", {"device": "idcard", "note": "read 350203194803120021 ok, phone 13812345678"})
    audit.record("self_test", "read 350203194803120021")
    text = audit.path.read_text(encoding="utf-8")
    assert "350203194803120021" not in text and "13812345678" not in text
    with pytest.raises(ValueError):
        audit.record("Deleted Everything; DROP")
