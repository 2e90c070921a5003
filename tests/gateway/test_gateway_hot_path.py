"""The hot path (gateway/hot_path.py): heartbeats and bundle polls answered before FastAPI, exactly as FastAPI would.

Each request is sent twice, to a gateway with the fast path and to the same gateway's FastAPI app
alone (the fast path switched off), over two databases in the same state: status, body and
headers must be the same. The token cache follows the database's count of token changes, so a
rotation or a disabling made by another worker reaches this one within its second.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

from fleet_fixtures import heartbeat
from gateway_api import HALL, NIGHT

from gateway import enrolment
from gateway.app import create_app
from gateway.auth import known_kiosk
from gateway.hot_path import HotPath
from gateway.kiosks import DEMO_KIOSKS, register_kiosk, token_version
from gateway.serve_thread import GatewayThread
from gateway.settings import HALL_ZONE, GatewaySettings

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=HALL_ZONE)


def _gateway(location, fast: bool, tmp_path_factory) -> tuple[GatewayThread, HotPath | None]:
    settings = GatewaySettings(db_path=location, rate_per_s=0.001, rate_burst=6, now=lambda: NOW,
                               document_key_dir=tmp_path_factory.mktemp("document-key"))
    app = create_app(settings)
    for kiosk_id, token, zone in DEMO_KIOSKS:
        register_kiosk(app.state.gateway.db, kiosk_id, token, zone)
    found: list[HotPath] = []
    if not fast:  # the same app without its fast path: every request goes to the FastAPI routes
        app.user_middleware = [m for m in app.user_middleware if m.cls is not HotPath]
    server = GatewayThread(app).start()
    if fast:
        server_app = server._server.config.app
        stack = server_app.middleware_stack or server_app.build_middleware_stack()
        while stack is not None and not isinstance(stack, HotPath):
            stack = getattr(stack, "app", None)
        if isinstance(stack, HotPath):
            found.append(stack)
    return server, (found[0] if found else None)


def _exchange(url: str, method: str, path: str, headers: dict[str, str], body: bytes | None) -> tuple:
    import requests

    answer = requests.request(method, url + path, headers=headers, data=body, timeout=10)
    kept = {k.lower(): v for k, v in answer.headers.items() if k.lower() != "date"}
    return answer.status_code, answer.content, kept


def _good_beat(kiosk=HALL, **parts) -> bytes:
    payload = heartbeat(kiosk[0], **{"sent_at": NOW.isoformat(timespec="seconds"), **parts})
    return json.dumps({"payload": payload, "created_at": NOW.isoformat(timespec="seconds")}).encode()


def _auth(kiosk=HALL, **more: str) -> dict[str, str]:
    return {"X-Kiosk-Id": kiosk[0], "Authorization": f"Bearer {kiosk[1]}", **more}


JSON = {"Content-Type": "application/json"}
BEAT = "/api/v1/outbox/telemetry"
CASES = [  # (method, path, headers, body): the ordinary requests, then everything a kiosk or a stranger gets wrong
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000001"}), _good_beat()),
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000001"}), _good_beat()),  # replayed
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000001"}), _good_beat(app_version="9.9.9")),  # 409
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000002"}), _good_beat(NIGHT)),  # another kiosk's
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000003"}),
     _good_beat(sent_at="2099-01-01T00:00:00+08:00")),  # its clock far off
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000004"}), b"{not json"),
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000005"}), b'{"payload": {"kind": "heartbeat"}}'),
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "short"}), _good_beat()),
    ("POST", BEAT, _auth(**JSON), _good_beat()),
    ("POST", BEAT, _auth(**{"Idempotency-Key": "beat-00000006", "Content-Type": "text/plain"}), _good_beat()),
    ("POST", BEAT, {**JSON, "X-Kiosk-Id": HALL[0], "Authorization": "Bearer wrong",
                    "Idempotency-Key": "beat-00000007"}, _good_beat()),
    ("POST", BEAT, {**JSON, "Idempotency-Key": "beat-00000008"}, _good_beat()),
    ("POST", BEAT, _auth(NIGHT, **JSON, **{"Idempotency-Key": "beat-00000009"}), _good_beat()),  # HALL's beat
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000010"}), b"x" * 70_000),
    ("POST", BEAT, _auth(**JSON, **{"Idempotency-Key": "beat-00000011"}), b"[1, 2]"),
    ("GET", "/api/v1/fleet/bundle?group=canary&installed=0", _auth(), None),
    ("GET", "/api/v1/fleet/bundle?group=canary", _auth(NIGHT), None),
    ("GET", "/api/v1/fleet/bundle?group=Canary&installed=0", _auth(), None),
    ("GET", "/api/v1/fleet/bundle?group=canary&installed=-1", _auth(), None),
    ("GET", "/api/v1/fleet/bundle?installed=0", _auth(), None),
    ("GET", "/api/v1/fleet/bundle?group=canary&group=stable", _auth(), None),
    ("GET", "/api/v1/fleet/bundle?group=canary", {"X-Kiosk-Id": HALL[0]}, None),
    ("GET", "/api/v1/fleet/bundle?group=canary", _auth(NIGHT), None),
    ("GET", "/api/v1/fleet/bundle?group=canary", _auth(NIGHT), None),
    ("GET", "/api/v1/fleet/bundle?group=canary", _auth(NIGHT), None),
    ("GET", "/api/v1/fleet/bundle?group=canary", _auth(NIGHT), None),  # over its rate by now: 429
]


def test_the_fast_path_answers_as_the_routes_do(new_database, tmp_path_factory):
    fast, hot = _gateway(new_database("fast"), True, tmp_path_factory)
    slow, _ = _gateway(new_database("slow"), False, tmp_path_factory)
    try:
        for method, path, headers, body in CASES:
            expected = _exchange(slow.url, method, path, headers, body)
            got = _exchange(fast.url, method, path, headers, body)
            assert got == expected, (method, path, headers.get("Idempotency-Key"), expected[:2])
        seen = {case[0] for case in CASES}
        assert seen == {"GET", "POST"} and hot is not None and hot.taken >= 8  # the good ones took the fast path
    finally:
        fast.stop()
        slow.stop()


def test_a_rotation_or_disabling_elsewhere_reaches_this_worker_within_its_second(new_database, tmp_path_factory):
    location = new_database("tokens")
    here, _ = _gateway(location, True, tmp_path_factory)
    elsewhere, _ = _gateway(location, True, tmp_path_factory)  # another worker on the same database
    try:
        ctx, other = here._server.config.app.state.gateway, elsewhere._server.config.app.state.gateway
        assert known_kiosk(ctx, *HALL) is not None and known_kiosk(ctx, *NIGHT) is not None  # remembered now
        before = token_version(ctx.db)
        assert enrolment.rotate(other.db, HALL[0], NOW.isoformat()) is not None
        assert enrolment.set_enabled(other.db, NIGHT[0], False)
        assert token_version(ctx.db) == before + 2
        deadline = time.monotonic() + 3
        while known_kiosk(ctx, *HALL) is not None or known_kiosk(ctx, *NIGHT) is not None:
            assert time.monotonic() < deadline, "still remembered 3 s after the change"
            time.sleep(0.05)
    finally:
        here.stop()
        elsewhere.stop()


def test_the_counter_is_read_at_most_once_per_second():
    ttl = 1.0
    from gateway.kiosks import KioskIdentity
    from gateway.token_cache import TokenCache

    now, reads = [0.0], []
    cache = TokenCache(ttl, clock=lambda: now[0], version=lambda: reads.append(1) or len(reads) // 3)
    cache.put("XM-HALL-001", "t", KioskIdentity("XM-HALL-001", "hall"))
    for _ in range(100):
        cache.get("XM-HALL-001", "t")
    assert len(reads) == 1
    for step in range(1, 5):  # the counter moves at the third read: everything is forgotten then
        now[0] = step * ttl
        cache.put("XM-HALL-001", "t", KioskIdentity("XM-HALL-001", "hall")) if step == 1 else None
        found = cache.get("XM-HALL-001", "t")
        assert (found is None) == (step >= 2), step
    assert len(reads) == 5
