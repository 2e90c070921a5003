"""Who may run the fleet: the admin password, admin API tokens, console sessions, trusted signing keys.

- The console password is kept only as an Argon2id hash (:mod:`gateway.admin_password`), set by
  ``kiosk-gateway admin set-password`` or, at each start, from ``--admin-password-file``; an older
  scrypt hash still opens the console once and is replaced at that login.
- ``kiosk-admin publish`` authenticates with an admin token (``kiosk-gateway admin new-token``):
  a long random secret, stored as SHA-256 like the kiosks' tokens.
- A console session is a random id in an HttpOnly, SameSite=Strict cookie, stored hashed, with its
  own CSRF token that every state-changing request must echo.
- Wrong passwords (and wrong tokens) from one address lock that address out for a while after
  ``FREE_FAILURES``, doubling each time; an address quiet for ``FAILURES_KEPT_S`` is forgotten.
- The public keys the gateway checks uploaded bundles against (``admin trust-key`` or
  ``--trusted-key``); the kiosks pin their own copies.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import secrets
import sys
from pathlib import Path

from config.bundle import KeyRing, key_id, parse_public_key
from contract.backoff import backoff_delay
from gateway import enrolment_cli
from gateway.admin_password import check_password, hash_password, is_hash, needs_rehash, within_bounds
from gateway.storage import Database, database_location, describe

__all__ = ["check_password", "hash_password", "needs_rehash"]  # re-exported for the console and tests

MIN_PASSWORD = 10
FREE_FAILURES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 15 * 60.0
SESSION_IDLE_S = 30 * 60.0
SESSION_SEEN_EVERY_S = 60.0
SESSION_MAX_S = 12 * 3600.0
FAILURES_KEPT_S = 24 * 3600.0


# -- the password ----------------------------------------------------------------------------------

def _get(db: Database, name: str) -> str | None:
    with db.read() as conn:
        row = conn.one("SELECT value FROM fleet_settings WHERE name = ?", (name,))
    return row["value"] if row is not None else None


def _put(db: Database, name: str, value: str) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO fleet_settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                     "value = excluded.value", (name, value))


def set_password(db: Database, password: str) -> None:
    """Store the console password (as its hash); raises ValueError for one too short to be safe."""
    if is_hash(password):  # already hashed (e.g. kept in a credentials store)
        if not within_bounds(password):
            raise ValueError("that password hash is damaged or asks for more work than the gateway allows")
        _put(db, "password_hash", password)
    elif len(password) < MIN_PASSWORD:
        raise ValueError(f"the admin password must have at least {MIN_PASSWORD} characters")
    else:
        _put(db, "password_hash", hash_password(password))
    with db.transaction() as conn:  # a new password ends every open console session
        conn.execute("DELETE FROM fleet_sessions")


def password_hash(db: Database) -> str | None:
    return _get(db, "password_hash")


def login(db: Database, password: str) -> bool:
    """Check the console password; a correct one kept under an old scheme or settings is rehashed now."""
    stored = password_hash(db)
    if not check_password(password, stored):
        return False
    if stored is not None and needs_rehash(stored):
        _put(db, "password_hash", hash_password(password))  # open sessions stay: it is the same password
    return True


# -- admin tokens --------------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(("fleet-admin:" + token).encode("utf-8")).hexdigest()


def new_token(db: Database, label: str, created_at: str) -> str:
    """Make an admin API token; only its hash is kept, so show it to the admin now."""
    token = "xmadm_" + secrets.token_urlsafe(32)
    with db.transaction() as conn:
        conn.execute("INSERT INTO fleet_admin_tokens VALUES (?, ?, ?)", (_token_hash(token), label, created_at))
    return token


def check_token(db: Database, token: str) -> bool:
    with db.read() as conn:
        return conn.one("SELECT 1 FROM fleet_admin_tokens WHERE token_hash = ?", (_token_hash(token),)) is not None


# -- console sessions ------------------------------------------------------------------------------------

def _session_hash(session_id: str) -> str:
    return hashlib.sha256(("fleet-session:" + session_id).encode("utf-8")).hexdigest()


def open_session(db: Database, now_ts: float) -> tuple[str, str]:
    """A new console session: (session id for the cookie, CSRF token for the page)."""
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with db.transaction() as conn:
        conn.execute("DELETE FROM fleet_sessions WHERE seen_ts < ? OR created_ts < ?",
                     (now_ts - SESSION_IDLE_S, now_ts - SESSION_MAX_S))
        conn.execute("INSERT INTO fleet_sessions VALUES (?, ?, ?, ?)", (_session_hash(session_id), csrf, now_ts, now_ts))
    return session_id, csrf


def session_csrf(db: Database, session_id: str | None, now_ts: float) -> str | None:
    """The CSRF token of a live session (and the session kept alive), or None.

    Every console request asks, so this reads; it writes only to end an expired session or, at
    most once a minute, to note that the session is still in use.
    """
    if not session_id:
        return None
    with db.read() as conn:
        row = conn.one("SELECT * FROM fleet_sessions WHERE id_hash = ?", (_session_hash(session_id),))
    if row is None:
        return None
    if row["seen_ts"] < now_ts - SESSION_IDLE_S or row["created_ts"] < now_ts - SESSION_MAX_S:
        close_session(db, session_id)
        return None
    if now_ts - row["seen_ts"] >= SESSION_SEEN_EVERY_S:
        with db.transaction(lock=None) as conn:
            conn.execute("UPDATE fleet_sessions SET seen_ts = ? WHERE id_hash = ?", (now_ts, row["id_hash"]))
    return row["csrf"]


def close_session(db: Database, session_id: str | None) -> None:
    if session_id:
        with db.transaction() as conn:
            conn.execute("DELETE FROM fleet_sessions WHERE id_hash = ?", (_session_hash(session_id),))


def login_csrf(db: Database, nonce: str) -> str:
    """The CSRF token for the login form of a browser holding ``nonce`` in its pre-login cookie."""
    secret = _get(db, "login_secret")
    if secret is None:
        secret = secrets.token_hex(32)
        _put(db, "login_secret", secret)
    return hmac.new(secret.encode(), ("login:" + nonce).encode(), hashlib.sha256).hexdigest()


# -- throttling wrong passwords ------------------------------------------------------------------------

def locked_for(db: Database, source: str, now_ts: float) -> float:
    """Seconds ``source`` must still wait before it may try again (0: it may try now)."""
    with db.read() as conn:  # every console request asks: a read, never the write lock
        row = conn.one("SELECT locked_until FROM fleet_login_failures WHERE source = ?", (source,))
    return max(0.0, row["locked_until"] - now_ts) if row is not None else 0.0


def note_failure(db: Database, source: str, now_ts: float) -> float:
    """Count a wrong password or token from ``source``; returns the lock it now has (seconds, 0: none)."""
    with db.transaction() as conn:
        # Forget addresses quiet for a day, so the table does not grow with every address that ever knocked.
        conn.execute("DELETE FROM fleet_login_failures WHERE locked_until < ?", (now_ts - FAILURES_KEPT_S,))
        row = conn.one("SELECT failures FROM fleet_login_failures WHERE source = ?", (source,))
        failures = (row["failures"] if row is not None else 0) + 1
        lock = 0.0
        if failures >= FREE_FAILURES:
            lock = backoff_delay(failures - FREE_FAILURES + 1, first=FIRST_LOCK_S, limit=MAX_LOCK_S)
        conn.execute("INSERT INTO fleet_login_failures VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET "
                     "failures = excluded.failures, locked_until = excluded.locked_until",
                     (source, failures, now_ts + lock))
    return lock


def note_success(db: Database, source: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM fleet_login_failures WHERE source = ?", (source,))


# -- trusted signing keys ---------------------------------------------------------------------------------

def trusted_key_texts(db: Database) -> list[str]:
    return json.loads(_get(db, "trusted_keys") or "[]")


def trusted_keys(db: Database) -> KeyRing:
    return KeyRing.from_text(trusted_key_texts(db), source="gateway trusted keys")


def trust_key(db: Database, text: str) -> str:
    """Trust a base64 Ed25519 public key (or a NAME.pub file's text); returns its key id."""
    key = parse_public_key(text)
    texts = trusted_key_texts(db)
    clean = text.strip()
    if clean not in texts:
        texts.append(clean)
        _put(db, "trusted_keys", json.dumps(texts))
    return key_id(key)


def distrust_key(db: Database, kid: str) -> bool:
    texts = trusted_key_texts(db)
    kept = [t for t in texts if key_id(parse_public_key(t)) != kid]
    _put(db, "trusted_keys", json.dumps(kept))
    return len(kept) != len(texts)


# -- command line ----------------------------------------------------------------------------------------

def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """Options of ``kiosk-gateway`` (serving) that concern the fleet console."""
    parser.add_argument("--admin-password-file", type=Path, metavar="FILE",
                        help="set the fleet console password from this file at start (its first line; "
                             "an $argon2id$… hash is taken as is)")
    parser.add_argument("--trusted-key", action="append", default=[], metavar="PUB",
                        help="trust this bundle signing key (base64 or a NAME.pub file; repeatable)")


def apply_serve_options(args: argparse.Namespace, db: Database) -> None:
    """Apply ``--admin-password-file`` and ``--trusted-key``; raises ValueError/OSError with a clear message."""
    if getattr(args, "admin_password_file", None):
        lines = Path(args.admin_password_file).read_text(encoding="utf-8").splitlines()
        set_password(db, lines[0].strip() if lines else "")
    for value in getattr(args, "trusted_key", []) or []:
        trust_key(db, _key_text(value))


def _key_text(value: str) -> str:
    path = Path(value)
    try:
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    return value


def admin_main(argv: list[str]) -> int:
    """``kiosk-gateway admin …``: console password, admin tokens, trusted keys, kiosk enrolment. Exit 0 / 2."""
    parser = argparse.ArgumentParser(prog="kiosk-gateway admin", description="Manage who may run the fleet.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    setpw = commands.add_parser("set-password", help="set the fleet console password (stored as an Argon2id hash)")
    setpw.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    token = commands.add_parser("new-token", help="make an admin token for `kiosk-admin publish`")
    token.add_argument("--label", default="kiosk-admin", help="what the token is for")
    trust = commands.add_parser("trust-key", help="trust a bundle signing key (base64 or NAME.pub)")
    trust.add_argument("key", metavar="PUB")
    distrust = commands.add_parser("distrust-key", help="stop trusting a key, by its key id")
    distrust.add_argument("key_id", metavar="KEY_ID")
    commands.add_parser("keys", help="list the trusted signing keys")
    kiosk_commands = enrolment_cli.add_commands(commands)
    for sub in (setpw, token, trust, distrust, commands.choices["keys"], *kiosk_commands):
        sub.add_argument("--db", type=database_location, default=Path("gateway.sqlite3"), metavar="FILE|URL",
                         help="the gateway's database (a SQLite file or a postgresql:// URL)")
    args = parser.parse_args(argv)
    try:
        db = Database(args.db)
    except Exception as exc:
        print(f"kiosk-gateway admin: cannot open {describe(args.db)}: {exc}", file=sys.stderr)
        return 2
    try:
        return _run_admin(args, db)
    except ValueError as exc:
        print(f"kiosk-gateway admin: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()


def _run_admin(args: argparse.Namespace, db: Database) -> int:
    if args.command in enrolment_cli.COMMANDS:
        return enrolment_cli.run(args, db)
    if args.command == "set-password":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("new fleet console password: ")
            if getpass.getpass("again: ") != password:
                raise ValueError("the two passwords differ; nothing changed")
        set_password(db, password)
        print("fleet console password set (stored as an Argon2id hash); open console sessions were closed")
    elif args.command == "new-token":
        from datetime import UTC, datetime

        print(new_token(db, args.label, datetime.now(UTC).isoformat(timespec="seconds")))
        print("keep it secret: it is shown only now (use it as --admin-token or $KIOSK_ADMIN_TOKEN)", file=sys.stderr)
    elif args.command == "trust-key":
        print(f"trusted key {trust_key(db, _key_text(args.key))}")
    elif args.command == "distrust-key":
        if not distrust_key(db, args.key_id):
            raise ValueError(f"no trusted key with id {args.key_id}")
        print(f"key {args.key_id} no longer trusted")
    else:
        for text in trusted_key_texts(db):
            print(key_id(parse_public_key(text)), text)
    return 0
