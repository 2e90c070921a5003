"""`kiosk-admin`: the admins' tool for signed configuration bundles.

    kiosk-admin keygen --out DIR [--name NAME] [--passphrase-file FILE | --no-passphrase]
    kiosk-admin bundle build FOLDER --version N --expires DAYS --group G [--group G2] --out FILE
    kiosk-admin bundle sign FILE --key PRIVATE [--passphrase-file FILE]
    kiosk-admin bundle verify FILE --trust PUB [--trust PUB2] [--group G] [--installed-version N]
    kiosk-admin publish FILE --gateway URL --group G --admin-token TOKEN [--allow-version-jump]
    kiosk-admin rotate --key OLD_PRIVATE --new NEW_PUB --floor N --out FILE [--group G] [--expires DAYS]

A version more than MAX_VERSION_JUMP above the last published one is refused (`bundle build`:
against --last-published; `publish`: against the gateway) unless --allow-version-jump, since
kiosks never go below a version they took. If a typo got through, `rotate` is the way out.

Exit codes: 0 done, 2 usage or configuration error, 3 bundle refused / verification failed or the
gateway refused, 4 gateway unreachable.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import (
    DEFAULT_MAX_SIZE,
    BundleRefused,
    KeyRing,
    build,
    format_time,
    key_id,
    load_private_key,
    parse,
    parse_public_key,
    private_key_is_encrypted,
    private_key_pem,
    public_key_text,
    read_bundle_file,
    read_folder,
    verify,
)
from config.errors import ConfigError
from config.remote import RemoteConfig, parse_bundle_files

OK, USAGE, REFUSED, UNREACHABLE = 0, 2, 3, 4
PUBLISH_PATH = "/api/v1/fleet/bundles"
TOKEN_ENV = "KIOSK_ADMIN_TOKEN"
MIN_PASSPHRASE = 12  # characters, for a new key
PUBLIC_KEY_FILE_MAX = 4096
MAX_VERSION_JUMP = 1000
ROLLOUTS_PATH = "/api/v1/fleet/rollouts"


class Failure(Exception):
    """Stop the command with ``code`` after printing ``message`` to stderr."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-admin",
        description="Make signing keys, build, sign, verify and publish signed configuration bundles for the "
                    "hall's kiosks. Exit codes: 0 done, 2 usage or configuration error, 3 refused or "
                    "verification failed, 4 gateway unreachable.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    keygen = commands.add_parser(
        "keygen", help="make an Ed25519 signing key pair",
        description="Write NAME.key (private, mode 0600, encrypted with a passphrase: keep it off the kiosks and "
                    "out of version control) and NAME.pub, and print the public key to add to "
                    "security.trusted_keys on every kiosk. The passphrase is asked for on a terminal, or read "
                    f"from --passphrase-file (first line, at least {MIN_PASSPHRASE} characters); --no-passphrase "
                    "writes the key unencrypted, on purpose only.")
    keygen.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the key files")
    keygen.add_argument("--name", default="bundle-signing", help="file name stem (default bundle-signing)")
    secret = keygen.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", type=Path, metavar="FILE", help="read the passphrase from FILE")
    secret.add_argument("--no-passphrase", action="store_true", help="write the private key unencrypted")
    keygen.set_defaults(run=_keygen)

    bundle = commands.add_parser("bundle", help="build, sign or verify a bundle",
                                 description="Build, sign or verify a configuration bundle file.")
    actions = bundle.add_subparsers(dest="action", metavar="ACTION")
    bundle.set_defaults(run=lambda args: _help(bundle))

    make = actions.add_parser(
        "build", help="build an unsigned bundle from a folder of TOML files",
        description="Validate the folder's files (catalogue.toml, calendar.toml, announcements.toml, "
                    "settings.toml; any may be left out and the kiosks then use their defaults) and write an "
                    "unsigned bundle. Sign it next with `kiosk-admin bundle sign`.")
    make.add_argument("folder", type=Path, metavar="FOLDER")
    make.add_argument("--version", type=int, required=True, metavar="N",
                      help="configuration version; must be higher than any version the kiosks have accepted")
    make.add_argument("--expires", type=float, required=True, metavar="DAYS",
                      help="kiosks refuse the bundle this many days after it was built")
    make.add_argument("--group", action="append", required=True, metavar="G",
                      help="roll-out group it is for (repeatable); '*' means every kiosk")
    make.add_argument("--out", type=Path, required=True, metavar="FILE", help="bundle file to write")
    make.add_argument("--last-published", type=int, metavar="N",
                      help=f"the last version published; --version may be at most {MAX_VERSION_JUMP} above it")
    make.add_argument("--allow-version-jump", action="store_true",
                      help=f"allow a --version more than {MAX_VERSION_JUMP} above the last published one")
    make.set_defaults(run=_build)

    sign = actions.add_parser("sign", help="sign a bundle with a private key",
                              description="Sign FILE with an Ed25519 private key made by `kiosk-admin keygen` "
                                          "(an earlier signature is replaced).")
    sign.add_argument("file", type=Path, metavar="FILE")
    sign.add_argument("--key", type=Path, required=True, metavar="PRIVATE", help="private key file (NAME.key)")
    sign.add_argument("--passphrase-file", type=Path, metavar="FILE",
                      help="the key's passphrase (first line of FILE); asked for on a terminal otherwise")
    sign.add_argument("--out", type=Path, metavar="FILE", help="write the signed bundle here (default: in place)")
    sign.set_defaults(run=_sign)

    check = actions.add_parser(
        "verify", help="check a bundle as a kiosk would",
        description="Check signature, expiry and schema as a kiosk would; with --group also the target group, "
                    "with --installed-version also the version. Exit 0 valid, 3 refused.")
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument("--trust", action="append", required=True, metavar="PUB",
                       help="trusted public key: base64 text or a NAME.pub file (repeatable)")
    check.add_argument("--group", metavar="G", help="check it is meant for this group")
    check.add_argument("--installed-version", type=int, default=0, metavar="N",
                       help="check it is newer than this version (default 0)")
    check.set_defaults(run=_verify)

    publish = commands.add_parser(
        "publish", help="upload a signed bundle to the hall gateway for a group",
        description=f"POST the bundle to GATEWAY{PUBLISH_PATH} for one roll-out group (a canary group first, "
                    f"then the others). The admin token may also come from ${TOKEN_ENV}.")
    publish.add_argument("file", type=Path, metavar="FILE")
    publish.add_argument("--gateway", required=True, metavar="URL", help="gateway base URL, e.g. https://gw.hall:8765")
    publish.add_argument("--group", required=True, metavar="G", help="roll-out group to publish to")
    publish.add_argument("--admin-token", metavar="TOKEN", help=f"admin token (default ${TOKEN_ENV})")
    publish.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait (default 30)")
    publish.add_argument("--allow-version-jump", action="store_true",
                         help=f"publish even when the version is more than {MAX_VERSION_JUMP} above the "
                              f"gateway's newest")
    publish.set_defaults(run=_publish)

    rotate = commands.add_parser(
        "rotate", help="hand the version floor from an old signing key to a new one",
        description="Write a key rotation signed by the OLD key (the one that signed the bundle that set the "
                    "kiosks' highest version), naming the NEW public key and the new version floor N. A kiosk "
                    "given it (`kiosk config apply FILE`) that pins the new key lowers its floor to N, refuses "
                    "the old key's bundles from then on, and accepts the new key's bundles above N. This is "
                    "the way out when a wrong version (e.g. a typo) was accepted.")
    rotate.add_argument("--key", type=Path, required=True, metavar="OLD_PRIVATE", help="the old private key file")
    rotate.add_argument("--passphrase-file", type=Path, metavar="FILE", help="the old key's passphrase (first line)")
    rotate.add_argument("--new", required=True, metavar="NEW_PUB", help="the new public key: base64 or a NAME.pub file")
    rotate.add_argument("--floor", type=int, required=True, metavar="N",
                        help="the new version floor: the next bundle needs a version above N")
    rotate.add_argument("--group", action="append", metavar="G", help="roll-out group (repeatable; default '*')")
    rotate.add_argument("--expires", type=float, default=30.0, metavar="DAYS",
                        help="kiosks refuse the rotation after this many days (default 30)")
    rotate.add_argument("--out", type=Path, required=True, metavar="FILE", help="rotation file to write")
    rotate.set_defaults(run=_rotate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE
    try:
        return int(args.run(args) or OK)
    except Failure as failure:
        print(f"kiosk-admin: {failure.message}", file=sys.stderr)
        return failure.code
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return USAGE


def _publish(args: argparse.Namespace) -> int:
    from config.admin_publish import publish

    return publish(args)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return USAGE


# -- keygen -----------------------------------------------------------------------------------------

def _keygen(args: argparse.Namespace) -> int:
    if not args.name or "/" in args.name or args.name.startswith("."):
        raise Failure(USAGE, f"--name must be a plain file name stem, got {args.name!r}")
    args.out.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path, public_path = args.out / f"{args.name}.key", args.out / f"{args.name}.pub"
    for path in (private_path, public_path):
        if path.exists():
            raise Failure(USAGE, f"{path} already exists; choose another --name (keys are never overwritten)")
    if args.no_passphrase:
        passphrase = None
    else:
        passphrase = _passphrase(args.passphrase_file, f"passphrase for {private_path.name}", confirm=True)
        if passphrase is None:
            raise Failure(USAGE, "the private key would be written unencrypted: give --passphrase-file FILE, "
                                 "or --no-passphrase to do that on purpose")
        if len(passphrase.decode("utf-8")) < MIN_PASSPHRASE:
            raise Failure(USAGE, f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    key = Ed25519PrivateKey.generate()
    # O_EXCL and mode 0600 from the first byte: the private key is never readable by others, not even briefly
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(key, passphrase))
    public = public_key_text(key.public_key())
    public_path.write_text(public + "\n", encoding="utf-8")
    protection = "encrypted with the passphrase" if passphrase else "NOT encrypted"
    print(f"private key: {private_path} ({protection}; mode 0600; keep it secret)")
    print(f"public key:  {public_path}")
    print(f"key id:      {key_id(key.public_key())}")
    print("add this to security.trusted_keys on every kiosk:")
    print(public)
    return OK


def _passphrase(path: Path | None, prompt: str, *, confirm: bool) -> bytes | None:
    """The passphrase from the first line of ``path``, else asked for on a terminal; None when neither."""
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise Failure(USAGE, f"cannot read the passphrase file {path}: {exc}") from None
        if not lines or not lines[0]:
            raise Failure(USAGE, f"the passphrase file {path} is empty")
        return lines[0].encode("utf-8")
    if not sys.stdin.isatty():
        return None
    typed = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != typed:
        raise Failure(USAGE, "the two passphrases differ")
    if not typed:
        raise Failure(USAGE, "no passphrase typed")
    return typed.encode("utf-8")


# -- bundle build / sign / verify -----------------------------------------------------------------------

def _read_bundle(path: Path) -> bytes:
    try:
        return read_bundle_file(path, DEFAULT_MAX_SIZE)
    except BundleRefused as exc:
        raise Failure(REFUSED, f"{exc.message}; kiosks refuse it") from None
    except OSError as exc:
        raise Failure(USAGE, f"cannot read {path}: {exc.strerror or exc}") from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise Failure(USAGE, f"cannot write {path}: {exc.strerror or exc}") from None


def _describe(config: RemoteConfig) -> str:
    carried = config.parts()
    defaults = [name for name in type(config).model_fields if name not in carried]
    return (f"carries: {', '.join(carried) or 'nothing'}; "
            f"kiosks use their defaults for: {', '.join(defaults) or 'nothing'}")


def _build(args: argparse.Namespace) -> int:
    files = read_folder(args.folder)
    if not 0 < args.expires <= 3650:
        raise Failure(USAGE, f"--expires must be between 0 and 3650 days, got {args.expires}")
    _check_jump(args.version, args.last_published or 0, "--last-published", args.allow_version_jump)
    issued = datetime.now(UTC).replace(microsecond=0)
    bundle, config = build(files, version=args.version, issued_at=issued,
                           expires_at=issued + timedelta(days=args.expires), groups=args.group)
    data = bundle.to_bytes()
    if len(data) > DEFAULT_MAX_SIZE:
        raise Failure(USAGE, f"the bundle would be {len(data)} bytes; kiosks refuse more than {DEFAULT_MAX_SIZE}")
    _write(args.out, data)
    print(f"built {args.out}: version {args.version} for group(s) {', '.join(args.group)}, "
          f"expires {format_time(bundle.header.expires_at)}, {len(data)} bytes (unsigned)")
    print(_describe(config))
    print(f"next: kiosk-admin bundle sign {args.out} --key NAME.key")
    return OK


def _check_jump(version: int, last: int, source: str, allowed: bool) -> None:
    """Refuse a version far above the last published one: kiosks could never go below it again."""
    if version - last > MAX_VERSION_JUMP and not allowed:
        raise Failure(USAGE, f"version {version} is {version - last} above the last published version {last} "
                             f"({source}); kiosks never accept a lower version again, so a typo would freeze them. "
                             f"Check it, or give --allow-version-jump if it is meant")


def _parse_for_admin(path: Path) -> Any:
    try:
        return parse(_read_bundle(path))
    except BundleRefused as exc:
        raise Failure(USAGE, f"{path} is not a usable bundle file: {exc.message}") from None


def _signing_key(args: argparse.Namespace) -> Ed25519PrivateKey:  # --key, its passphrase from a file or the terminal
    passphrase = None
    if private_key_is_encrypted(args.key):
        passphrase = _passphrase(args.passphrase_file, f"passphrase for {args.key.name}", confirm=False)
        if passphrase is None:
            raise Failure(USAGE, f"{args.key} is encrypted: give --passphrase-file FILE, or run on a terminal")
    return load_private_key(args.key, passphrase)


def _sign(args: argparse.Namespace) -> int:
    bundle = _parse_for_admin(args.file)
    key = _signing_key(args)
    # never put a signature on content the kiosks would refuse anyway
    parse_bundle_files(bundle.files, source=str(args.file))
    signed = bundle.signed_with(key)
    out = args.out or args.file
    _write(out, signed.to_bytes())
    print(f"signed {out}: version {signed.header.config_version} with key {signed.header.key_id}")
    return OK


def _trusted(values: list[str]) -> KeyRing:
    keys, problems = [], []
    for value in values:
        text = value
        path = Path(value)
        if path.is_file():
            try:
                with path.open("rb") as handle:  # a public key file is one short line
                    text = handle.read(PUBLIC_KEY_FILE_MAX).decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"--trust {value}: cannot read the public key file: {exc}")
                continue
        try:
            keys.append(parse_public_key(text))
        except ValueError as exc:
            problems.append(f"--trust {value}: {exc}")
    if problems:
        raise Failure(USAGE, "; ".join(problems))
    return KeyRing(keys)


