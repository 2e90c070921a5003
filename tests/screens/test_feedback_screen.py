"""The rating screen: five choices and chips, submit or skip, one tap in elderly mode, then the session ends."""

from __future__ import annotations

from PySide6.QtCore import Qt


class RecordingOutbox:
    def __init__(self) -> None:
        self.entries = []

    def append(self, kind, payload, *, idempotency_key=None):
        self.entries.append((kind, dict(payload), idempotency_key))


def open_rating(kiosk, service_id="prop-transfer"):
    outbox = RecordingOutbox()
    kiosk.context.services.outbox = outbox
    assert kiosk.context.sessions.current is not None  # a citizen is using the kiosk
    kiosk.window.go("feedback", service_id=service_id)
    return kiosk.window.screen_named("feedback"), outbox


def test_rate_with_chips_submit_thanks_then_session_ends(kiosk, qtbot):
    screen, outbox = open_rating(kiosk)
    assert screen.subheading.text() == "二手房转移登记" and not screen.submit.isEnabled()
    qtbot.mouseClick(screen.star_buttons[2], Qt.MouseButton.LeftButton)
    # 不满意: only what went wrong is offered, and one of them is needed before it can be sent
    assert set(screen.chip_buttons) == {"等待太久", "操作复杂", "看不清楚", "设备有故障"}
    assert not screen.submit.isEnabled() and "至少选择一项" in screen.chip_hint.text()
    qtbot.mouseClick(screen.chip_buttons["等待太久"], Qt.MouseButton.LeftButton)
    assert screen.submit.isEnabled()
    assert screen.star_buttons[2].isChecked() and screen.chip_buttons["等待太久"].text().startswith("✓")
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    assert screen.thanks_text.isVisible() and screen.leave_timer.isActive()
    qtbot.waitUntil(lambda: bool(outbox.entries), timeout=3000)
    kind, payload, key = outbox.entries[0]
    assert kind == "feedback" and payload == {"service_id": "prop-transfer", "rating": 2, "comment": "等待太久"}
    assert key and len(key) >= 16
    qtbot.mouseClick(screen.thanks_done, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_name == "home" and not kiosk.context.sessions.active


def test_skip_sends_nothing_and_goes_home(kiosk, qtbot):
    screen, outbox = open_rating(kiosk)
    qtbot.mouseClick(screen.skip, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_name == "home" and not outbox.entries
    assert not kiosk.context.sessions.active


def test_elderly_mode_keeps_six_choices_and_one_tap_rates(kiosk, qtbot):
    kiosk.context.set_elderly(True)
    screen, outbox = open_rating(kiosk)
    choices = [b for b in (*screen.star_buttons.values(), *screen.chip_buttons.values(), screen.submit, screen.skip)
               if b.isVisible()]
    assert len(choices) == 6
    qtbot.mouseClick(screen.star_buttons[5], Qt.MouseButton.LeftButton)
    assert screen.thanks_text.isVisible()
    qtbot.waitUntil(lambda: bool(outbox.entries), timeout=3000)
    assert outbox.entries[0][1]["rating"] == 5


def test_thanks_leaves_by_itself(kiosk, qtbot):
    screen, _ = open_rating(kiosk)
    screen.leave_timer.setInterval(50)
    qtbot.mouseClick(screen.star_buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_name == "home", timeout=3000)


def test_every_button_is_finger_sized(kiosk):
    screen, _ = open_rating(kiosk)
    for button in (*screen.star_buttons.values(), *screen.chip_buttons.values(), screen.submit, screen.skip):
        assert button.height() >= 96, button.text()


def test_elderly_mode_asks_a_low_rating_for_its_reason_before_sending(kiosk, qtbot):
    kiosk.context.set_elderly(True)
    screen, outbox = open_rating(kiosk)
    qtbot.mouseClick(screen.star_buttons[1], Qt.MouseButton.LeftButton)
    assert not screen.thanks_text.isVisible() and not outbox.entries
    assert screen.submit.isVisible() and not screen.submit.isEnabled() and len(screen.chip_buttons) == 4
    qtbot.mouseClick(screen.chip_buttons["看不清楚"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    assert screen.thanks_text.isVisible()
    qtbot.waitUntil(lambda: bool(outbox.entries), timeout=3000)
    assert outbox.entries[0][1]["rating"] == 1 and outbox.entries[0][1]["comment"] == "看不清楚"


def test_a_follow_up_number_with_consent_on_the_keypad(kiosk, qtbot):
    kiosk.context.sessions.current.record_number = "A023"
    screen, outbox = open_rating(kiosk)
    assert not screen.follow_up_toggle.isVisible()  # nothing to follow up before a rating
    qtbot.mouseClick(screen.star_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.chip_buttons["等待太久"], Qt.MouseButton.LeftButton)
    assert screen.follow_up_toggle.isVisible() and not screen.follow_up_toggle.isChecked()
    qtbot.mouseClick(screen.follow_up_toggle, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.follow_up_page and "回访" in screen.follow_up_why.text()
    for key in "1381234":
        screen.follow_up_keypad.press(key)
    assert not screen.follow_up_save.isEnabled()
    for key in "1234":
        screen.follow_up_keypad.press(key)
    assert screen.follow_up_entry.text() == "138 1234 1234"
    qtbot.mouseClick(screen.follow_up_save, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.rate_page
    assert screen.follow_up_toggle.isChecked() and "138****1234" in screen.follow_up_toggle.text()
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outbox.entries), timeout=3000)
    assert "A023" in screen.thanks_hint.text()
    payload = outbox.entries[0][1]
    assert payload["record_number"] == "A023" and payload["follow_up_phone"] == "13812341234"
    assert payload["follow_up_consent"] is True


def test_the_follow_up_can_be_taken_back(kiosk, qtbot):
    screen, outbox = open_rating(kiosk)
    qtbot.mouseClick(screen.star_buttons[4], Qt.MouseButton.LeftButton)
    assert not screen.follow_up_toggle.isVisible()  # a good rating: nothing to call back about
    qtbot.mouseClick(screen.star_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.chip_buttons["看不清楚"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.follow_up_toggle, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.follow_up_cancel, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.rate_page and not screen.follow_up_toggle.isChecked()
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outbox.entries), timeout=3000)
    assert "follow_up_phone" not in outbox.entries[0][1]
