"""The `kiosk` command: one entry point, a subcommand per task, `--help` on each.

Subcommands live with the code they drive; each command module exposes
``register(subparsers)`` and sets ``run=callable(args) -> int`` as its default.
Command modules are imported only for the subcommand that is asked for, so
``kiosk run`` starts without loading device, network or database code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from kiosk.cli.pydantic_plugins import load_no_plugins

# subcommand name -> module that registers it. Import happens lazily in main().
COMMAND_MODULES: dict[str, str] = {
    "run": "kiosk.cli.run",
    "session": "kiosk.cli.session",
    "tour": "kiosk.cli.run",
    "config": "kiosk.cli.config_commands",
    "diag": "kiosk.cli.device_commands",
    "print-test": "kiosk.cli.device_commands",
    "idcard": "kiosk.cli.device_commands",
}


def help_only(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The ``run`` of a command group asked for without a subcommand: its help, and exit status 2."""

    def run(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``only`` set, just the module that owns that subcommand is imported."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Self-service kiosk terminal of the administrative service hall.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = [COMMAND_MODULES[only]] if only in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    for module_name in wanted:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    load_no_plugins()  # before pydantic builds its first model (kiosk/cli/pydantic_plugins.py)
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first if first in COMMAND_MODULES else None)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
