"""`kiosk session`: start the kiosk inside cage, the picture turned as ``[display] rotation`` says.

systemd starts this (packaging/systemd/kiosk.service). It reads only the ``[display]`` section of
the local file and replaces itself with ``cage [-r …] -- kiosk run --config FILE``: the process
stays the unit's main process, so READY=1 and the watchdog work as before. cage 0.1.4 (Debian 12)
turns the output 90° clockwise for each ``-r``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from config.errors import ConfigError
from kiosk.system.places import DEFAULT_CONFIG

DEFAULT_CAGE = "/usr/bin/cage"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    session = subparsers.add_parser("session", help="start the kiosk in cage, turned as [display] rotation says",
                                    description=(
        "Start cage (the Wayland kiosk compositor) with the kiosk as its only client. The picture is "
        "turned by [display] rotation (0, 90, 180 or 270 degrees clockwise) in the local file. "
        "This is what kiosk.service runs."))
    session.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                         help=f"local configuration file (default {DEFAULT_CONFIG})")
    session.add_argument("--cage", default=DEFAULT_CAGE, help=f"the cage program (default {DEFAULT_CAGE})")
    session.add_argument("--dry-run", action="store_true", help="print the command instead of starting it")
    session.set_defaults(run=_session)


def cage_command(cage: str, rotation: int, config: Path, kiosk: str) -> list[str]:
    """The command line: one ``-r`` per quarter turn, then the kiosk."""
    return [cage, *["-r"] * (rotation // 90 % 4), "--", kiosk, "run", "--config", str(config)]


def _kiosk_program() -> str:
    """This installation's ``kiosk`` (beside its Python in the virtual environment)."""
    beside = Path(sys.executable).with_name("kiosk")
    return str(beside) if beside.is_file() else shutil.which("kiosk") or str(beside)


def _session(args: argparse.Namespace) -> int:
    from config.local import load_display

    try:
        display = load_display(args.config)
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return 2
    command = cage_command(args.cage, display.rotation, args.config, _kiosk_program())
    if args.dry_run:
        print(" ".join(command))
        return 0
    try:
        os.execv(command[0], command)
    except OSError as exc:
        print(f"kiosk session: cannot start {command[0]}: {exc.strerror}", file=sys.stderr)
        return 127
