"""A gateway that accepts connections and never answers, and one that sheds load with 503 + Retry-After.

Real sockets on 127.0.0.1: the hung one accepts and holds every connection without a byte back
(a network that swallows requests); the busy one answers every request 503 with Retry-After, as
the gateway's load shedding does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.fleet.bundle_updates import BundleFetchFailed, BundleUpdates, fetch_bundle
from kiosk.gateway_client.client import CITIZEN_BUDGET_S, GatewayClient
from kiosk.gateway_client.errors import GatewayOffline, GatewayRateLimited, GatewayTimeout
from kiosk.hall.guide_library import GuideLibrary
from offline_cache.content import ContentCache
from offline_cache.store import open_store
from screens.guide import sample_guide


class HungGateway:
    """Listens, accepts, reads nothing and answers nothing; counts the connections it swallowed."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the thread; close() alone does not
        except OSError:
            pass
        self.sock.close()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()


class Shedding(BaseHTTPRequestHandler):
    retry_after = "7"

    def _busy(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b'{"code":"overloaded","message":"the gateway is busy"}'
        self.send_response(503)
        if self.retry_after is not None:
            self.send_header("Retry-After", self.retry_after)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _busy

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hung() -> Iterator[HungGateway]:
    server = HungGateway()
    yield server
    server.close()


def shedding_server(retry_after: str | None) -> ThreadingHTTPServer:
    handler = type("Handler", (Shedding,), {"retry_after": retry_after})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.hits = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def busy() -> Iterator[ThreadingHTTPServer]:
    server = shedding_server("7")
    yield server
    server.shutdown()
    server.server_close()


def client_for(port: int, **options) -> GatewayClient:
    options.setdefault("probe_interval_s", 3600)
    return GatewayClient(f"http://127.0.0.1:{port}", "XM-T-1", "kiosk-secret", **options)


def test_the_citizen_budget_is_three_seconds_with_longer_timeouts_behind_the_page():
    client = client_for(9, read_timeout=8.0)
    try:
        assert CITIZEN_BUDGET_S == 3.0 and client.citizen_budget_s == 3.0 and client.timeout[1] == 8.0
    finally:
        client.close()


def test_a_hung_gateway_gives_the_citizen_an_answer_within_the_budget_not_after_the_retries(hung):
    # 8 s read timeout and 2 retries would keep a citizen 25 s; the budget cuts all attempts together
    client = client_for(hung.port, read_timeout=8.0, retries=2, citizen_budget_s=0.5)
    try:
        started = time.monotonic()
        with pytest.raises(GatewayTimeout) as raised:
            client.lookup_social_security("350203199001011234")
        assert time.monotonic() - started < 2.0
        assert raised.value.unreachable and "within 0.5 s" in raised.value.technician
        assert len(hung.accepted) == 1  # no retry in front of the citizen
    finally:
        client.close()


def test_after_the_breaker_opens_the_next_citizen_is_answered_at_once_without_a_connection(hung):
    client = client_for(hung.port, citizen_budget_s=0.3, failure_threshold=2)
    try:
        for _ in range(2):
            with pytest.raises(GatewayTimeout):
                client.notice("1234567890123456")
        assert not client.online
        swallowed = len(hung.accepted)
        started = time.monotonic()
        with pytest.raises(GatewayOffline) as raised:
            client.queue_overview()
        assert raised.value.code == "circuit_open" and time.monotonic() - started < 0.2
        assert len(hung.accepted) == swallowed
    finally:
        client.close()


@pytest.fixture
def cache(tmp_path):
    store = open_store(tmp_path)
    yield ContentCache(store, now=lambda: 1_000.0)
    store.close()


def test_a_hung_gateway_falls_back_to_the_cached_guide_within_the_budget(hung, cache):
    cache.put("guides", "hf-loan", sample_guide().model_copy(update={"service_id": "hf-loan"}).model_dump(),
              etag="v1")
    client = client_for(hung.port, citizen_budget_s=0.5)
    try:
        library = GuideLibrary(cache, client, now=lambda: 1_000.0 + 600)
        started = time.monotonic()
        view = library.get("hf-loan")
        assert time.monotonic() - started < 2.0
        assert view is not None and view.guide.service_id == "hf-loan" and view.age_s == pytest.approx(600)
    finally:
        client.close()


def test_a_kiosk_known_to_be_offline_opens_the_cached_guide_without_asking(hung, cache):
    from config.catalogue import load_default_catalogue
    from config.local import parse_settings
    from kiosk.journeys.base import JourneyEnv
    from kiosk.journeys.guide import ServiceGuideJourney
    from kiosk.shell.session import CitizenSession

    cache.put("guides", "hf-loan", sample_guide().model_copy(update={"service_id": "hf-loan"}).model_dump(),
              etag="v1")
    client = client_for(hung.port)
    client.breaker.trip()  # the kiosk already knows: offline
    try:
        env = JourneyEnv(settings=parse_settings('[kiosk]\nid = "XM-T-1"\n'), catalogue=load_default_catalogue(),
                         session=CitizenSession(), gateway=client, online=lambda: client.online,
                         extras={"guides": GuideLibrary(cache, client)})
        journey = ServiceGuideJourney(env)
        journey.start()
        journey.open_guide("hf-loan")
        assert journey.state == "guide" and journey.view is not None and journey.view.age_s is not None
        journey.open_guide("ss-card-apply")  # never cached: the missing page, also at once
        assert journey.state == "missing"
        assert hung.accepted == []
    finally:
        client.close()


def test_503_with_retry_after_is_busy_not_a_failure_that_opens_the_breaker(busy):
    client = client_for(busy.server_address[1], failure_threshold=2)
    try:
        for _ in range(4):
            with pytest.raises(GatewayRateLimited) as raised:
                client.catalogue()
            assert raised.value.code == "busy" and raised.value.retry_after_s == 7.0
            assert not raised.value.unreachable
        assert client.online and client.breaker.state == "closed"
        assert busy.hits == 4  # not retried: the gateway asked for 7 s
        assert "稍等" in raised.value.citizen_message("zh") and "busy" in raised.value.citizen_message("en")
    finally:
        client.close()


def test_503_without_retry_after_is_still_the_gateway_down():
    server = shedding_server(None)
    client = client_for(server.server_address[1], failure_threshold=2, retries=0)
    try:
        for _ in range(2):
            with pytest.raises(GatewayOffline):
                client.catalogue()
        assert not client.online
    finally:
        client.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("header, expected", [("7", 7.0), ("junk", 1.0), ("-5", 0.0), ("99999999", 3600.0)])
def test_the_bundle_fetch_reports_how_long_a_busy_gateway_asked_to_wait(header, expected):
    server = shedding_server(header)
    client = client_for(server.server_address[1])
    try:
        with pytest.raises(BundleFetchFailed) as raised:
            fetch_bundle(client, "canary", 0)
        assert raised.value.retry_after_s == expected
        assert client.online
    finally:
        client.close()
        server.shutdown()
        server.server_close()


@pytest.fixture
def poller(kiosk, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from config.bundle import public_key_text
    from kiosk.fleet.config_updates import BundleStore
    from kiosk.shell.worker import ImmediateCalls
    from kiosk.system.clock import SystemClock

    kiosk.context.services.calls = ImmediateCalls()
    store = BundleStore(kiosk.context.settings.state_dir, [public_key_text(Ed25519PrivateKey.generate().public_key())],
                        "canary", SystemClock())
    answers: list[BaseException | None] = []

    def fetch(group: str, installed: int) -> bytes | None:
        answer = answers.pop(0)
        if answer is not None:
            raise answer
        return None

    made = BundleUpdates(kiosk.context, store, fetch=fetch, report=lambda body: None, poll_s=300,
                         parent=kiosk.window)
    made.answers = answers
    return made


def busy_for(seconds: float) -> BundleFetchFailed:
    error = BundleFetchFailed("the gateway is busy (HTTP 503)")
    error.retry_after_s = seconds
    return error


def test_the_bundle_poller_waits_the_longer_of_its_interval_and_retry_after(poller, qtbot):
    poller.answers.extend([busy_for(900), None, busy_for(10), ConnectionError("down")])
    assert poller.next_wait_ms == 300_000
    poller.check_now()
    assert poller.next_wait_ms == 900_000  # the gateway asked for longer than the interval
    poller._poll()  # the long wait is over: the usual pace again
    assert poller.next_wait_ms == 300_000
    poller.check_now()
    assert poller.next_wait_ms == 300_000  # 10 s is shorter than the interval: the interval stands
    poller.check_now()
    assert poller.next_wait_ms == 300_000  # an unreachable gateway changes nothing here
