"""Gateways for the tests: real uvicorn servers on 127.0.0.1, one demo database each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from gateway.app import create_app
from gateway.kiosks import DEMO_KIOSKS, register_kiosk
from gateway.serve_thread import GatewayThread
from gateway.settings import HALL_ZONE, GatewaySettings

HALL = ("XM-HALL-001", "demo-hall-001-secret")
NIGHT = ("XM-24H-001", "demo-24h-001-secret")


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


@pytest.fixture
def start_gateway(tmp_path: Path) -> Iterator[Callable[..., tuple[GatewayThread, GatewaySettings]]]:
    """Start a gateway with the given settings overrides; stopped when the test ends."""
    started: list[GatewayThread] = []

    def start(**overrides) -> tuple[GatewayThread, GatewaySettings]:
        settings = GatewaySettings(db_path=tmp_path / f"gateway-{len(started)}.sqlite3", demo=True)
        for name, value in overrides.items():
            setattr(settings, name, value)
        app = create_app(settings)
        if not settings.demo:  # an empty gateway still knows the two demo kiosks
            for kiosk_id, token, zone in DEMO_KIOSKS:
                register_kiosk(app.state.gateway.db, kiosk_id, token, zone)
        server = GatewayThread(app)
        settings.public_url = server.url
        started.append(server.start())
        return server, settings

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def shared_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayThread]:
    """One demo gateway for a whole test module (its tests must not depend on each other's state)."""
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("gw") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api(shared_gateway: GatewayThread) -> Api:
    return Api(shared_gateway.url)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 11, 25, 10, 0, tzinfo=HALL_ZONE))


@pytest.fixture
def make_api() -> Callable[..., Api]:
    """``make_api(url, kiosk=HALL)``: a session for another gateway or another kiosk."""
    return Api
