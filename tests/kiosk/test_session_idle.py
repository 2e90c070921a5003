"""A citizen who walks away: countdown, then the session is wiped and home returns."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kiosk.system import logs
from screens import registry
from screens.base import KioskScreen
from screens.widgets import label

NAME = "林秀英"
ID_NUMBER = "350203194803120021"


@dataclass
class FakeCard:
    name: str
    id_number: str
    photo: bytearray

    def release(self) -> None:
        self.photo[:] = bytes(len(self.photo))


class PersonalScreen(KioskScreen):
    """Shows the citizen's name and ID number, as a lookup result screen would."""

    name = "personal"

    def __init__(self, context, nav, parent=None):
        super().__init__(context, nav, parent)
        self.who = label()
        self.layout_.addWidget(self.who)

    def refresh(self):
        card = self.context.sessions.current.card
        self.who.setText(f"{card.name} {card.id_number}" if card else "")

    def clear_personal(self):
        self.who.clear()


def touch(window, widget) -> None:
    """A finger on ``widget``: delivered to the window's QWindow, as the touch screen's driver does."""
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.mapTo(window, widget.rect().center()))


def visible_texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)] + [widget.windowTitle()]


def test_idle_countdown_then_wipe_leaves_nothing_personal(kiosk, qtbot, monkeypatch):
    monkeypatch.setitem(registry.SCREENS, "personal", (__name__, "PersonalScreen"))
    window, context, idle = kiosk.window, kiosk.context, kiosk.idle
    idle.idle_timeout_s = 0.2
    idle._tick_timer.setInterval(20)
    touch(window, window.screen_named("home").all_services)  # first touch
    assert context.sessions.active
    card = FakeCard(NAME, ID_NUMBER, bytearray(b"\x01" * 1024))
    context.sessions.current.remember_card(card)
    context.sessions.current.data["lookup"] = {"name": NAME}
    window.go("personal")
    assert any(NAME in t for t in visible_texts(window))

    with qtbot.waitSignal(idle.countdown_started, timeout=3000):
        pass
    assert window.overlay.isVisible()
    with qtbot.waitSignal(idle.expired, timeout=5000):
        pass

    assert not context.sessions.active
    assert window.current_name == "home"
    assert not window.overlay.isVisible()
    assert card.photo == bytearray(1024), "the card photo must be zeroed"
    for screen in window.screens.values():
        for text in visible_texts(screen):
            assert NAME not in text and ID_NUMBER not in text
    assert logs._citizen_names == ()


def test_touch_during_countdown_keeps_the_session(kiosk, qtbot):
    window, context, idle = kiosk.window, kiosk.context, kiosk.idle
    idle.idle_timeout_s = 0.1
    idle._tick_timer.setInterval(200)
    touch(window, window.screen_named("home").all_services)
    with qtbot.waitSignal(idle.countdown_started, timeout=3000):
        pass
    with qtbot.waitSignal(idle.countdown_cancelled, timeout=3000):
        touch(window, window.overlay.continue_button)
    assert context.sessions.active
    assert window.current_name == "departments"
    assert not window.overlay.isVisible()


def test_finish_from_overlay_ends_the_session(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    touch(window, window.screen_named("home").all_services)
    window.show_countdown(10)
    touch(window, window.overlay.finish_button)
    assert not context.sessions.active
    assert window.current_name == "home"


def test_home_button_wipes_the_session(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    touch(window, window.screen_named("home").all_services)
    context.sessions.current.data["x"] = 1
    touch(window, window.footer.home)
    assert not context.sessions.active


def test_back_returns_to_the_previous_screen(kiosk, qtbot):
    window = kiosk.window
    window.go("departments")
    window.go("services", department="finance")
    window.go("service", service_id="fin-non-tax-payment")
    window.back()
    assert window.current_name == "services"
    assert window.screen_named("services").params["department"] == "finance"
    window.back()
    window.back()
    assert window.current_name == "home"
