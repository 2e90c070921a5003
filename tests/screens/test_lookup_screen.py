"""The lookup screens: taps reach the journey, and an idle timeout in any state leaves nothing personal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.app.tour import walk
from kiosk.hardware.print_outcome import PrintOutcome
from screens.theme import MIN_TOUCH

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))
from lookup_fakes import FakeGateway, GatewayDown, PaperOut, demo_card  # noqa: E402

PERSONAL = ("林秀英", "林**", "350203194803120021", "3502**********0021", "鹭江道", "13812345678",
            "138 1234 5678", "XMZW-")


class FakeHub(QObject):
    """The device hub's signals and calls, with a printer that can be held mid-job."""

    card_placed = Signal(object)
    card_removed = Signal()
    card_error = Signal(object)
    code_scanned = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.printable = True
        self.hold = False
        self.pending = None
        self.printed = []
        self.armed = 0

    def can_print(self) -> bool:
        return self.printable

    def print_receipt(self, receipt, callback) -> None:
        self.printed.append(receipt)
        if self.hold:
            self.pending = callback
        else:
            callback(PrintOutcome.done())

    def arm_card_reader(self) -> None:
        self.armed += 1

    def disarm_card_reader(self) -> None:
        self.armed -= 1


@pytest.fixture
def lookup(kiosk, qtbot):
    hub, gateway = FakeHub(), FakeGateway()
    kiosk.context.services.devices = hub
    kiosk.context.services.gateway = gateway
    kiosk.window.go("property")
    screen = kiosk.window.screen_named("property")
    screen.hub, screen.gateway = hub, gateway
    return screen


def everything_shown(window) -> str:
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]
    texts += [str(w.property("qr_payload") or "") for w in window.findChildren(QLabel)]
    return "\n".join(texts)


def place_card(screen, qtbot, key="elderly"):
    screen.hub.card_placed.emit(demo_card(key))
    qtbot.waitUntil(lambda: screen.journey.state not in ("waiting", "reading", "querying"), timeout=5000)


def to_results(screen, qtbot):
    place_card(screen, qtbot)
    assert screen.journey.state == "results"


def reach(state, screen, qtbot):
    journey = screen.journey
    if state == "waiting":
        return
    if state == "reminder":
        screen._reminder.timeout.emit()
    elif state == "read_failed":
        screen.hub.card_error.emit(RuntimeError("read failed"))
    elif state == "refused":
        place_card(screen, qtbot, "expired")
    elif state == "no_record":
        place_card(screen, qtbot, "foreigner2017")
    elif state == "offline":
        screen.gateway.error = GatewayDown("down")
        place_card(screen, qtbot)
    else:
        to_results(screen, qtbot)
        steps = {
            "results": [], "choices": ["show_choices"], "phone_qr": ["show_phone_qr", "agree_phone"],
            "phone_consent": ["show_phone_qr"],
            "printed": ["print_result"], "mail_confirm": ["start_mailing"],
            "mail_phone": ["start_mailing", "confirm_address"],
        }
        if state == "printing":
            screen.hub.hold = True
            steps["printing"] = ["print_result"]
        if state == "print_failed":
            screen.hub.hold = True
            journey.print_result()
            screen.hub.pending(PrintOutcome.failed(PaperOut("paper out", device="printer")))
            steps["print_failed"] = []
        for step in steps[state]:
            getattr(journey, step)()
        if state == "mail_phone":
            for key in "13812345678":
                screen.keypad.press(key)
    qtbot.waitUntil(lambda: journey.state == state, timeout=5000)


STATES = ["waiting", "reminder", "read_failed", "refused", "no_record", "offline", "results", "choices",
          "printing", "printed", "print_failed", "phone_consent", "phone_qr", "mail_confirm", "mail_phone"]


@pytest.mark.parametrize("state", STATES)
def test_idle_timeout_leaves_nothing_personal(kiosk, lookup, qtbot, state):
    reach(state, lookup, qtbot)
    journey = lookup.journey
    kiosk.context.sessions.end("idle")
    assert kiosk.window.current_name == "home"
    shown = everything_shown(kiosk.window)
    for text in PERSONAL:
        assert text not in shown, f"{state}: {text!r} still in a widget"
    assert journey.card is None and journey.answer is None
    assert lookup.hub.armed == 0