def _verify(args: argparse.Namespace) -> int:
    ring = _trusted(args.trust)
    data = _read_bundle(args.file)
    try:
        bundle = verify(data, ring, args.installed_version, args.group, datetime.now(UTC))
    except BundleRefused as exc:
        print(f"REFUSED ({exc.reason}): {exc.message}", file=sys.stderr)
        return REFUSED
    header = bundle.header
    print(f"valid: {args.file} version {header.config_version}, signed with key {header.key_id}, "
          f"for group(s) {', '.join(header.groups)}, expires {format_time(header.expires_at)}")
    print(_describe(bundle.config))
    return OK


# -- rotate ---------------------------------------------------------------------------------------------

def _rotate(args: argparse.Namespace) -> int:
    from config.rotation import make

    groups = tuple(args.group or ["*"])
    if not 0 < args.expires <= 365:
        raise Failure(USAGE, f"--expires must be between 0 and 365 days, got {args.expires}")
    new_key = _trusted([args.new])
    new_public = new_key.get(new_key.ids()[0]) if len(new_key) == 1 else None
    if new_public is None:
        raise Failure(USAGE, "--new: expected one public key")
    old_key = _signing_key(args)
    issued = datetime.now(UTC).replace(microsecond=0)
    try:
        rotation = make(old_key, new_public, args.floor, issued,
                        issued + timedelta(days=args.expires), groups)
    except ValueError as exc:
        raise Failure(USAGE, str(exc)) from None
    _write(args.out, rotation.to_bytes())
    print(f"rotation {args.out}: key {rotation.from_key_id} hands the version floor to key {rotation.new_key_id}, "
          f"floor {rotation.version_floor}, for group(s) {', '.join(groups)}, expires "
          f"{format_time(rotation.expires_at)}")
    print(f"on each kiosk: pin the new key in security.trusted_keys, then `kiosk config apply {args.out.name}`; "
          f"then publish bundles above version {rotation.version_floor} signed with the new key")
    return OK



if __name__ == "__main__":
    sys.exit(main())
