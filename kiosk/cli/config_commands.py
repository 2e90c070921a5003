"""`kiosk config check FILE`: validate a local configuration file and say exactly what is wrong."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config.errors import ConfigError
from kiosk.cli import help_only


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = subparsers.add_parser("config", help="check or change configuration",
                                   description="Check the local configuration file, or verify/apply a signed bundle.")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    check = actions.add_parser("check", help="validate a local configuration file",
                               description=(
        "Validate a local configuration file (TOML) and what it points at: token and CA files, the gateway URL, "
        "device URLs and device nodes, the state directory. Exit 0 when valid (warnings are printed), 2 on errors."))
    check.add_argument("file", type=Path)
    check.set_defaults(run=_check)
    from kiosk.cli.fleet_commands import register_bundle_commands
    register_bundle_commands(actions)
    config.set_defaults(run=help_only(config))


def _check(args: argparse.Namespace) -> int:
    from config.local import load_settings
    from kiosk.cli.config_check import check

    try:
        settings = load_settings(args.file)
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return 2
    findings = check(settings)
    errors = [f for f in findings if f.level == "error"]
    for finding in findings:
        print(f"{args.file}: {finding.describe()}", file=sys.stderr if finding.level == "error" else sys.stdout)
    if errors:
        print(f"{args.file}: {len(errors)} error(s): kiosk {settings.kiosk.id} would not work as configured",
              file=sys.stderr)
        return 2
    warned = f", {len(findings)} warning(s)" if findings else ""
    print(f"{args.file}: valid configuration for kiosk {settings.kiosk.id} "
          f"({settings.kiosk.zone}, group {settings.kiosk.group}){warned}")
    return 0
