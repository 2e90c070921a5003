"""Shared pieces for the fleet tests: signing keys, bundles, a gateway with an admin, heartbeats."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway_api import HALL, NIGHT, Api, MovableClock  # noqa: F401 (the fleet tests import them from here)

from config.bundle import build, public_key_text
from config.local import DEFAULTS_DIR
from gateway import fleet_admin
from gateway.app import create_app
from gateway.kiosks import DEMO_KIOSKS, register_kiosk
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings

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


class Fleet:
    """A running gateway with an admin password, an admin token and one trusted signing key."""

    def __init__(self, where: Path | str, clock=None, **overrides) -> None:
        """``where``: a database (a ``.sqlite3`` file or a PostgreSQL URL), or a folder for a SQLite one."""
        self.clock = clock or MovableClock(datetime.now(UTC))
        database = where if isinstance(where, str) or where.suffix == ".sqlite3" else where / "fleet.sqlite3"
        settings = GatewaySettings(db_path=database, demo=False, rate_per_s=1000,
                                   rate_burst=1000, now=self.clock, **overrides)
        self.app = create_app(settings)
        self.db = self.app.state.gateway.db
        for kiosk_id, token, zone in DEMO_KIOSKS:
            register_kiosk(self.db, kiosk_id, token, zone)
        fleet_admin.set_password(self.db, ADMIN_PASSWORD)
        self.token = fleet_admin.new_token(self.db, "tests", "2026-11-25T00:00:00Z")
        self.key, self.public = new_key()
        fleet_admin.trust_key(self.db, self.public)
        self.server = GatewayThread(self.app).start()
        self.url = self.server.url
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = f"Bearer {self.token}"

    def beat(self, kiosk=HALL, **parts) -> requests.Response:
        body = heartbeat(kiosk[0], **{"sent_at": self.clock().isoformat(timespec="seconds"), **parts})
        key = f"hb-{kiosk[0]}-{body['sent_at']}".replace("+", "p")
        return Api(self.url, kiosk).post("/outbox/telemetry", json={"payload": body}, key=key)

    def publish(self, data: bytes, group: str = "canary", session=None) -> requests.Response:
        return (session or self.admin).post(self.url + "/api/v1/fleet/bundles",
                                            json={"group": group, "bundle": json.loads(data)}, timeout=10)

    def kiosks(self) -> dict[str, dict]:
        answer = self.admin.get(self.url + "/api/v1/fleet/kiosks", params={"per_page": 200}, timeout=10)
        assert answer.status_code == 200, answer.text
        return {k["kiosk_id"]: k for k in answer.json()["kiosks"]}

    def fetch(self, kiosk=HALL, group="canary", installed=0) -> requests.Response:
        return Api(self.url, kiosk).get("/fleet/bundle", params={"group": group, "installed": installed})
