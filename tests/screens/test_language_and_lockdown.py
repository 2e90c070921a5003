"""Every screen in both languages, elderly mode sizes, and nothing that leads out of the kiosk."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.app.tour import walk as screen_states
from screens import registry
from screens.theme import ELDERLY, MIN_TOUCH, contrast_ratio, text_pairs
from screens.tile import Tile

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
SHELL_SCREENS = ["home", "departments", "services", "service", "unavailable", "out_of_service"]


def shown_texts(widget) -> list[str]:
    texts = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget) and child.text():
            texts.append(child.text())
    for tile in widget.findChildren(Tile):  # tiles paint their own texts
        if tile.isVisibleTo(widget):
            texts += tile.texts()
    return texts


def walk(kiosk, names):
    for name in names:
        kiosk.window.go(name)
        screen = kiosk.window.screen_named(name)
        for state in screen_states(screen):
            yield name, state


@pytest.mark.parametrize("name", SHELL_SCREENS)
def test_english_screens_have_no_chinese_left(kiosk, name):
    kiosk.context.set_language("en")
    for screen_name, state in walk(kiosk, [name]):
        for text in shown_texts(kiosk.window):
            if text == "中文":  # the language button names its language in that language
                continue
            assert not CJK.search(text), f"{screen_name}/{state}: untranslated {text!r}"


def test_language_switches_back_without_restart(kiosk):
    home = kiosk.window.screen_named("home")
    kiosk.context.set_language("en")
    assert home.greeting.text().startswith("Welcome")
    kiosk.context.set_language("zh")
    assert home.greeting.text() == "您好，请选择要办理的业务"
    assert kiosk.window.footer.hotline.text() == "服务热线 12345"


@pytest.mark.parametrize("elderly", [False, True])
def test_every_button_is_finger_sized(kiosk, elderly):
    kiosk.context.set_elderly(elderly)
    for name, state in walk(kiosk, SHELL_SCREENS):
        for button in kiosk.window.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.height() >= MIN_TOUCH, f"{name}/{state}: {button.text()!r} is {button.height()} px"


def test_elderly_mode_text_is_larger_and_high_contrast(kiosk):
    home = kiosk.window.screen_named("home")
    normal = home.greeting.fontInfo().pixelSize()
    kiosk.context.set_elderly(True)
    assert home.greeting.fontInfo().pixelSize() >= 1.4 * normal - 1
    for name, fg, bg in text_pairs(ELDERLY):
        assert contrast_ratio(fg, bg) >= 7, name
    # fewer choices: three tiles instead of six
    assert sum(tile.isVisible() for tile in home.tiles.values()) == 3


def test_only_the_kiosk_window_exists_on_every_screen(qtbot, demo_settings):
    from kiosk.app.runtime import build_runtime

    runtime = build_runtime(demo_settings, kiosk_mode=True, start_hooks=[])
    window = runtime.window
    qtbot.addWidget(window)
    window.show()
    for name in registry.SCREENS:
        window.go(name)
        for _state in screen_states(window.screen_named(name)):
            QApplication.processEvents()
            tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            assert tops == [window], f"{name}: unexpected windows {tops}"
            # nothing Qt could pop up from inside the window: no tooltips, what's-this or status tips
            for widget in [window, *window.findChildren(QWidget)]:
                assert not (widget.toolTip() or widget.whatsThis() or widget.statusTip()), f"{name}: {widget}"

    # Keys arrive the way the platform delivers them: at the window's QWindow.
    # Alt+F4, Ctrl+W, Ctrl+Q, Esc, Alt+Tab, Menu, Shift+F1 never reach the window.
    handle = window.windowHandle()
    for key, mods in [(Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier), (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier), (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)]:
        before = runtime.lockdown.blocked
        QTest.keyClick(handle, key, mods)
        assert runtime.lockdown.blocked > before, key
    assert window.close() is False
    assert window.isVisible()
    before = runtime.lockdown.blocked
    handle.close()  # what the compositor's close request does
    assert runtime.lockdown.blocked > before and window.isVisible()

    # A right or middle click (a mouse plugged in) is swallowed before Qt could make a context menu of it.
    window.go("payment")
    centre = window.rect().center()
    for button in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
        before = runtime.lockdown.blocked
        QTest.mouseClick(handle, button, Qt.KeyboardModifier.NoModifier, centre)
        QApplication.processEvents()
        assert runtime.lockdown.blocked > before
        assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    before = runtime.lockdown.blocked
    QApplication.sendEvent(handle, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(10, 10), window.mapToGlobal(QPoint(10, 10))))
    assert runtime.lockdown.blocked > before
    # the first button still works: a touch on Home is not blocked
    before = runtime.lockdown.blocked
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     window.footer.home.mapTo(window, window.footer.home.rect().center()))
    assert runtime.lockdown.blocked == before and window.current_name == "home"
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.closing_allowed = True
