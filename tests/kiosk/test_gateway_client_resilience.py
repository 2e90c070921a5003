"""The client when things go wrong: slow answers, a gateway that dies mid-call, overload, nonsense.

A small scripted FastAPI app stands in for a misbehaving gateway; the real reference gateway
comes back on the same port to show recovery.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient
from kiosk.gateway_client.errors import (
    GatewayOffline,
    GatewayRateLimited,
    GatewayRefused,
    GatewayServerError,
    GatewayTimeout,
)

CATALOGUE = {"version": "v1", "departments": []}


class Script:
    """What the stand-in gateway does next on /content/catalogue: a queue of behaviours."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.hits = 0
        self.release = threading.Event()


def scripted_app(script: Script) -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/health")
    def health() -> dict:
        return {"status": "ok", "version": "test", "time": "2026-11-25T10:00:00+08:00"}

    @app.get("/api/v1/content/catalogue")
    def catalogue() -> Response:
        script.hits += 1
        step = script.steps.pop(0) if script.steps else "ok"
        if step == "slow":
            script.release.wait(5)
        if step == "503":
            return JSONResponse({"code": "unavailable", "message": "restarting"}, status_code=503)
        if step.startswith("429:"):
            return JSONResponse({"code": "rate_limited", "message": "slow down"}, status_code=429,
                                headers={"Retry-After": step[4:]})
        if step == "bad_shape":
            return JSONResponse({"version": "v1", "departments": "none"})
        if step == "not_json":
            return PlainTextResponse("<html>proxy error page</html>")
        return JSONResponse(CATALOGUE)

    @app.post("/api/v1/queue/services/{service_id}/call-next")
    def call_next(service_id: str) -> dict:
        script.hits += 1
        script.release.wait(5)
        return {"service_id": service_id, "called": None, "waiting": 0}

    return app


@pytest.fixture
def script() -> Iterator[Script]:
    script = Script()
    yield script
    script.release.set()


@pytest.fixture
def scripted(script: Script) -> Iterator[str]:
    server = GatewayThread(scripted_app(script))
    with server:
        yield server.url
        script.release.set()


class OnlineEvents:
    """Records on_online_changed calls and lets a test wait for one."""

    def __init__(self) -> None:
        self.seen: list[bool] = []
        self._changed = threading.Condition()

    def __call__(self, online: bool) -> None:
        with self._changed:
            self.seen.append(online)
            self._changed.notify_all()

    def wait_for(self, online: bool, timeout: float = 10.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: bool(self.seen) and self.seen[-1] is online, timeout)


def make_client(url: str, events: OnlineEvents | None = None, **options) -> GatewayClient:
    defaults = {"connect_timeout": 1.0, "read_timeout": 0.3, "retries": 2, "backoff_s": 0.01,
                "failure_threshold": 3, "probe_interval_s": 0.05, "on_online_changed": events}
    defaults.update(options)
    return GatewayClient(url, "XM-HALL-001", "demo-hall-001-secret", **defaults)


def test_a_slow_answer_times_out_and_repeated_timeouts_take_the_kiosk_offline(scripted, script):
    events = OnlineEvents()
    client = make_client(scripted, events, probe_interval_s=60)
    try:
        script.steps = ["slow", "slow", "slow"]
        started = time.monotonic()
        with pytest.raises(GatewayTimeout) as timed_out:
            client.catalogue()
        assert time.monotonic() - started < 3  # three attempts of 0.3 s, not the server's 5 s
        assert script.hits == 3
        assert isinstance(timed_out.value, TimeoutError) and timed_out.value.unreachable
        assert "超时" in timed_out.value.citizen_message("zh")
        assert events.seen == [False] and not client.online
        with pytest.raises(GatewayOffline) as fast_fail:
            client.catalogue()
        assert fast_fail.value.code == "circuit_open" and script.hits == 3  # no traffic while offline
    finally:
        client.close()


def test_a_post_without_a_key_is_not_repeated_after_a_timeout(scripted, script):
    client = make_client(scripted)
    try:
        with pytest.raises(GatewayTimeout) as timed_out:
            client.call_next("hf-loan")
        assert script.hits == 1
        assert "outcome is unknown" in timed_out.value.technician
    finally:
        client.close()


