"""sd_notify without libsystemd: the datagrams systemd would receive, and what happens without it."""

from __future__ import annotations

import logging
import os

import pytest

from lifecycle import systemd_notify


@pytest.fixture
def listener(notify_listener):
    return notify_listener


def test_each_helper_sends_its_field(listener) -> None:
    assert systemd_notify.ready()
    assert systemd_notify.watchdog()
    assert systemd_notify.stopping()
    assert systemd_notify.status("printer:\n paper low")
    listener.wait_for("STATUS=printer: paper low")
    assert [d.fields for d in listener.received] == [
        ("READY=1",), ("WATCHDOG=1",), ("STOPPING=1",), ("STATUS=printer: paper low",)]


def test_several_fields_travel_in_one_datagram(listener) -> None:
    assert systemd_notify.notify("READY=1", "STATUS=started")
    listener.wait_for("READY=1")
    assert [d.fields for d in listener.received] == [("READY=1", "STATUS=started")]


def test_abstract_namespace_socket(abstract_notify_listener) -> None:
    assert abstract_notify_listener.address.startswith("@")
    assert systemd_notify.ready()
    abstract_notify_listener.wait_for("READY=1")
    assert [d.fields for d in abstract_notify_listener.received] == [("READY=1",)]


def test_outside_systemd_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert systemd_notify.ready() is False
    assert systemd_notify.watchdog() is False


def test_unreachable_socket_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "gone"))
    with caplog.at_level(logging.WARNING, logger="lifecycle"):
        assert systemd_notify.watchdog() is False
    assert "cannot notify systemd" in caplog.text


def test_malformed_socket_address_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", "relative/notify")
    with caplog.at_level(logging.WARNING, logger="lifecycle"):
        assert systemd_notify.ready() is False
    assert "neither a path nor an abstract socket" in caplog.text


@pytest.mark.parametrize("field", ["READY", "STATUS=two\nlines"])
def test_malformed_fields_are_refused(listener, field: str) -> None:
    with pytest.raises(ValueError, match="KEY=value"):
        systemd_notify.notify(field)
    assert listener.received == []


@pytest.mark.parametrize(
    ("usec", "pid", "expected"),
    [
        ("30000000", None, 30.0),
        ("500000", "self", 0.5),
        ("500000", "parent", 0.5),  # cage is the service's main process, we are its child
        ("500000", "other", None),
        ("500000", "nonsense", None),
        ("0", None, None),
        ("-5", None, None),
        ("soon", None, None),
        (None, None, None),
    ],
)
def test_watchdog_interval(monkeypatch: pytest.MonkeyPatch, usec, pid, expected) -> None:
    if usec is None:
        monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    else:
        monkeypatch.setenv("WATCHDOG_USEC", usec)
    pids = {"self": str(os.getpid()), "parent": str(os.getppid()), "other": "1" if os.getpid() != 1 else "2"}
    if pid is None:
        monkeypatch.delenv("WATCHDOG_PID", raising=False)
    else:
        monkeypatch.setenv("WATCHDOG_PID", pids.get(pid, pid))
    assert systemd_notify.watchdog_interval() == expected
