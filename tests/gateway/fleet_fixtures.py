"""Shared pieces for the fleet tests: signing keys, bundles, a gateway with an admin, heartbeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway_api import HALL, NIGHT, Api, MovableClock  # noqa: F401 (the fleet tests import them from here)

from config.bundle import build, public_key_text
from config.local import DEFAULTS_DIR

ADMIN_PASSWORD = "correct horse battery staple"
EXAMPLE = DEFAULTS_DIR / "bundle-example"


def example_files(**changes: str) -> dict[str, str]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.toml"))}
    files.update(changes)
    return files


def signed_bundle(key: Ed25519PrivateKey | None, version: int, groups=("*",), *, files=None,
                  issued: datetime | None = None, days: float = 30) -> bytes:
    """A bundle file; unsigned when ``key`` is None."""
    issued = issued or datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    bundle, _ = build(files or example_files(), version=version, issued_at=issued,
                      expires_at=issued + timedelta(days=days), groups=list(groups))
    return (bundle.signed_with(key) if key is not None else bundle).to_bytes()


def new_key() -> tuple[Ed25519PrivateKey, str]:
    key = Ed25519PrivateKey.generate()
    return key, public_key_text(key.public_key())


def heartbeat(kiosk_id: str = "XM-HALL-001", group: str = "canary", sent_at: str | None = None, **parts) -> dict:
    body = {"kind": "heartbeat", "kiosk_id": kiosk_id, "group": group,
            "sent_at": sent_at or datetime.now(UTC).isoformat(timespec="seconds"), "app_version": "0.1.0",
            "config": {"installed_version": 0}, "devices": {}, "paper": {"state": "ok"},
            "outbox": {"pending": 0, "parked": 0, "unfinished": 0}, "last_errors": [], "uptime_s": 5}
    body.update(parts)
    return body


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
