"""`kiosk run` (the terminal) and `kiosk tour` (every screen rendered to PNG)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from config.errors import ConfigError
from kiosk.system.places import DEFAULT_CONFIG, DEMO_STATE_DIR

if TYPE_CHECKING:
    from config.local import KioskSettings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser("run", help="start the kiosk", description=(
        "Start the kiosk. Without --windowed it runs in kiosk mode: frameless, full screen, no way out."))
    run.add_argument("--config", type=Path, help=f"local configuration file (default {DEFAULT_CONFIG})")
    run.add_argument("--demo", action="store_true",
                     help="demo configuration: simulated devices, embedded reference gateway, demo control panel")
    run.add_argument("--demo-zone", choices=["hall", "24h", "auto"], default="hall",
                     help="with --demo: the hall's kiosk, the 24-hour zone's, or auto (the 24-hour zone's "
                          "while the hall is closed)")
    run.add_argument("--no-demo-panel", dest="demo_panel", action="store_false",
                     help="with --demo: no control panel window beside the kiosk (a demo on a hall's own touch "
                          "screen, where a second window would sit over the kiosk; the demo's devices stay simulated)")
    run.add_argument("--windowed", action="store_true", help="a window instead of kiosk mode (development)")
    run.add_argument("--size", type=_size, metavar="WxH",
                     help="the panel's size in pixels (default: [display] size, else the display's own, "
                          "else 1080x1920 for a window)")
    run.add_argument("--state-dir", type=Path, help="override the state directory (database, logs, statistics)")
    run.set_defaults(run=_run)

    tour = subparsers.add_parser("tour", help="render every screen and state to PNG files", description=(
        "Render every screen in every state it can reach, in Chinese, English and elderly mode, to PNG "
        "files named <screen>--<state>--<variant>.png, as a panel of --size pixels shows them."))
    tour.add_argument("--size", type=_size, default="1080x1920", metavar="WxH",
                      help="the panel's size in pixels, portrait or landscape (default 1080x1920)")
    tour.add_argument("--check", action="store_true",
                      help="also check every state for widgets that overlap and text that does not fit; "
                           "list them and exit 1 if there are any")
    tour.add_argument("--out", type=Path, default=Path("tour"), help="output folder (default ./tour)")
    tour.add_argument("--only", action="append", metavar="SCREEN", help="only this screen (repeatable)")
    tour.add_argument("--variant", action="append", choices=["zh", "en", "elderly"], help="only this variant")
    tour.add_argument("--config", type=Path, help="configuration to render with (default: the demo one)")
    tour.set_defaults(run=_tour)


def _size(text: str) -> str:
    from config.local import parse_size

    try:
        parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def load(args: argparse.Namespace) -> KioskSettings:
    """Settings for ``kiosk tour``: the file given, else the demo configuration."""
    from config.local import demo_settings, load_settings

    if getattr(args, "demo", False) or args.config is None:
        settings = demo_settings(getattr(args, "state_dir", None) or DEMO_STATE_DIR.resolve())
    else:
        settings = load_settings(args.config)
    if getattr(args, "state_dir", None):
        settings = replace(settings, state_dir=args.state_dir.resolve())
    return settings


def _has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return bool(platform) or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run(args: argparse.Namespace) -> int:
    from kiosk.app.qt_imports import import_qt

    import_qt()  # before any other module imports PySide6 (kiosk/app/qt_imports.py)
    from kiosk.shell import start_checks
    from lifecycle import systemd_notify

    systemd_notify.status("starting: reading configuration")
    if args.demo:
        from config.local import demo_settings
        from kiosk.cli.demo_zone import choose

        zone, why = choose(args.demo_zone)
        if why:
            print(why, file=sys.stderr)
        settings, broken = demo_settings(args.state_dir or DEMO_STATE_DIR.resolve(), zone), None
    else:
        # Never the demo: without a usable configuration the kiosk says so on screen (start_checks).
        configured, broken = start_checks.read_configuration(args.config or DEFAULT_CONFIG)
        settings = configured or start_checks.unconfigured_settings()
    if args.state_dir:
        settings = replace(settings, state_dir=args.state_dir.resolve())
    if not _has_display():
        if broken is not None:
            print(f"kiosk: {broken.detail}", file=sys.stderr)
        print("kiosk: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
              "To see the kiosk anyway:\n"
              "  - render every screen to PNG:   .venv/bin/kiosk tour --out tour/\n"
              "  - or run it on a virtual screen: xvfb-run -s '-screen 0 1920x1920x24' "
              ".venv/bin/kiosk run --demo --windowed", file=sys.stderr)
        return 3
    if broken is None:
        problem = start_checks.writable_directory(settings.state_dir)
        if problem is not None:
            broken = start_checks.storage_unusable(settings.state_dir, problem)
    from kiosk.system.logs import install_exception_logging, setup_logging

    log_dir = settings.state_dir / "logs" if broken is None else None
    setup_logging(log_dir, settings.logging.level, settings.logging.max_bytes, settings.logging.backups)
    install_exception_logging()
    from kiosk.shell import panel

    display = settings.display
    found = panel.find_panel(args.size or display.size, display.rotation, probe=not args.windowed)
    fit = panel.scale_before_start(found, display.scale)  # before the QApplication exists
    from kiosk.app import runtime as app
    from kiosk.app import startup

    if broken is not None:
        import logging

        hint = "; for the demo use `kiosk run --demo`" if settings.kiosk.id == start_checks.UNCONFIGURED_ID else ""
        logging.getLogger("kiosk").error("out of service: %s%s", broken.detail, hint,
                                         extra={"event": "out_of_order"})
        hooks = startup.out_of_order_hooks()
    else:
        hooks = startup.hooks(settings, demo=args.demo, demo_panel=args.demo_panel)
    return app.run(settings, kiosk_mode=not args.windowed, start_hooks=hooks, demo=args.demo, out_of_order=broken,
                   panel=found, fit=fit)


def _tour(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app.qt_imports import import_qt

    import_qt()
    try:
        settings = load(args)
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return 2
    from kiosk.shell import panel

    fit = panel.scale_before_start(panel.find_panel(args.size, 0, probe=False), settings.display.scale)
    from kiosk.app.runtime import make_application
    from kiosk.app.tour import render_tour

    make_application()
    problems: list[str] | None = [] if args.check else None
    written = render_tour(settings, args.out, only=args.only, variants=args.variant, window_size=fit.size,
                          problems=problems)
    print(f"kiosk tour: {len(written)} images of {args.size} in {args.out}")
    if problems:
        print(f"kiosk tour: {len(problems)} layout problems at {args.size}:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0
