"""A mode switch polishes only what is on show; what was parked is polished for the new mode later."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def looks(screen) -> dict[int, tuple[int, str, str]]:
    """Font size, text and background colours of every widget under ``screen``."""
    return {id(w): (w.font().pixelSize(), w.palette().windowText().color().name(), w.palette().window().color().name())
            for w in screen.findChildren(QWidget)}


def repolished(screen) -> dict[int, tuple[int, str, str]]:
    """``looks`` after polishing every widget again from scratch with the window's style sheet."""
    for widget in [screen, *screen.findChildren(QWidget)]:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
    return looks(screen)


def test_switch_on_a_journey_screen_parks_its_hidden_pages_and_they_come_back_polished(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    window.go("queue_ticket")
    screen = window.screen("queue_ticket")
    shown = screen.pages.currentWidget()
    label = next(w for w in shown.findChildren(QLabel) if w.isVisible())
    normal_size = label.font().pixelSize()

    context.set_elderly(True)
    # only the page on show stayed in the window for the switch
    assert screen.pages.count() == 1 and screen.pages.currentWidget() is shown
    assert all(page.window() is not window for page in screen.page.values() if page is not shown)
    qtbot.waitUntil(lambda: screen.pages.count() == len(screen.page), timeout=3000)  # put back between touches

    assert label.font().pixelSize() > normal_size > 0
    assert looks(screen) == repolished(screen), "a page put back kept something of the old style"


def test_screens_not_on_show_come_back_polished_for_the_new_mode(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    for name in ("queue_ticket", "payment", "guide"):
        window.go(name)
    window.go("home")
    context.set_elderly(True)
    qtbot.waitUntil(lambda: not window._restyle_later.isActive(), timeout=3000)
    for name in ("queue_ticket", "payment", "guide"):
        screen = window.screen(name)
        assert screen.window() is window
        assert looks(screen) == repolished(screen), name


def test_a_parked_page_shown_before_it_was_put_back_is_polished_on_the_spot(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    window.go("queue_ticket")
    screen = window.screen("queue_ticket")
    window._restyle_later.setInterval(60_000)  # nothing is put back in the background during this test
    context.set_elderly(True)
    hidden = next(page for page in screen.page.values() if page is not screen.pages.currentWidget())
    assert hidden.window() is not window
    screen.pages.setCurrentWidget(hidden)
    assert screen.pages.currentWidget() is hidden and hidden.isVisible() and hidden.window() is window
    assert looks(screen) == repolished(screen)
