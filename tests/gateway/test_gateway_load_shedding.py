"""Bounded concurrency: the surplus is refused at once with 503 and Retry-After; the health check never is."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from fastapi import APIRouter

from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings


def test_beyond_max_in_flight_requests_get_503_with_retry_after(new_database):
    router = APIRouter()

    @router.get("/test/slow")
    async def slow() -> dict:
        await asyncio.sleep(1.5)
        return {"done": True}

    settings = GatewaySettings(db_path=new_database("shed"), max_in_flight=2, shed_retry_after_s=3,
                               shed_lag_s=0)  # the in-flight bound alone
    with GatewayThread(create_app(settings, extra_routers=[router])) as server:
        url = server.url + "/api/v1/test/slow"
        with ThreadPoolExecutor(10) as pool:
            started = time.monotonic()
            futures = [pool.submit(requests.get, url, timeout=10) for _ in range(10)]
            time.sleep(0.2)
            health = requests.get(server.url + "/api/v1/health", timeout=5)  # while two slow ones still run
            answers = [future.result() for future in futures]
            shed_in = max(a.elapsed.total_seconds() for a in answers if a.status_code == 503)
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 200] + [503] * 8
        refused = next(a for a in answers if a.status_code == 503)
        assert refused.headers["Retry-After"] == "3" and refused.json()["code"] == "overloaded"
        assert shed_in < 1.0 < 1.5 <= time.monotonic() - started  # refused at once, not after waiting
        assert health.status_code == 200
        assert requests.get(url, timeout=10).status_code == 200  # and served again once it is quiet


def test_a_loop_running_late_sheds_what_queues_behind_it(tmp_path):
    router = APIRouter()

    @router.get("/test/busy")
    async def busy() -> dict:
        time.sleep(0.4)  # work done on the event loop itself: nothing else is looked at meanwhile
        return {"done": True}

    settings = GatewaySettings(db_path=tmp_path / "lag.sqlite3", max_in_flight=64, shed_lag_s=0.2)
    with GatewayThread(create_app(settings, extra_routers=[router])) as server:
        url = server.url + "/api/v1/test/busy"
        with ThreadPoolExecutor(12) as pool:
            started = time.monotonic()
            answers = list(pool.map(lambda _: requests.get(url, timeout=20), range(12)))
            took = time.monotonic() - started
        codes = [a.status_code for a in answers]
        assert set(codes) == {200, 503} and codes.count(503) >= 3, codes
        assert took < 12 * 0.4  # the queue was not worked through one by one
        assert all(a.headers["Retry-After"] == "2" for a in answers if a.status_code == 503)
        deadline = time.monotonic() + 10  # back to serving once the loop keeps time again
        while requests.get(url, timeout=10).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.5)


def test_only_a_gateway_with_its_own_process_sheds_on_a_late_loop():
    from gateway.cli import build_parser, settings_from_args

    served = settings_from_args(build_parser().parse_args([]), "http://127.0.0.1:8765")
    assert served.shed_lag_s == 0.2  # kiosk-gateway: the loop is its own
    # inside another program (the demo kiosk, a test) the neighbour's work is not overload
    assert GatewaySettings(db_path=":memory:").shed_lag_s == 0



def test_one_stall_of_the_loop_then_one_client_asking_quickly_is_no_overload():
    """A loop held once (a slow first request), then one client's requests one after another: none refused."""
    from gateway.load_shedding import LoadShedding

    async def app(scope, receive, send) -> None:
        if scope["path"] == "/stall":
            time.sleep(0.35)  # held once, longer than the late-loop limit
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def client() -> list[int]:
        shedding = LoadShedding(app, max_in_flight=64, max_lag_s=0.2)
        codes: list[int] = []

        async def ask(path: str) -> None:
            async def send(message: dict) -> None:
                if message["type"] == "http.response.start":
                    codes.append(message["status"])
            await shedding(scope={"type": "http", "path": path}, receive=None, send=send)
            await asyncio.sleep(0.002)  # the answer's way back and the next request's way in

        for _ in range(3):
            await ask("/quick")
            await ask("/stall")
            for _ in range(20):
                await ask("/quick")
        return codes

    with ThreadPoolExecutor(1) as loop_thread:  # a loop of its own, whatever loop this thread may hold
        codes = loop_thread.submit(lambda: asyncio.run(client())).result()
    assert codes == [200] * 66, [i for i, c in enumerate(codes) if c != 200]
