"""Nothing personal in the gateway's logs or in what its fleet console shows."""

from __future__ import annotations

import logging

from fleet_fixtures import HALL, Api, Fleet, heartbeat

from gateway.log_privacy import redact

ELDERLY, YOUNG = "350203194803120021", "350206199607210013"
NAME, PHONE, ADDRESS = "王晓明", "13812345678", "福建省厦门市湖里区仙岳路4688号"
PERSONAL = (ELDERLY, YOUNG, NAME, PHONE, ADDRESS)


def test_a_whole_day_of_requests_logs_nothing_personal(start_gateway, make_api, caplog):
    caplog.set_level(logging.DEBUG)
    server, _ = start_gateway(rate_per_s=1000, rate_burst=1000)
    api = make_api(server.url)
    for kind, number in (("social-security", YOUNG), ("property", ELDERLY), ("population", ELDERLY)):
        assert api.post(f"/lookups/{kind}", json={"id_number": number, "card_type": "resident"}).status_code == 200
    api.post("/lookups/property", json={"id_number": YOUNG, "card_type": "resident", "surname": NAME})  # 422
    mailing = {"document_number": "XMZW-SS-20261125-000001", "recipient_name": NAME, "phone": PHONE,
               "address": ADDRESS}
    assert api.post("/mailing", json=mailing, key="log-mailing-01").status_code == 201
    assert api.post("/outbox/mailing", json={"payload": {**mailing, "phone": "1381234"}},
                    key="log-mailing-02").status_code == 422
    assert api.post("/feedback", json={"service_id": "hf-loan", "rating": 1,
                                       "comment": f"{NAME} {PHONE}"}).status_code == 201
    assert api.post("/queue/tickets", json={"service_id": "hf-loan", "id_number": YOUNG}).status_code == 201
    stranger = make_api(server.url, (YOUNG, "guessing"))  # an ID number typed as a kiosk id
    assert stranger.get("/queue/services").status_code == 401
    text = caplog.text
    assert "refused credentials" in text  # the refusal is logged...
    assert not [p for p in PERSONAL if p in text]  # ...without anything personal


def test_an_unexpected_error_is_logged_with_its_traceback_masked(caplog):
    log = logging.getLogger("gateway.server")
    from gateway import log_privacy

    log_privacy.install()
    caplog.set_level(logging.ERROR)
    try:
        raise ValueError(f"bad row for {YOUNG}, phone {PHONE}")
    except ValueError:
        log.exception("unexpected error on %s %s", "POST", f"/api/v1/lookups/{ELDERLY}")
    assert "ValueError" in caplog.text and "Traceback" in caplog.text
    assert YOUNG not in caplog.text and PHONE not in caplog.text and ELDERLY not in caplog.text
    assert "3502************13" in caplog.text and "138****5678" in caplog.text


def test_redact_keeps_ids_of_the_hall_itself():
    kept = "XM-HALL-001 PO20261125ABCDEF012345 XMZW-SS-20261125-000001 3502002611000001 2026-11-25T10:00:00+08:00"
    assert redact(kept) == kept


def test_the_console_shows_kiosk_texts_masked(new_database):
    fleet = Fleet(new_database("fleet"))
    try:
        beat = heartbeat(HALL[0], sent_at=fleet.clock().isoformat(timespec="seconds"),
                         last_errors=[f"ERROR kiosk.lookup: registry refused {YOUNG}"],
                         devices={"printer": {"state": "error", "last_error": f"job for {PHONE} failed"}})
        assert Api(fleet.url, HALL).post("/outbox/telemetry", json={"payload": beat}, key="hb-privacy-01").status_code == 200
        report = {"version": 2, "outcome": "refused", "reason": "expired", "message": f"call {PHONE}", "group": "canary"}
        assert Api(fleet.url, HALL).post("/fleet/reports", json=report).status_code == 200
        detail = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks/XM-HALL-001", timeout=10)
        listing = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10)
        for answer in (detail, listing):
            assert answer.status_code == 200
            assert YOUNG not in answer.text and PHONE not in answer.text
        assert "3502************13" in detail.text and "138****5678" in detail.text
    finally:
        fleet.server.stop()
