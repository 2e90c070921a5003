"""The booking code typed from the SMS on the check-in page's keypad, in both languages and elderly mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.shell import i18n


@pytest.mark.parametrize("language, elderly", [("zh", False), ("en", False), ("zh", True)])
def test_the_keypad_takes_twelve_digits_and_hands_them_to_the_journey(kiosk, qtbot, language, elderly):
    kiosk.context.set_language(language)
    kiosk.context.set_elderly(elderly)
    try:
        kiosk.window.go("queue_ticket")
        screen = kiosk.window.screen_named("queue_ticket")
        journey = screen.journey
        journey.go("checkin")
        assert screen.type_code.isVisible()
        qtbot.mouseClick(screen.type_code, Qt.MouseButton.LeftButton)
        assert journey.state == "code_pad" and not screen.code_ok.isEnabled()
        assert ("12" in screen.code_hint.text()) and ("YY" in screen.code_hint.text())
        for key in "20261118000199":  # two too many: the pad stops at twelve
            qtbot.mouseClick(screen.code_pad.buttons[key], Qt.MouseButton.LeftButton)
        assert screen.code_pad.value == "202611180001" and screen.code_ok.isEnabled()
        assert screen.code_entry.text() == "YY 20261118 0001"
        typed = []
        journey.type_code = typed.append  # what the OK button hands over
        qtbot.mouseClick(screen.code_ok, Qt.MouseButton.LeftButton)
        assert typed == ["202611180001"]
    finally:
        i18n.set_language("zh")
