"""The demo says DEMO on every screen; a kiosk in service never does."""

from __future__ import annotations

import pytest

from kiosk.app.runtime import build_runtime
from kiosk.shell import i18n


@pytest.fixture
def window_for(qtbot, demo_settings):
    def make(demo: bool):
        runtime = build_runtime(demo_settings, kiosk_mode=False, start_hooks=[], demo=demo)
        qtbot.addWidget(runtime.window)
        runtime.window.show()
        qtbot.waitExposed(runtime.window)
        return runtime

    yield make
    i18n.set_language("zh")


def test_the_demo_badge_stays_on_every_screen_and_language(window_for) -> None:
    runtime = window_for(demo=True)
    window, badge = runtime.window, runtime.window.header.demo_badge
    assert badge is not None and badge.text() == "演示 DEMO"
    for name in ("home", "departments", "out_of_service"):
        window.show_screen(name)
        assert badge.isVisible()
    runtime.context.set_language("en")
    runtime.context.set_elderly(True)
    assert badge.isVisible() and badge.text() == "演示 DEMO"
    assert badge.geometry().right() <= window.header.width()  # inside the header, not cut off


def test_a_configured_kiosk_has_no_demo_badge(window_for) -> None:
    runtime = window_for(demo=False)
    assert runtime.window.header.demo_badge is None
    assert not runtime.context.demo
