"""The hidden corner: held three seconds it opens the PIN screen; a citizen's tap there does nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.technician import entry


def _press_target(window, point: QPoint):
    """The widget a finger at ``point`` (header coordinates) really lands on, and the point in its coordinates."""
    header = window.header
    child = header.childAt(point)
    if child is None:
        return header, point
    return child, child.mapFrom(header, point)


@pytest.fixture
def corner(kiosk):
    mode = kiosk.context.services.technician
    mode.corner._timer.setInterval(200)  # the timing itself is checked once, below, at full length
    return mode.corner


def test_the_hot_zone_and_the_hold_time():
    assert entry.HOT_ZONE_PX == 120 and entry.HOLD_MS == 3000


def test_holding_the_corner_three_seconds_opens_the_pin_screen(kiosk, qtbot):
    window = kiosk.window
    target, point = _press_target(window, QPoint(30, 30))
    QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=point)
    qtbot.wait(2500)
    assert window.current_name == "home"  # not yet
    qtbot.waitUntil(lambda: window.current_name == "technician_pin", timeout=1500)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=point)
    assert window.current_name == "technician_pin"


def test_held_with_a_shorter_interval_in_the_window(kiosk, corner, qtbot):
    window = kiosk.window
    target, point = _press_target(window, QPoint(100, 100))
    QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.current_name == "technician_pin", timeout=2000)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=point)


def test_a_tap_in_the_corner_does_nothing(kiosk, corner, qtbot):
    window = kiosk.window
    target, point = _press_target(window, QPoint(30, 30))
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=point)
    assert not corner.pressing
    qtbot.wait(400)  # twice the hold time: still nothing
    assert window.current_name == "home"


def test_a_long_press_elsewhere_in_the_header_does_nothing(kiosk, corner, qtbot):
    window = kiosk.window
    target, point = _press_target(window, QPoint(300, 30))
    QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=point)
    assert not corner.pressing
    qtbot.wait(400)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=point)
    assert window.current_name == "home"


def test_sliding_out_of_the_corner_cancels(kiosk, corner, qtbot):
    window = kiosk.window
    header = window.header
    QTest.mousePress(header, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert corner.pressing
    QTest.mouseMove(header, QPoint(400, 20))
    # QTest.mouseMove without buttons may not reach the filter as a drag: deliver the move as the finger would
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(400, 20), header.mapToGlobal(QPointF(400, 20)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    corner.eventFilter(header, move)
    assert not corner.pressing
    qtbot.wait(400)
    QTest.mouseRelease(header, Qt.MouseButton.LeftButton, pos=QPoint(400, 20))
    assert window.current_name == "home"
