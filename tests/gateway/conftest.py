"""Gateways for the tests: real uvicorn servers on 127.0.0.1, one demo database each.

Every test that takes a database from ``new_database`` (directly, or through ``start_gateway``,
``shared_gateway`` and the fleet fixtures) runs twice: on SQLite and on PostgreSQL. One PostgreSQL
server is started for the whole session, the first time a test needs it, and stopped at the end;
each call of ``new_database`` makes a fresh database in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import count
from pathlib import Path

import pytest
from gateway_api import HALL, NIGHT, Api, MovableClock  # noqa: F401 (fixtures below hand them out)
from postgres_server import PostgresServer

from gateway.app import create_app
from gateway.kiosks import DEMO_KIOSKS, register_kiosk
from gateway.serve_thread import GatewayThread
from gateway.settings import HALL_ZONE, GatewaySettings

ENGINES = ("sqlite", "postgresql")
_numbers = count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine this module's tests run on (each module runs once per engine)."""
    return request.param


@pytest.fixture(scope="module")
def new_database(engine: str, request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path | str]:
    """``new_database(name)``: a fresh, empty database on this module's engine (a file or a URL)."""

    def make(name: str = "gateway") -> Path | str:
        if engine == "sqlite":
            return tmp_path_factory.mktemp("db") / f"{name}.sqlite3"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.database(f"{name}_{next(_numbers)}")

    return make


@pytest.fixture
def start_gateway(new_database: Callable[[str], Path | str]) -> Iterator[Callable[..., tuple[GatewayThread, GatewaySettings]]]:
    """Start a gateway with the given settings overrides; stopped when the test ends."""
    started: list[GatewayThread] = []

    def start(**overrides) -> tuple[GatewayThread, GatewaySettings]:
        settings = GatewaySettings(db_path=new_database("gateway"), demo=True)
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
def shared_gateway(new_database: Callable[[str], Path | str]) -> Iterator[GatewayThread]:
    """One demo gateway for a whole test module (its tests must not depend on each other's state)."""
    settings = GatewaySettings(db_path=new_database("shared"), demo=True,
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
