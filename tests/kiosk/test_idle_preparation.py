"""Between citizens the kiosk imports and builds the screens citizens open, never while someone uses it."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace

import pytest

from kiosk.app import preparation as preparation_module
from kiosk.app.preparation import CATALOGUE_SCREENS, IdlePreparation


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(preparation_module, "QUIET_MS", 0)


def _journeys_on_home(runtime) -> list[str]:
    home = runtime.window.screen_named("home")
    return [name for name, tile in home.tiles.items() if tile.isVisibleTo(runtime.window)]


def test_imports_first_then_builds_after_a_session_has_ended(kiosk, qtbot, quick) -> None:
    window = kiosk.window
    prepared = IdlePreparation(kiosk, parent=window)
    prepared.start()
    assert prepared.screens, "nothing to build"
    wanted = list(prepared.screens)
    qtbot.waitUntil(lambda: not prepared.modules, timeout=10_000)
    assert "screens.guide" in sys.modules and "screens.queue_ticket" in sys.modules
    qtbot.wait(3 * preparation_module.STEP_MS)
    assert sorted(window.screens) == ["home"], "built before any citizen came and went"

    kiosk.context.sessions.current  # noqa: B018 (a citizen comes …)
    kiosk.context.sessions.end("finish")  # … and goes
    qtbot.waitUntil(lambda: prepared.done, timeout=20_000)

    assert set(wanted) <= set(window.screens)
    journeys = _journeys_on_home(kiosk)
    assert wanted[:len(journeys)] == journeys, "the home page's journeys come first"
    assert set(CATALOGUE_SCREENS) <= set(window.screens)
    assert "technician" not in window.screens and "out_of_service" not in window.screens
    assert window.current_name == "home"
    assert not kiosk.context.sessions.active, "preparing must not start a session"


def test_a_citizen_at_the_kiosk_stops_the_preparation(kiosk, qtbot, quick) -> None:
    window = kiosk.window
    prepared = IdlePreparation(kiosk, parent=window)
    prepared.builds_allowed = True
    prepared.start()
    kiosk.context.sessions.current  # noqa: B018 (a citizen is using the kiosk)
    qtbot.wait(6 * preparation_module.STEP_MS)
    assert sorted(window.screens) == ["home"] and len(prepared.modules) > 0

    kiosk.context.sessions.end("finish")
    qtbot.waitUntil(lambda: prepared.done, timeout=20_000)


def test_no_step_within_the_quiet_time_after_a_touch(kiosk, qtbot) -> None:
    prepared = IdlePreparation(kiosk, parent=kiosk.window)
    prepared.start()
    kiosk.idle.activity.emit()
    assert not prepared.quiet()
    modules = len(prepared.modules)
    prepared.step()
    assert len(prepared.modules) == modules


def test_a_screen_that_fails_to_build_is_logged_and_left_for_its_first_visit(kiosk, qtbot, quick, monkeypatch,
                                                                              caplog) -> None:
    window = kiosk.window
    prepared = IdlePreparation(kiosk, parent=window)
    prepared.builds_allowed = True
    prepared.modules, prepared.screens = [], ["guide", "feedback"]

    def broken(name: str):
        raise RuntimeError(f"cannot build {name}")

    monkeypatch.setattr(window, "screen_named", broken)
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        prepared.step()
        prepared.step()
    assert prepared.done
    assert "built when first shown" in caplog.text


def test_each_built_screen_is_walked_through_its_first_showing_without_being_shown(kiosk, qtbot, quick,
                                                                                    monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    window = kiosk.window
    prepared = IdlePreparation(kiosk, parent=window)
    prepared.builds_allowed = True
    prepared.modules, prepared.screens = [], ["guide", "feedback"]
    activated: list[str] = []
    shown: list[str] = []
    window.screen_shown.connect(shown.append)
    prepared.step()  # builds the guide …
    assert prepared.rehearsals == ["guide"]
    guide = window.screens["guide"]
    monkeypatch.setattr(guide, "activate", lambda **params: activated.append("guide"))
    prepared.step()  # … then rehearses it
    assert prepared.rehearsals == []
    size = window.stack.contentsRect().size()
    assert guide.size() == size, "laid out at the size it is shown at"
    unpolished = [widget for widget in guide.findChildren(QWidget)
                  if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished) and not widget.isHidden()]
    assert unpolished == [], "every widget of the screen not hidden itself, on its other pages too, polished ahead"
    assert not guide.isVisible() and window.current_name == "home"
    assert activated == [] and shown == [], "a rehearsal neither activates nor shows the screen"
    qtbot.waitUntil(lambda: prepared.step() is None and prepared.done, timeout=10_000)
    assert not kiosk.context.sessions.active


def test_a_rehearsed_screen_looks_as_one_shown_without_rehearsal(kiosk, qtbot, demo_settings) -> None:
    from kiosk.app.runtime import build_runtime

    plain = build_runtime(replace(demo_settings, state_dir=demo_settings.state_dir.parent / "plain"),
                          kiosk_mode=False, start_hooks=[])
    qtbot.addWidget(plain.window)
    plain.window.show()
    qtbot.waitExposed(plain.window)
    pictures = []
    for runtime, rehearsed in ((kiosk, True), (plain, False)):
        window = runtime.window
        for name in ("guide", "queue_ticket"):
            screen = window.screen_named(name)
            if rehearsed:
                screen.ready_ahead(window.stack.contentsRect().size(), window.devicePixelRatioF())
            window.show_screen(name)
            qtbot.wait(50)
            pictures.append(window.grab().toImage())
            window.home()
    plain.stop()
    plain.context.close()
    assert pictures[0] == pictures[2], "the guide looks the same, rehearsed or not"
    assert pictures[1] == pictures[3], "the queue ticket screen looks the same, rehearsed or not"


def test_every_screen_can_be_rehearsed_and_still_shows(kiosk, qtbot) -> None:
    from screens import registry

    window = kiosk.window
    size, ratio = window.stack.contentsRect().size(), window.devicePixelRatioF()
    for name in registry.SCREENS:
        if name == "home":
            continue
        window.screen_named(name).ready_ahead(size, ratio)
        assert window.current_name == "home" and not window.screens[name].isVisible(), name
    for name in ("departments", "queue_ticket", "payment", "feedback"):
        window.show_screen(name)
        qtbot.wait(20)
        assert window.screens[name].isVisible() and window.screens[name].size() == size, name
        window.home()
