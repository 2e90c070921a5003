"""A mode switch polishes only what is on show; the pages and screens not on show get the new look later."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def looks(screen) -> dict[int, tuple[int, str, str]]:
    """Font size, text and background colours of every widget under ``screen``."""
    return {id(w): (w.font().pixelSize(), w.palette().windowText().color().name(), w.palette().window().color().name())
            for w in screen.findChildren(QWidget)}


def repolished(screen) -> dict[int, tuple[int, str, str]]:
    """``looks`` after polishing every widget again from scratch with the sheets in force."""
    for widget in [screen, *screen.findChildren(QWidget)]:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
    return looks(screen)


def test_switch_on_a_journey_screen_restyles_the_page_on_show_and_the_others_between_touches(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    window.go("queue_ticket")
    screen = window.screen_named("queue_ticket")
    shown = screen.pages.currentWidget()
    hidden = [page for page in screen.page.values() if page is not shown]
    label = next(w for w in shown.findChildren(QLabel) if w.isVisible())
    normal_size = label.font().pixelSize()
    old_sheet = shown.styleSheet()
    window._restyle_later.setInterval(60_000)  # hold back the between-touches work for a moment

    context.set_elderly(True)
    assert label.font().pixelSize() > normal_size > 0  # the page on show at once
    assert screen.heading.styleSheet() == shown.styleSheet() != old_sheet
    assert all(page.styleSheet() == old_sheet for page in hidden), "hidden pages were polished during the switch"

    window._restyle_later.setInterval(16)
    window._restyle_later.start()
    qtbot.waitUntil(lambda: not window._restyle_later.isActive(), timeout=3000)
    assert all(page.styleSheet() == shown.styleSheet() for page in hidden)
    assert looks(screen) == repolished(screen), "a page restyled later kept something of the old style"


def test_screens_not_on_show_come_back_polished_for_the_new_mode(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    for name in ("queue_ticket", "payment", "guide"):
        window.go(name)
    window.go("home")
    context.set_elderly(True)
    qtbot.waitUntil(lambda: not window._restyle_later.isActive(), timeout=3000)
    for name in ("queue_ticket", "payment", "guide"):
        screen = window.screen_named(name)
        assert screen.window() is window
        assert looks(screen) == repolished(screen), name


def test_a_page_shown_before_its_turn_is_polished_on_the_spot(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    window.go("queue_ticket")
    screen = window.screen_named("queue_ticket")
    window._restyle_later.setInterval(60_000)  # nothing is restyled in the background during this test
    context.set_elderly(True)
    hidden = next(page for page in screen.page.values() if page is not screen.pages.currentWidget())
    assert hidden.styleSheet() != screen.pages.currentWidget().styleSheet()
    screen.pages.setCurrentWidget(hidden)
    assert screen.pages.currentWidget() is hidden and hidden.isVisible()
    assert hidden.styleSheet() == screen.heading.styleSheet()
    assert looks(hidden) == repolished(hidden)  # (the other hidden pages keep the old look until their turn)


def test_every_screen_keeps_its_look_through_switches_back_and_forth(kiosk, qtbot):
    window, context = kiosk.window, kiosk.context
    for name in ("guide", "payment", "social_security", "queue_ticket"):
        window.go(name)
        for elderly in (True, False, True):
            context.set_elderly(elderly)
        qtbot.waitUntil(lambda: not window._restyle_later.isActive(), timeout=3000)
        assert looks(window.screen_named(name)) == repolished(window.screen_named(name)), name
        context.set_elderly(False)
