"""`kiosk tour`: every screen in every state it can reach, rendered to PNG at 1080×1920.

Each screen walks itself through its states (``KioskScreen.tour``); the tour renders each state
in Chinese, English and elderly mode, to files named ``<screen>--<state>--<variant>.png``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QApplication

from config.local import KioskSettings
from kiosk import i18n
from kiosk.app import KioskRuntime, build_runtime

log = logging.getLogger("kiosk")

VARIANTS: dict[str, tuple[i18n.Language, bool]] = {
    "zh": ("zh", False),
    "en": ("en", False),
    "elderly": ("zh", True),
}


def _settle(app: QApplication) -> None:
    for _round in range(3):
        app.processEvents()


def render_tour(settings: KioskSettings, out_dir: Path, only: list[str] | None = None,
                variants: list[str] | None = None) -> list[Path]:
    """Render the tour; returns the files written."""
    from screens import registry

    app = QApplication.instance()
    if app is None:
        raise RuntimeError("render_tour needs a QApplication")
    out_dir.mkdir(parents=True, exist_ok=True)
    runtime: KioskRuntime = build_runtime(settings, kiosk_mode=False, start_hooks=[])
    window = runtime.window
    window.show()
    written: list[Path] = []
    names = [n for n in registry.SCREENS if not only or n in only]
    for variant in variants or list(VARIANTS):
        language, elderly = VARIANTS[variant]
        runtime.context.set_language(language)
        runtime.context.set_elderly(elderly)
        for name in names:
            window.show_screen(name)
            screen = window.screen(name)
            for state in screen.tour():
                window.stack.setCurrentWidget(screen)
                _settle(app)
                path = out_dir / f"{name}--{state}--{variant}.png"
                window.grab().save(str(path))
                written.append(path)
        if not only or "idle_countdown" in only:
            window.show_screen("home")
            window.show_countdown(12)
            _settle(app)
            path = out_dir / f"idle_countdown--home--{variant}.png"
            window.grab().save(str(path))
            written.append(path)
            window.hide_countdown()
    runtime.context.set_language(settings.language)
    window.closing_allowed = True
    window.close()
    return written