def test_a_restarting_gateway_is_retried_with_back_off(scripted, script):
    pauses: list[float] = []
    client = make_client(scripted, sleep=pauses.append, backoff_s=0.2)
    try:
        script.steps = ["503", "503", "ok"]
        assert client.catalogue().version == "v1"
        assert script.hits == 3
        assert len(pauses) == 2 and pauses[1] > pauses[0] >= 0.2  # exponential back-off
        assert client.online
    finally:
        client.close()


def test_overload_honours_retry_after(scripted, script):
    pauses: list[float] = []
    client = make_client(scripted, sleep=pauses.append)
    try:
        script.steps = ["429:1", "ok"]
        assert client.catalogue().version == "v1"
        assert pauses == [1.0]
        script.steps = ["429:30"]
        with pytest.raises(GatewayRateLimited) as limited:
            client.catalogue()
        assert limited.value.retry_after_s == 30 and client.online
        assert "稍等" in limited.value.citizen_message("zh")
    finally:
        client.close()


@pytest.mark.parametrize("step", ["bad_shape", "not_json"])
def test_answers_that_break_the_contract_are_errors_not_offline(scripted, script, step):
    client = make_client(scripted)
    try:
        script.steps = [step]
        with pytest.raises(GatewayServerError) as broken:
            client.catalogue()
        assert broken.value.code == "invalid_response" and client.online
        assert broken.value.citizen_message("en")
    finally:
        client.close()


class VanishingServer:
    """Accepts a connection, reads the request, then disappears without answering."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.requests += 1

    def close(self) -> None:
        self.sock.close()
        self._thread.join(timeout=5)


def test_gateway_gone_mid_call_then_back_on_the_same_port(tmp_path: Path):
    vanishing = VanishingServer()
    url = f"http://127.0.0.1:{vanishing.port}"
    events = OnlineEvents()
    client = make_client(url, events, read_timeout=2.0)
    try:
        with pytest.raises(GatewayOffline) as gone:
            client.lookup_social_security("350206199607210013")  # a keyed POST: retried, then given up
        assert vanishing.requests == 3 and gone.value.code == "offline"
        assert "暂时无法连接" in gone.value.citizen_message("zh")
        assert events.wait_for(False) and not client.online
        vanishing.close()
        # The real gateway comes back on the same port; the client's probe notices without any citizen.
        settings = GatewaySettings(db_path=tmp_path / "gateway.sqlite3", demo=True)
        with GatewayThread(create_app(settings), port=vanishing.port):
            assert events.wait_for(True), events.seen
            assert client.online
            assert client.lookup_social_security("350206199607210013").status == "found"
        assert events.seen == [False, True]
    finally:
        client.close()


def test_a_stopped_gateway_is_offline_and_half_open_lets_one_trial_through(tmp_path: Path):
    settings = GatewaySettings(db_path=tmp_path / "gateway.sqlite3", demo=True)
    server = GatewayThread(create_app(settings)).start()
    events = OnlineEvents()
    client = make_client(server.url, events, probe_interval_s=3600)  # no background probe in this test
    try:
        assert client.queue_overview().services
        server.stop()
        with pytest.raises(GatewayOffline):
            client.queue_overview()
        assert events.seen == [False]
        client.breaker.reset_after_s = 0  # let the next call be the half-open trial
        with pytest.raises(GatewayOffline) as trial:
            client.queue_overview()
        assert trial.value.code == "offline"  # it really tried (connection refused), then reopened
        assert not client.online and events.seen == [False]
        assert client.probe() is False
    finally:
        client.close()


def test_logs_carry_no_personal_data(scripted, caplog, tmp_path: Path):
    settings = GatewaySettings(db_path=tmp_path / "gateway.sqlite3", demo=True)
    with GatewayThread(create_app(settings)) as server:
        client = make_client(server.url, read_timeout=5)
        try:
            with caplog.at_level(logging.DEBUG):
                client.lookup_social_security("350206199607210013")
                client.lookup_population("350203194803120021")
                with pytest.raises(GatewayRefused):
                    client.lookup_property("350205198511030034")
        finally:
            client.close()
    text = caplog.text
    assert "POST /lookups/social-security -> 200" in text
    for personal in ("350206199607210013", "350203194803120021", "350205198511030034", "王晓明", "林秀英",
                     "demo-hall-001-secret"):
        assert personal not in text
