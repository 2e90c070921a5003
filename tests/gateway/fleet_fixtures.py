"""Shared pieces for the fleet tests: signing keys, bundles, a gateway with an admin, heartbeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from config.local import DEFAULTS_DIR

ADMIN_PASSWORD = "correct horse battery staple"
HALL = ("XM-HALL-001", "demo-hall-001-secret")
NIGHT = ("XM-24H-001", "demo-24h-001-secret")


class MovableClock:
    """The gateway's clock, moved by the test (heartbeat ages, lockouts)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Api:
    """A kiosk's authenticated session (this module's own, so it never depends on which conftest loaded)."""

    def __init__(self, url: str, kiosk: tuple[str, str] = HALL) -> None:
        self.base = url + "/api/v1"
        self.session = requests.Session()
        self.session.headers.update({"X-Kiosk-Id": kiosk[0], "Authorization": f"Bearer {kiosk[1]}"})

    def get(self, path: str, **kw) -> requests.Response:
        return self.session.get(self.base + path, timeout=10, **kw)

    def post(self, path: str, json=None, key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.session.post(self.base + path, json=json, headers=headers, timeout=10)
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
