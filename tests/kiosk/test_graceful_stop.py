"""Stopping on SIGTERM/SIGINT: at once between citizens, after the session (or the grace period) during one."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kiosk.shell.session import SessionKeeper
from kiosk.shell.shutdown import GracefulStop


@pytest.fixture
def stop(qapp, no_systemd):
    made: list[GracefulStop] = []

    def make(sessions: SessionKeeper, grace_s: float = 5.0) -> tuple[GracefulStop, list[float], list[str]]:
        quits: list[float] = []
        lines: list[str] = []
        stopper = GracefulStop(sessions, lambda: quits.append(time.monotonic()), grace_s=grace_s,
                               on_status=lines.append)
        made.append(stopper)
        return stopper, quits, lines

    yield make
    for stopper in made:
        stopper.uninstall()


@pytest.fixture
def no_systemd(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)


def test_between_citizens_the_kiosk_quits_at_once(stop) -> None:
    stopper, quits, lines = stop(SessionKeeper())
    stopper.request("SIGTERM")
    assert len(quits) == 1
    assert lines == ["stopping"]


def test_during_a_session_it_waits_for_the_session_to_end(qtbot, stop) -> None:
    sessions = SessionKeeper()
    sessions.current  # noqa: B018 (a citizen is at the kiosk)
    stopper, quits, lines = stop(sessions, grace_s=5)
    stopper.request("SIGTERM")
    qtbot.wait(100)
    assert quits == []
    assert lines == ["stopping: waiting up to 5 s for the citizen's session to end"]
    sessions.end("finish")
    assert len(quits) == 1
    sessions.end("idle")  # a later session end changes nothing
    assert len(quits) == 1


def test_during_a_session_it_quits_after_the_grace_period(qtbot, stop) -> None:
    sessions = SessionKeeper()
    sessions.current  # noqa: B018
    stopper, quits, _lines = stop(sessions, grace_s=0.3)
    asked = time.monotonic()
    stopper.request("SIGTERM")
    qtbot.waitUntil(lambda: bool(quits), timeout=3000)
    assert 0.25 <= quits[0] - asked < 1.5


def test_a_second_signal_quits_at_once(stop) -> None:
    sessions = SessionKeeper()
    sessions.current  # noqa: B018
    stopper, quits, _lines = stop(sessions, grace_s=10)
    stopper.request("SIGTERM")
    assert quits == []
    stopper.request("SIGINT")
    assert len(quits) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_real_signal_wakes_an_idle_event_loop(qtbot, stop, signum) -> None:
    stopper, quits, _lines = stop(SessionKeeper())
    before = signal.getsignal(signum)
    stopper.install()
    assert signal.getsignal(signum) is not before
    qtbot.wait(50)
    sent = time.monotonic()
    os.kill(os.getpid(), signum)
    qtbot.waitUntil(lambda: bool(quits), timeout=2000)
    assert quits[0] - sent < 0.5  # no polling timer: the wakeup socket brings it at once
    stopper.uninstall()
    assert signal.getsignal(signum) is before  # the previous handler is back
