"""A token file that is missing at start: offline with one log line, online once the file is written."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.access_token import GatewayToken
from kiosk.gateway_client.client import GatewayClient
from kiosk.gateway_client.errors import GatewayOffline


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("token") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    with server:
        yield server.url


def test_the_kiosk_comes_online_when_the_token_file_is_written_later(gateway_url, tmp_path: Path, caplog) -> None:
    token_file = tmp_path / "gateway.token"
    changes: list[bool] = []
    caplog.set_level(logging.INFO, logger="gateway.client")
    client = GatewayClient(gateway_url, "XM-HALL-001", GatewayToken(path=token_file), probe_interval_s=0.1,
                           on_online_changed=changes.append)
    try:
        assert not client.online and changes == [False]  # offline from the start, not a traceback
        with pytest.raises(GatewayOffline):
            client.queue_overview()
        time.sleep(0.5)  # several probes find the file still missing
        missing = [r for r in caplog.records if "no gateway token" in r.getMessage()]
        assert len(missing) == 1
        assert str(token_file) in missing[0].getMessage() and "No such file or directory" in missing[0].getMessage()

        token_file.write_text("demo-hall-001-secret\n")
        deadline = time.monotonic() + 5
        while not client.online and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.online and changes == [False, True]
        assert client.queue_overview().services  # the token read from the file is accepted
        assert any("gateway token read" in r.getMessage() for r in caplog.records)
    finally:
        client.close()


def test_an_empty_token_file_is_named(tmp_path: Path, caplog) -> None:
    token_file = tmp_path / "gateway.token"
    token_file.write_text("  \n")
    token = GatewayToken(path=token_file)
    assert token.value() is None and token.value() is None
    assert token.problem == f"token file {token_file} is empty"
    assert len([r for r in caplog.records if "no gateway token" in r.getMessage()]) == 1
    assert GatewayToken("fixed").value() == "fixed"
