"""Kiosk authentication, rate limits, body limits and error bodies, over real HTTP."""

from __future__ import annotations

import requests
from gateway_api import rows

from gateway.kiosks import set_enabled


def test_health_needs_no_credentials_and_reports_the_database(api):
    answer = requests.get(api.base + "/health", timeout=5)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["time"].endswith("+08:00")  # the hall's clock, whatever the server's zone


def test_missing_credentials_are_refused_with_a_challenge(api):
    answer = requests.get(api.base + "/content/catalogue", timeout=5)
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_and_unknown_kiosk_are_refused(api, make_api):
    for kiosk in [("XM-HALL-001", "wrong-secret"), ("XM-NOBODY-9", "demo-hall-001-secret"),
                  ("XM-24H-001", "demo-hall-001-secret")]:
        answer = make_api(api.url, kiosk).post("/lookups/social-security", json={"id_number": "350206199607210013"})
        assert answer.status_code == 401, kiosk
        assert answer.json()["code"] == "bad_credentials"
        assert "350206199607210013" not in answer.text


def test_both_demo_kiosks_are_accepted(api, make_api):
    assert make_api(api.url, ("XM-24H-001", "demo-24h-001-secret")).get("/queue/services").status_code == 200
    assert api.get("/queue/services").status_code == 200


def test_tokens_are_stored_hashed(shared_gateway):
    found = rows(shared_gateway._server.config.app.state.gateway.settings.db_path,
                 "SELECT kiosk_id, token_hash FROM kiosks")
    rows_ = [(r["kiosk_id"], r["token_hash"]) for r in found]
    assert {r[0] for r in rows_} == {"XM-HALL-001", "XM-24H-001"}
    stored = " ".join(r[1] for r in rows_)
    assert "demo-hall-001-secret" not in stored and "demo-24h-001-secret" not in stored
    assert all(len(r[1]) == 64 for r in rows_)


def test_a_disabled_kiosk_is_refused(start_gateway, make_api):
    server, settings = start_gateway()
    api = make_api(server.url)
    assert api.get("/queue/services").status_code == 200
    ctx = server._server.config.app.state.gateway
    set_enabled(ctx.db, "XM-HALL-001", False)  # behind this process's back, as another worker would
    ctx.tokens.forget("XM-HALL-001")  # as the cache's few seconds passing would
    assert api.get("/queue/services").status_code == 401


def test_rate_limit_answers_429_with_retry_after_per_kiosk(start_gateway, make_api):
    server, _ = start_gateway(rate_per_s=0.5, rate_burst=3)
    hall = make_api(server.url)
    codes = [hall.get("/queue/services").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = hall.get("/queue/services")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 2
    # Another kiosk has its own bucket.
    night = make_api(server.url, ("XM-24H-001", "demo-24h-001-secret"))
    assert night.get("/queue/services").status_code == 200


def test_oversized_bodies_get_413(api):
    big = {"service_id": "ss-card-apply", "rating": 5, "comment": "x" * 100_000}
    answer = api.post("/feedback", json=big)
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"


def test_oversized_chunked_body_gets_413(api):
    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    answer = api.session.post(api.base + "/feedback", data=chunks(), timeout=10,
                              headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


def test_malformed_json_wrong_types_and_unknown_fields_get_422(api):
    bad_json = api.post("/feedback", data=b"{not json", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.json()["code"] == "malformed_json"
    wrong_type = api.post("/feedback", json={"service_id": "ss-card-apply", "rating": "five"})
    assert wrong_type.status_code == 422 and wrong_type.json()["code"] == "invalid_request"
    assert wrong_type.json()["detail"][0]["loc"] == ["body", "rating"]
    extra = api.post("/feedback", json={"service_id": "ss-card-apply", "rating": 5, "colour": "red"})
    assert extra.status_code == 422
    not_object = api.post("/feedback", json=[1, 2, 3])
    assert not_object.status_code == 422


def test_validation_errors_do_not_echo_personal_input(api):
    answer = api.post("/lookups/property", json={"id_number": "35020619960721001Z"})
    assert answer.status_code == 422
    assert "35020619960721001Z" not in answer.text


def test_unknown_paths_and_methods_answer_json(api):
    missing = api.get("/no-such-thing")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong_method = api.session.delete(api.base + "/feedback", timeout=5)
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"


def test_bad_idempotency_key_format_is_refused(api):
    answer = api.post("/payments/orders", json={"notice_number": "3502002611000001"}, key="no spaces allowed!")
    assert answer.status_code == 422


def test_numbers_too_large_to_store_are_a_client_error(new_database):
    from fastapi import APIRouter

    from gateway.app import create_app
    from gateway.serve_thread import GatewayThread
    from gateway.settings import GatewaySettings

    router = APIRouter()

    @router.post("/test/store-number")
    def store(value: int) -> dict:
        with app.state.gateway.db.transaction() as conn:
            conn.execute("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                         "SET value = excluded.value", ("test", value))
        return {"stored": value}

    app = create_app(GatewaySettings(db_path=new_database("numbers")), extra_routers=[router])
    with GatewayThread(app) as server:
        fine = requests.post(server.url + "/api/v1/test/store-number", params={"value": 7}, timeout=5)
        huge = requests.post(server.url + "/api/v1/test/store-number", params={"value": 2**70}, timeout=5)
    assert fine.json() == {"stored": 7}
    assert huge.status_code == 422 and huge.json()["code"] == "number_out_of_range"


def test_guessing_tokens_is_slowed_down_without_locking_out_the_real_kiosk(start_gateway, make_api):
    server, _ = start_gateway(auth_failures_per_min=3)
    guesser = make_api(server.url, ("XM-HALL-001", "guess"))
    codes = [guesser.get("/queue/services").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert int(guesser.get("/queue/services").headers["Retry-After"]) >= 1
    assert make_api(server.url).get("/queue/services").status_code == 200


def test_personal_answers_are_not_cached(api):
    answer = api.post("/lookups/population", json={"id_number": "350203194803120021"})
    assert answer.headers["Cache-Control"] == "no-store"
