"""Shared fixtures: a running kiosk (window, context, session wiring) with demo configuration."""

from __future__ import annotations

import gc
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def load_script(name: str) -> ModuleType:
    """A module of scripts/ by its path, registered by its name (the font builder's workers find it so)."""
    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pytest_sessionstart(session: pytest.Session) -> None:
    """The checkout's compiled translation catalogues and its interface font follow the kiosk's
    texts, so a text just added shows in the tests without running scripts/bootstrap.sh again
    (no-ops when current)."""
    load_script("compile_translations").compile_catalogues()
    font = load_script("build_interface_font")
    try:
        font.build()
    except font.FontBuildError:
        pass  # tests/screens/test_interface_font.py says what is missing


@pytest.fixture(autouse=True)
def _garbage_as_in_a_kiosk(monkeypatch):
    """A kiosk's tidy-up between citizens collects all of Python's garbage (kiosk/hall/between_citizens.py):
    ~22 ms in a kiosk, but well over 100 ms in this process, whose heap holds every earlier test's
    objects, a pause in the middle of tests that time the kiosk's timers. Here it collects the
    youngest objects only (tests/kiosk/test_between_citizens.py tests the real one), and whatever a
    test froze is unfrozen after it."""
    from kiosk.hall import between_citizens

    monkeypatch.setattr(between_citizens, "collect_garbage", lambda: gc.collect(0))
    yield
    gc.unfreeze()


@pytest.fixture
def interface_font_builder() -> ModuleType:
    """scripts/build_interface_font.py, loaded afresh (a test may change its module's settings)."""
    return load_script("build_interface_font")


@pytest.fixture
def demo_settings(tmp_path: Path):
    from config.local import demo_settings as make

    return make(tmp_path / "state")


@pytest.fixture
def kiosk(qtbot, demo_settings):
    """A kiosk runtime in a 1080×1920 window, no devices or gateway attached."""
    from kiosk.app.runtime import build_runtime
    from kiosk.shell import i18n

    runtime = build_runtime(demo_settings, kiosk_mode=False, start_hooks=[])
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    qtbot.waitExposed(runtime.window)
    yield runtime
    runtime.stop()
    runtime.context.close()
    i18n.set_language("zh")