def test_results_show_masked_facts_and_pages(kiosk, lookup, qtbot):
    to_results(lookup, qtbot)
    assert lookup.identity.text() == "姓名：林**    证件号码：3502**********0021"
    shown = everything_shown(lookup)
    assert "闽(2016)厦门市不动产权第0031245号" in shown
    assert "林秀英" not in shown and "350203194803120021" not in shown and "100号" not in shown
    kiosk.context.set_elderly(True)
    assert lookup.journey.capacity < 17
    pages = len(lookup.journey.pages())
    if pages > 1:
        qtbot.mouseClick(lookup.next, Qt.MouseButton.LeftButton)
        assert lookup.journey.page == 1


def test_tapping_print_prints_and_says_take_the_slip(kiosk, lookup, qtbot):
    to_results(lookup, qtbot)
    qtbot.mouseClick(lookup.take_away, Qt.MouseButton.LeftButton)
    assert lookup.journey.state == "choices"
    qtbot.mouseClick(lookup.choice_print, Qt.MouseButton.LeftButton)
    assert lookup.journey.state == "printed"
    assert len(lookup.hub.printed) == 1
    assert "请取走凭条" in lookup.message_what.text()


def test_print_button_is_off_when_the_printer_cannot_print(kiosk, lookup, qtbot):
    lookup.hub.printable = False
    to_results(lookup, qtbot)
    lookup.journey.show_choices()
    assert not lookup.choice_print.isEnabled()
    assert lookup.choice_print_note.isVisibleTo(lookup)
    assert lookup.choice_qr.isEnabled() and lookup.choice_mail.isEnabled()


def test_phone_typed_on_the_keypad_queues_mailing(kiosk, lookup, qtbot):
    outbox = []
    lookup.journey.env.outbox = type("Outbox", (), {"append": lambda self, kind, payload: outbox.append(payload)})()
    reach("mail_phone", lookup, qtbot)
    assert lookup.phone_entry.text() == "138 1234 5678"
    qtbot.mouseClick(lookup.phone_send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lookup.journey.state == "mail_queued", timeout=5000)
    assert outbox[0]["phone"] == "13812345678"


def test_finish_moves_on_and_wipes_the_card(kiosk, lookup, qtbot):
    to_results(lookup, qtbot)
    session = kiosk.context.sessions.current
    qtbot.mouseClick(lookup.results_done, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_name != "property", timeout=5000)
    assert session.card is None
    assert kiosk.window.current_name in ("home", "feedback")
    assert not any(text in everything_shown(kiosk.window) for text in PERSONAL[:5])


def test_animation_runs_only_while_waiting_for_the_card(kiosk, lookup, qtbot):
    qtbot.waitUntil(lambda: lookup.art.running, timeout=2000)
    to_results(lookup, qtbot)
    assert not lookup.art.running


@pytest.mark.parametrize("elderly", [False, True])
def test_every_tour_state_has_finger_sized_buttons(kiosk, elderly):
    kiosk.context.set_elderly(elderly)
    for name in ("social_security", "property", "population"):
        kiosk.window.go(name)
        screen = kiosk.window.screen_named(name)
        for state in walk(screen):
            for button in screen.findChildren(QAbstractButton):
                if button.isVisibleTo(screen) and screen.pages.currentWidget().isAncestorOf(button):
                    assert button.height() >= MIN_TOUCH, f"{name}/{state}: {button.text()!r}"


def test_the_phone_qr_carries_a_one_time_link_only_after_consent(kiosk, lookup, qtbot):
    reach("phone_consent", lookup, qtbot)
    assert lookup.pages.currentWidget() is lookup.consent_page
    assert "10" in lookup.consent_how.text() and lookup.gateway.links == []
    qtbot.mouseClick(lookup.consent_no, Qt.MouseButton.LeftButton)
    assert lookup.journey.state == "choices" and lookup.gateway.links == []
    lookup.journey.show_phone_qr()
    qtbot.mouseClick(lookup.consent_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lookup.journey.state == "phone_qr", timeout=5000)
    assert lookup.qr_image.property("qr_payload") == "http://127.0.0.1:8765/r/link1"
    assert lookup.gateway.links[0].session_id == lookup.journey.env.session.id


def test_no_link_says_so_and_offers_the_other_ways(kiosk, lookup, qtbot):
    reach("phone_consent", lookup, qtbot)
    lookup.gateway.error = RuntimeError("gateway answered 500")
    qtbot.mouseClick(lookup.consent_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lookup.journey.state == "phone_failed", timeout=5000)
    assert lookup.pages.currentWidget() is lookup.message_page and lookup.message_what.text()
    assert [b.text() for b in lookup._message_button_widgets] == ["返回选择其他方式", "完成"]
