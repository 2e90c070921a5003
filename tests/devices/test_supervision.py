"""The supervision loop the card reader, printer and scanner share, on a device whose rounds are scripted."""

from __future__ import annotations

import threading
import time

import pytest

from contract.backoff import Backoff
from devices.errors import DeviceOffline, DeviceOperationError
from devices.model import DeviceState, StatusKind
from devices.supervision import SupervisedDevice


class ScriptedDevice(SupervisedDevice):
    """Each round takes the next step of ``script``: a delay to return, or an exception to raise."""

    kind = "scripted"

    def __init__(self, script: list[float | BaseException]) -> None:
        super().__init__("scripted", backoff=Backoff(0.01, 0.04))
        self.script = script
        self.connected = True
        self.done = threading.Event()
        self.drops = 0
        self.lost = 0

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        pass

    def _enable(self) -> None:
        self._start_supervision("script")

    def _disable(self) -> None:
        self._stop_supervision(2)

    def _round(self) -> float:
        if not self.script:
            self.done.set()
            return 0.05
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        if not self.connected:
            self.connected = True
            self._went_online()
        return step

    def _drop_connection(self) -> None:
        self.connected = False
        self.drops += 1

    def _lost(self, exc: Exception) -> None:
        self.lost += 1


def _run(script: list[float | BaseException]) -> tuple[ScriptedDevice, list[tuple[StatusKind, str]]]:
    device = ScriptedDevice(script)
    events: list[tuple[StatusKind, str]] = []
    device.add_listener(lambda e: events.append((e.kind, e.detail)))
    device.start()
    try:
        assert device.done.wait(5)
    finally:
        device.close()
    return device, events


def _kinds(events: list[tuple[StatusKind, str]]) -> list[StatusKind]:
    return [kind for kind, _ in events if kind in (StatusKind.OFFLINE, StatusKind.ONLINE)]


def test_going_away_reports_offline_once_and_coming_back_online_once() -> None:
    gone = DeviceOffline("port vanished", device="scripted")
    device, events = _run([0, gone, gone, gone, 0, 0])
    assert _kinds(events) == [StatusKind.OFFLINE, StatusKind.ONLINE]
    assert device.drops == 3 and device.lost == 1 and device.online
    assert device.statistics.get("errors") == 1


def test_a_failure_while_online_is_an_error_state_and_the_thread_goes_on() -> None:
    device, events = _run([0, DeviceOperationError("jammed", device="scripted"), 0])
    assert (StatusKind.STATE, "jammed") in events
    assert device.last_error is not None and device.last_error.technician == "jammed"
    assert device.online and _kinds(events) == []


def test_a_bug_in_a_round_is_logged_reported_and_survived(caplog: pytest.LogCaptureFixture) -> None:
    device, _events = _run([0, ZeroDivisionError("oops"), 0])
    assert "unexpected failure" in caplog.text and "ZeroDivisionError" in caplog.text
    assert device.last_error is not None and "internal error: ZeroDivisionError" in device.last_error.technician


def test_the_back_off_grows_while_offline_and_starts_again_after_reconnecting() -> None:
    device = ScriptedDevice([])
    gone = DeviceOffline("port vanished", device="scripted")
    delays = [device._went_offline(gone) for _ in range(4)]
    assert delays == [0.01, 0.02, 0.04, 0.04]
    device._went_online()
    assert device._went_offline(gone) == 0.01
    device.close()


def test_waking_up_ends_the_wait_between_rounds() -> None:
    device = ScriptedDevice([30.0, 0])
    device.start()
    try:
        time.sleep(0.05)
        started = time.monotonic()
        device._wake_up()
        assert device.done.wait(2) and time.monotonic() - started < 1
    finally:
        device.close()
    assert device.state == DeviceState.CLOSED


def test_stopping_ends_a_long_wait_at_once() -> None:
    device = ScriptedDevice([30.0])
    device.start()
    time.sleep(0.05)
    started = time.monotonic()
    device.close()
    assert time.monotonic() - started < 1


