"""`kiosk config verify|apply BUNDLE` and `kiosk config pin-hash`: bundles and the PIN by hand.

``verify`` and ``apply`` also take a signed key rotation (config/rotation.py, made with
``kiosk-admin rotate``), the documented way to lower a version floor pushed too high.

Exit codes: 0 valid / applied / done, 2 usage or configuration error, 3 bundle refused.
Heavy modules (cryptography, pydantic schemas) are imported only when one of these runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.bundle import BundleRefused
    from config.local import KioskSettings
    from kiosk.fleet.config_updates import BundleStore

OK, USAGE, REFUSED = 0, 2, 3


def register_bundle_commands(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``verify``, ``apply`` and ``pin-hash`` under ``kiosk config``."""
    verify = actions.add_parser(
        "verify", help="check a signed configuration bundle as this kiosk would",
        description="Check BUNDLE against this kiosk's trusted keys, group, installed version and clock, "
                    "without changing anything. Exit 0 when it would be accepted, 3 when refused (with the "
                    "reason), 2 for a usage or configuration error.")
    verify.add_argument("bundle", type=Path, metavar="BUNDLE")
    _config_option(verify)
    verify.set_defaults(run=_verify)

    apply = actions.add_parser(
        "apply", help="install a signed configuration bundle (used from the next start)",
        description="Verify BUNDLE and install it. The kiosk application uses it from its next start; if the "
                    "screens cannot come up with it, the kiosk returns to the last good configuration by "
                    "itself. BUNDLE may also be a signed key rotation (kiosk-admin rotate): it retires the "
                    "old key and sets the version floor it names. Exit 0 applied, 3 refused (nothing "
                    "changed), 2 usage or configuration error.")
    apply.add_argument("bundle", type=Path, metavar="BUNDLE")
    _config_option(apply)
    apply.set_defaults(run=_apply)

    pin = actions.add_parser(
        "pin-hash", help="make the technician PIN hash for security.technician_pin_hash",
        description="Ask for a technician PIN (6 to 12 digits, twice) and print its salted scrypt hash for "
                    "security.technician_pin_hash. The PIN itself is never stored.")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from one line of standard input")
    pin.set_defaults(run=_pin_hash)


def _config_option(parser: argparse.ArgumentParser) -> None:
    from kiosk.system.places import DEFAULT_CONFIG

    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, metavar="FILE",
                        help=f"local configuration file (default {DEFAULT_CONFIG})")


