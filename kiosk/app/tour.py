"""`kiosk tour`: every screen in every state it can reach, rendered to PNG at any panel size.

Each screen walks itself through its states (``KioskScreen.tour``); the tour renders each state
in Chinese, English and elderly mode, to files named ``<screen>--<state>--<variant>.png``.
The home screen is also rendered under configuration bundles (``bundle--<state>--<variant>.png``):
announcements in the strip under the header, the longest ones the schema allows, and the
high-contrast theme.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from config.local import KioskSettings
from kiosk.app.runtime import KioskRuntime, build_runtime
from kiosk.shell import i18n

log = logging.getLogger("kiosk")

VARIANTS: dict[str, tuple[i18n.Language, bool]] = {
    "zh": ("zh", False),
    "en": ("en", False),
    "elderly": ("zh", True),
}


def walk(screen: Any) -> Iterator[str]:
    """The states of one screen, each yielded once the screen shows it.

    The journey screens are walked from here, with sample journeys and sample data (the screens
    hold widgets only); the others walk themselves (``KioskScreen.tour``).
    """
    from kiosk.app.tour_lookup import walk_lookup
    from kiosk.app.tour_payment import walk_payment
    from kiosk.app.tour_queue_ticket import walk_queue_ticket
    from kiosk.app.tour_technician import walk_technician
    from screens.lookup import LookupScreen

    walks: dict[str, Callable[[Any], Iterator[str]]] = {
        "queue_ticket": walk_queue_ticket, "payment": walk_payment, "technician": walk_technician}
    if isinstance(screen, LookupScreen):
        return walk_lookup(screen)
    walk = walks.get(screen.name)
    return walk(screen) if walk is not None else screen.tour()


def _settle(app: QApplication) -> None:
    for _round in range(3):
        app.processEvents()


def render_tour(settings: KioskSettings, out_dir: Path, only: list[str] | None = None,
                variants: list[str] | None = None, window_size: tuple[int, int] | None = None,
                problems: list[str] | None = None) -> list[Path]:
    """Render the tour; returns the files written.

    ``window_size`` is the window's logical size (``kiosk.shell.panel.fit``; default the design's). With a
    ``problems`` list, each state is also checked (``screens.layout_audit``) and what is wrong is
    added to it, each line starting with the name its picture has.
    """
    from screens import registry
    from screens.layout_audit import audit

    def save(stem: str) -> Path:
        path = out_dir / f"{stem}.png"
        window.grab().save(str(path))
        if problems is not None:
            problems.extend(f"{stem}: {problem}" for problem in audit(window))
        return path

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("render_tour needs a QApplication")
    out_dir.mkdir(parents=True, exist_ok=True)
    runtime: KioskRuntime = build_runtime(settings, kiosk_mode=False, start_hooks=[], window_size=window_size)
    window = runtime.window
    runtime.context.services.voice = _silent_voice(settings)  # the speaker button shows as on a kiosk
    window.show()
    written: list[Path] = []
    names = [n for n in registry.SCREENS if not only or n in only]
    for variant in variants or list(VARIANTS):
        language, elderly = VARIANTS[variant]
        runtime.context.set_language(language)
        runtime.context.set_elderly(elderly)
        for name in names:
            window.show_screen(name)
            screen = window.screen_named(name)
            for state in walk(screen):
                window.stack.setCurrentWidget(screen)
                window.guidance.step_changed()  # the speaker button, for the state the walk put the screen in
                _settle(app)
                written.append(save(f"{name}--{state}--{variant}"))
        if not only or "idle_countdown" in only:
            window.show_screen("home")
            window.show_countdown(12)
            _settle(app)
            written.append(save(f"idle_countdown--home--{variant}"))
            window.hide_countdown()
        if not only or "take_card" in only:
            window.take_card.start()
            _settle(app)
            written.append(save(f"take_card--reminder--{variant}"))
            window.take_card.taken()
        if not only or "bundle" in only:
            written += _bundle_states(runtime, app, variant, save)
    runtime.context.set_language(settings.language)
    window.closing_allowed = True
    window.close()
    runtime.stop()  # a tour inside a longer-lived process (the tests) leaves nothing running behind it
    window.deleteLater()
    return written



def _silent_voice(settings: KioskSettings) -> Any:
    """The hall's voice with a speaker that is never opened: the pages show their speaker button, nothing plays."""
    from devices.speaker.simulated import SimulatedSpeaker
    from kiosk.hardware.voice import HallVoice

    speaker = SimulatedSpeaker()
    return HallVoice(settings.voice, lambda: speaker)


def _bundle_states(runtime: KioskRuntime, app: QApplication, variant: str,
                   save: Callable[[str], Path]) -> list[Path]:
    """The home screen under a few bundles, each put in force the way kiosk.fleet.bundle_updates does."""
    from datetime import timedelta

    from config.remote import Announcement, RemoteConfig

    context, window = runtime.context, runtime.window
    now = context.now()
    window_of_time = {"from": now - timedelta(days=1), "until": now + timedelta(days=1)}
    two = (
        Announcement(id="new-year", text_zh="2027年1月1日至1月3日元旦放假，大厅窗口暂停服务，24小时自助区照常开放。",
                     text_en="The hall windows are closed for New Year's Day, 1–3 January 2027; the 24-hour "
                             "self-service zone stays open.", **window_of_time),
        Announcement(id="maintenance", level="warning", text_zh="12月20日18:00至20:00系统维护，期间暂停打印服务。",
                     text_en="System maintenance on 20 December, 18:00–20:00: printing is paused.", **window_of_time),
    )
    longest = (Announcement(id="longest", text_zh=("因系统升级，社保、不动产和户籍查询将于本周六暂停，" * 10)[:200],
                            text_en=("Because of a system upgrade, social security, property and household "
                                     "lookups pause this Saturday. " * 6)[:400], **window_of_time),)
    states = {
        "announcements": RemoteConfig(announcements=two),
        "announcement-warning": RemoteConfig(announcements=two[1:]),
        "announcement-longest": RemoteConfig(announcements=longest),
        "high-contrast": RemoteConfig(theme="high-contrast"),
        "high-contrast-announcements": RemoteConfig(theme="high-contrast", announcements=two),
    }
    before = context.services.remote_config
    written: list[Path] = []
    window.show_screen("home")
    for state, config in states.items():
        context.set_remote_config(config)
        context.availability_changed.emit()
        _settle(app)
        written.append(save(f"bundle--{state}--{variant}"))
    context.set_remote_config(before)
    context.availability_changed.emit()
    _settle(app)
    return written
