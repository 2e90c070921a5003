"""The GUI event loop's proof of life, as systemd would see it on $NOTIFY_SOCKET.

READY=1 exactly once after the first painted frame, WATCHDOG=1 while healthy, none while the
event loop is blocked, none while the health callback says no. A real QApplication
(offscreen) and a real datagram socket; timing windows are measured, not assumed.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kiosk.system.watchdog import EventLoopWatchdog

# systemd's WatchdogSec=0.3 → keep-alive every 150 ms.
WATCHDOG_USEC = 300_000
KEEPALIVE_S = WATCHDOG_USEC / 1_000_000 / 2


@pytest.fixture
def systemd(notify_listener, monkeypatch: pytest.MonkeyPatch):
    """$NOTIFY_SOCKET plus a configured watchdog, as kiosk.service provides them."""
    monkeypatch.setenv("WATCHDOG_USEC", str(WATCHDOG_USEC))
    return notify_listener


def arrived(qtbot, systemd, field: str, count: int = 1, timeout_s: float = 3.0) -> list:
    """Run the event loop until ``count`` datagrams with ``field`` arrived; return them all."""
    qtbot.waitUntil(lambda: len(systemd.with_field(field)) >= count, timeout=int(timeout_s * 1000))
    return systemd.with_field(field)


@pytest.fixture
def window(qtbot):
    label = QLabel("厦门市行政服务中心")
    qtbot.addWidget(label)
    return label


def test_ready_once_after_first_frame_then_keepalives(qtbot, systemd, window) -> None:
    watchdog = EventLoopWatchdog(window)
    assert watchdog.keepalive_interval_s == pytest.approx(KEEPALIVE_S)
    watchdog.start_after_first_frame(window)
    qtbot.wait(50)  # a running event loop without a shown window must not report ready
    assert systemd.received == []
    assert not watchdog.ready_sent

    with qtbot.waitSignal(watchdog.readySent, timeout=3000):
        window.show()
    assert window.windowHandle().isExposed()
    beats = arrived(qtbot, systemd, "WATCHDOG=1", 4)
    assert len(beats) >= 4
    watchdog.start()  # a second start (e.g. after a screen change) must not repeat READY
    arrived(qtbot, systemd, "WATCHDOG=1", 6)

    ready = systemd.with_field("READY=1")
    assert len(ready) == 1
    assert ready[0].at <= beats[0].at
    gaps = [b.at - a.at for a, b in zip(beats, beats[1:], strict=False)]
    assert max(gaps) < WATCHDOG_USEC / 1_000_000  # always inside systemd's window


def test_ready_when_the_window_was_already_on_screen(qtbot, systemd, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    watchdog = EventLoopWatchdog(window)
    with qtbot.waitSignal(watchdog.readySent, timeout=3000):
        watchdog.start_after_first_frame(window.windowHandle())
    assert len(arrived(qtbot, systemd, "READY=1")) == 1


def test_no_keepalive_while_the_event_loop_is_blocked(qtbot, systemd, window) -> None:
    watchdog = EventLoopWatchdog(window)
    window.show()
    watchdog.start_after_first_frame(window)
    arrived(qtbot, systemd, "WATCHDOG=1", 3)
    assert len(systemd.with_field("WATCHDOG=1")) >= 3

    blocked: dict[str, float] = {}

    def hang() -> None:
        blocked["from"] = time.monotonic()
        time.sleep(1.0)  # the bug under test: a slot that blocks the GUI thread
        blocked["to"] = time.monotonic()

    QTimer.singleShot(0, hang)
    qtbot.waitUntil(lambda: "to" in blocked, timeout=5000)
    before = len([d for d in systemd.with_field("WATCHDOG=1") if d.at <= blocked["to"]])
    arrived(qtbot, systemd, "WATCHDOG=1", before + 2)  # the loop is back: keep-alives resume

    beats = systemd.with_field("WATCHDOG=1")
    # A datagram sent just before the block may be stamped a moment later by the receiver thread.
    during = [d for d in beats if blocked["from"] + 0.05 < d.at < blocked["to"]]
    assert during == []
    assert blocked["to"] - blocked["from"] >= 1.0
    last_before = max(d.at for d in beats if d.at <= blocked["from"] + 0.05)
    first_after = min(d.at for d in beats if d.at >= blocked["to"])
    assert first_after - last_before >= 0.9
    assert any(d.at > first_after for d in beats)
    assert len(systemd.with_field("READY=1")) == 1


def test_no_keepalive_while_unhealthy_and_resumes_after(qtbot, systemd, window) -> None:
    state = {"healthy": True, "asked": 0}

    def healthy() -> bool:
        state["asked"] += 1
        return state["healthy"]

    watchdog = EventLoopWatchdog(window, healthy=healthy)
    window.show()
    watchdog.start_after_first_frame(window)
    arrived(qtbot, systemd, "WATCHDOG=1", 2)

    state["healthy"] = False
    asked_before = state["asked"]
    sick_from = time.monotonic()
    qtbot.wait(int(KEEPALIVE_S * 1000 * 5))  # measured window: five keep-alive periods
    sick_to = time.monotonic()
    assert state["asked"] - asked_before >= 3  # the timer kept asking; the answer was no
    assert [d for d in systemd.with_field("WATCHDOG=1") if sick_from + 0.05 < d.at < sick_to] == []
    assert arrived(qtbot, systemd, "STATUS=unhealthy: watchdog keep-alives withheld")

    state["healthy"] = True
    count = len(systemd.with_field("WATCHDOG=1"))
    assert len(arrived(qtbot, systemd, "WATCHDOG=1", count + 2)) >= count + 2
    assert arrived(qtbot, systemd, "STATUS=running")


def test_a_health_check_that_raises_counts_as_unhealthy(qtbot, systemd, window, caplog) -> None:
    def broken() -> bool:
        raise RuntimeError("device hub lost")

    watchdog = EventLoopWatchdog(window, healthy=broken)
    with qtbot.waitSignal(watchdog.readySent, timeout=3000):
        watchdog.start()
    qtbot.wait(int(KEEPALIVE_S * 1000 * 3))
    assert systemd.with_field("WATCHDOG=1") == []
    assert "health check raised" in caplog.text


def test_without_a_watchdog_only_ready_is_sent(qtbot, notify_listener, window) -> None:
    watchdog = EventLoopWatchdog(window)
    assert watchdog.keepalive_interval_s is None
    window.show()
    with qtbot.waitSignal(watchdog.readySent, timeout=3000):
        watchdog.start_after_first_frame(window)
    qtbot.wait(100)
    assert [d.fields for d in notify_listener.received] == [("READY=1",)]


def test_stop_ends_keepalives_and_says_so(qtbot, systemd, window) -> None:
    watchdog = EventLoopWatchdog(window)
    watchdog.start()
    arrived(qtbot, systemd, "WATCHDOG=1")
    watchdog.stop()
    stopped_at = time.monotonic()
    assert arrived(qtbot, systemd, "STOPPING=1")
    qtbot.wait(int(KEEPALIVE_S * 1000 * 3))
    assert [d for d in systemd.with_field("WATCHDOG=1") if d.at > stopped_at + 0.05] == []
