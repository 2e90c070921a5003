"""A kiosk's view of a test gateway, shared by the gateway fixtures and the fleet tests:
the demo kiosk credentials, a movable clock, an authenticated session."""

from __future__ import annotations

from datetime import datetime, timedelta

import requests

from gateway.storage import Database

HALL = ("XM-HALL-001", "demo-hall-001-secret")
NIGHT = ("XM-24H-001", "demo-24h-001-secret")


def rows(database, sql: str, *params) -> list[dict]:
    """What a query finds in a gateway's database (a SQLite file or a PostgreSQL URL), as dicts."""
    db = Database(database, upgrade=False)
    try:
        with db.read() as conn:
            return [dict(row) for row in conn.all(sql, params)]
    finally:
        db.close()


def count(database, sql: str, *params) -> int:
    """The number a ``SELECT COUNT(*) …`` query gives."""
    return int(next(iter(rows(database, sql, *params)[0].values())))


class MovableClock:
    """The hall's clock, moved by the test (order expiry, the next day's numbers)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Api:
    """A kiosk's authenticated session against one test gateway."""

    def __init__(self, url: str, kiosk: tuple[str, str] = HALL) -> None:
        self.url = url
        self.base = url + "/api/v1"
        self.session = requests.Session()
        self.session.headers.update({"X-Kiosk-Id": kiosk[0], "Authorization": f"Bearer {kiosk[1]}"})

    def get(self, path: str, **kw) -> requests.Response:
        return self.session.get(self.base + path, timeout=10, **kw)

    def post(self, path: str, json=None, key: str | None = None, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.session.post(self.base + path, json=json, headers=headers, timeout=10, **kw)
