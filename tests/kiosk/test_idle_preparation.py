"""Between citizens the kiosk imports and builds the screens citizens open, never while someone uses it."""

from __future__ import annotations

import logging
import sys

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