def _open(args: argparse.Namespace) -> tuple[KioskSettings, BundleStore, bytes] | int:
    """Settings, bundle store and bundle bytes, or an exit code after saying what is wrong."""
    from config.bundle import BundleRefused, read_bundle_file
    from config.errors import ConfigError
    from config.local import load_settings
    from kiosk.fleet.config_updates import BundleStore
    from kiosk.system.clock import SystemClock

    try:
        settings = load_settings(args.config)
        store = BundleStore.for_settings(settings, SystemClock())
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return USAGE
    except OSError as exc:
        print(f"cannot use the state directory: {exc}", file=sys.stderr)
        return USAGE
    try:
        data = read_bundle_file(args.bundle, store.max_size)
    except BundleRefused as exc:
        return _refused(exc, store)
    except OSError as exc:
        print(f"cannot read {args.bundle}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE
    return settings, store, data


def _refused(exc: BundleRefused, store: BundleStore) -> int:
    print(f"REFUSED ({exc.reason}): {exc.message}", file=sys.stderr)
    version = store.installed_version
    print(f"the configuration in force is unchanged ({f'version {version}' if version else 'the shipped defaults'})",
          file=sys.stderr)
    return REFUSED


def _rotate(store: BundleStore, data: bytes, *, apply: bool) -> int:
    """A signed key rotation given to ``verify`` or ``apply`` (see config/rotation.py)."""
    from config.bundle import BundleRefused, Reason
    from config.rotation import verify as verify_rotation
    from kiosk.fleet.key_rotation import apply_rotation, floor_owner

    try:
        if apply:
            rotation = apply_rotation(store, data)
        else:
            rotation = verify_rotation(data, floor_owner(store), store.group, store.clock.now())
            if store.keys.get(rotation.new_key_id) is None:
                raise BundleRefused(Reason.UNKNOWN_KEY, f"the new key {rotation.new_key_id} is not pinned in "
                                                   f"security.trusted_keys; pin it first")
    except BundleRefused as exc:
        print(f"REFUSED ({exc.reason}): {exc.message}", file=sys.stderr)
        print(f"the version floor is unchanged ({store.accepted_version})", file=sys.stderr)
        return REFUSED
    done = "applied" if apply else "valid"
    print(f"{done}: key rotation from key {rotation.from_key_id} to key {rotation.new_key_id}, "
          f"version floor {rotation.version_floor}" + ("" if apply else f" (now {store.accepted_version})"))
    if apply:
        print(f"bundles signed by key {rotation.from_key_id} are refused from now on; the next bundle needs a "
              f"version above {rotation.version_floor}, signed by a pinned key")
    return OK


def _verify(args: argparse.Namespace) -> int:
    from config.bundle import BundleRefused
    from config.rotation import is_rotation

    opened = _open(args)
    if isinstance(opened, int):
        return opened
    settings, store, data = opened
    if is_rotation(data):
        return _rotate(store, data, apply=False)
    installed = store.installed()
    if installed is not None and installed.raw == data:
        print(f"already installed: version {installed.version} is the configuration in force")
        return OK
    try:
        bundle = store.check(data)
    except BundleRefused as exc:
        return _refused(exc, store)
    print(f"valid: version {bundle.version} (installed: {store.installed_version}), signed with key "
          f"{bundle.header.key_id}, for group {settings.kiosk.group}; carries "
          f"{', '.join(bundle.config.parts()) or 'nothing (every default)'}")
    return OK


def _apply(args: argparse.Namespace) -> int:
    from config.bundle import BundleRefused
    from config.rotation import is_rotation
    from kiosk.system.clock import SystemClock
    from kiosk.technician.access import AuditLog

    opened = _open(args)
    if isinstance(opened, int):
        return opened
    settings, store, data = opened
    if is_rotation(data):
        code = _rotate(store, data, apply=True)
        if code == OK:
            AuditLog.in_state_dir(settings.state_dir, SystemClock()).record(
                "key_rotation", {"floor": store.accepted_version, "retired": store.retired_keys()[-1:]})
        return code
    previous = store.installed_version
    try:
        bundle = store.install(data)
    except BundleRefused as exc:
        return _refused(exc, store)
    if bundle is None:
        print(f"already there: this bundle is installed or waiting to be applied (installed version "
              f"{store.installed_version})")
        return OK
    AuditLog.in_state_dir(settings.state_dir, SystemClock()).record(
        "config_apply", {"version": bundle.version, "previous": previous, "digest": bundle.digest[:16]})
    print(f"applied: version {bundle.version} installed in place of "
          f"{f'version {previous}' if previous else 'the shipped defaults'}")
    print("the kiosk application uses it from its next start (systemctl restart kiosk); if its screens cannot "
          "come up with it, it returns to the last good configuration by itself")
    return OK


def _pin_hash(args: argparse.Namespace) -> int:
    from kiosk.technician.access import check_pin_choice, hash_pin

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        try:
            pin = getpass.getpass("technician PIN: ")
            if getpass.getpass("again: ") != pin:
                print("the two PINs differ; nothing made", file=sys.stderr)
                return USAGE
        except (EOFError, KeyboardInterrupt):
            print("no PIN given", file=sys.stderr)
            return USAGE
    problem = check_pin_choice(pin)
    if problem:
        print(f"not a good technician PIN: {problem}", file=sys.stderr)
        return USAGE
    print("put this under [security] in the kiosk's local configuration file:")
    print(f'technician_pin_hash = "{hash_pin(pin)}"')
    return OK
