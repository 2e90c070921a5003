"""``kiosk-gateway admin enrol | rotate-token | disable | enable``: kiosk access from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from gateway import enrolment
from gateway.storage import Database

COMMANDS = ("enrol", "rotate-token", "disable", "enable")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> list[argparse.ArgumentParser]:
    enrol = commands.add_parser("enrol", help="enrol kiosks from a CSV file (kiosk_id,hall,group); prints kiosk_id,token")
    enrol.add_argument("--csv", type=Path, required=True, metavar="FILE",
                       help="UTF-8 CSV with the header kiosk_id,hall,group (at most 20,000 kiosks, 4 MiB)")
    rotate = commands.add_parser("rotate-token", help="give a kiosk a new token (the old one stops working)")
    disable = commands.add_parser("disable", help="refuse a kiosk from now on (its token is kept)")
    enable = commands.add_parser("enable", help="accept a disabled kiosk again")
    for sub in (rotate, disable, enable):
        sub.add_argument("kiosk_id", metavar="KIOSK_ID")
    return [enrol, rotate, disable, enable]


def run(args: argparse.Namespace, db: Database) -> int:
    """Carry out one of :data:`COMMANDS`; a ValueError (EnrolmentRefused among them) means nothing changed."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if args.command == "enrol":
        rows = enrolment.read_csv_file(args.csv)
        tokens = enrolment.enrol(db, rows, now)
        sys.stdout.write(enrolment.as_csv(tokens))
        print(f"enrolled {len(tokens)} kiosks; keep these tokens secret: they are shown only now", file=sys.stderr)
    elif args.command == "rotate-token":
        token = enrolment.rotate(db, args.kiosk_id, now)
        if token is None:
            raise ValueError(f"no kiosk {args.kiosk_id!r} is enrolled")
        sys.stdout.write(enrolment.as_csv([(args.kiosk_id, token)]))
        print("the kiosk's old token stops working within seconds; put the new one in its token file",
              file=sys.stderr)
    else:
        if not enrolment.set_enabled(db, args.kiosk_id, args.command == "enable"):
            raise ValueError(f"no kiosk {args.kiosk_id!r} is enrolled")
        print(f"kiosk {args.kiosk_id} {args.command}d")
    return 0
