"""One kiosk's token reaches only what that kiosk made or is entitled to.

Every kiosk-facing endpoint has a probe here, run with a second kiosk's token: another kiosk's
orders and tickets answer exactly like unknown ones (404, so their existence does not leak),
idempotency keys belong to the kiosk that chose them, and shared content stays shared. The last
test enumerates the app's routes, so a new kiosk endpoint without a probe fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from fastapi.routing import APIRoute
from gateway_api import HALL, NIGHT, Api, count, rows

from contract import API_PREFIX
from gateway.app import API_ROUTERS, openapi_document
from gateway.auth import require_kiosk
from gateway.kiosks import register_kiosk

OTHER_HALL = ("XM-HALL-002", "demo-hall-002-secret")  # a second kiosk in the same hall zone
UNPAID = "3502002611000001"
YOUNG = "350206199607210013"
UNKNOWN_ORDER = "PO20261125ABCDEF012345"
MAILING = {"document_number": "XMZW-SS-20261125-000001", "recipient_name": "王晓明", "phone": "13812345678",
           "address": "福建省厦门市湖里区仙岳路4688号"}


class Hall:
    """A demo gateway with three kiosks: ``mine`` (the owner), ``other`` (same zone), ``night`` (24 h zone)."""

    def __init__(self, start_gateway) -> None:
        self.server, self.settings = start_gateway(rate_per_s=1000, rate_burst=1000)
        register_kiosk(self.server._server.config.app.state.gateway.db, *OTHER_HALL, "hall")
        self.mine = Api(self.server.url, HALL)
        self.other = Api(self.server.url, OTHER_HALL)
        self.night = Api(self.server.url, NIGHT)

    def count(self, sql: str, *params) -> int:
        return count(self.settings.db_path, sql, *params)

    def open_order(self, key: str = "order-iso-0001") -> dict:
        answer = self.mine.post("/payments/orders", json={"notice_number": UNPAID}, key=key)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def ticket(self, key: str = "ticket-iso-0001") -> dict:
        answer = self.mine.post("/queue/tickets", json={"service_id": "hf-loan"}, key=key)
        assert answer.status_code == 201, answer.text
        return answer.json()


@pytest.fixture
def hall(start_gateway) -> Hall:
    return Hall(start_gateway)


def _same_as_unknown(answer, unknown) -> None:
    assert answer.status_code == unknown.status_code == 404
    assert answer.json() == unknown.json()


# -- shared content: every kiosk is entitled to the same answer ------------------------------------------

def _shared(path: str) -> Callable[[Hall], None]:
    def probe(hall: Hall) -> None:
        mine, other = hall.mine.get(path), hall.other.get(path)
        assert mine.status_code == other.status_code == 200
        assert mine.json() == other.json()
    return probe


def probe_queue_services(hall: Hall) -> None:
    hall.ticket()
    mine, other = hall.mine.get("/queue/services").json(), hall.other.get("/queue/services").json()
    assert mine == other  # the hall's waiting counts are public (they hang on the hall's screens)


# -- queue ----------------------------------------------------------------------------------------------

def probe_issue_ticket(hall: Hall) -> None:
    mine = hall.ticket("shared-key-ticket")
    theirs = hall.other.post("/queue/tickets", json={"service_id": "hf-loan"}, key="shared-key-ticket")
    assert theirs.status_code == 201 and theirs.headers.get("Idempotent-Replayed") is None
    assert theirs.json()["ticket_id"] != mine["ticket_id"]  # the same key is another kiosk's own key
    owners = {r["ticket_id"]: r["kiosk_id"] for r in rows(hall.settings.db_path, "SELECT ticket_id, kiosk_id FROM tickets")}
    assert owners[mine["ticket_id"]] == HALL[0] and owners[theirs.json()["ticket_id"]] == OTHER_HALL[0]


def probe_ticket(hall: Hall) -> None:
    mine = hall.ticket()
    assert hall.mine.get(f"/queue/tickets/{mine['ticket_id']}").status_code == 200
    _same_as_unknown(hall.other.get(f"/queue/tickets/{mine['ticket_id']}"),
                     hall.other.get("/queue/tickets/NoSuchTicket0000"))


def probe_find_appointment(hall: Hall) -> None:
    """A booking is the citizen's, not a kiosk's: every kiosk finds the same one, before and after check-in."""
    from gateway.demo_seed import APPOINTMENT_HOLDER

    code = hall.mine.post("/queue/appointments/find", json={"id_number": APPOINTMENT_HOLDER}).json()["code"]
    asked = {"appointment_code": code}
    mine, other = hall.mine.post("/queue/appointments/find", json=asked), hall.other.post(
        "/queue/appointments/find", json=asked)
    assert mine.status_code == other.status_code == 200 and mine.json() == other.json()
    service = mine.json()["service_id"]
    checked_in = hall.mine.post("/queue/tickets", json={"service_id": service, "appointment_code": code},
                                key="ticket-iso-booked")
    assert checked_in.status_code == 201, checked_in.text
    again = hall.other.post("/queue/appointments/find", json=asked)
    assert again.status_code == 200 and again.json() == mine.json()  # no more than the code already says


def probe_call_next(hall: Hall) -> None:
    hall.ticket()
    waiting = "SELECT COUNT(*) FROM tickets WHERE service_id = 'hf-loan' AND state = 'waiting'"
    before = hall.count(waiting)
    refused = hall.night.post("/queue/services/hf-loan/call-next")  # the 24-hour zone has no windows
    _same_as_unknown(refused, hall.night.post("/queue/services/no-such-service/call-next"))
    assert hall.count(waiting) == before  # nobody was called
    called = hall.other.post("/queue/services/hf-loan/call-next")  # a hall kiosk: the hall's windows
    assert called.status_code == 200 and called.json()["called"] and hall.count(waiting) == before - 1


# -- lookups --------------------------------------------------------------------------------------------

def _lookup(kind: str) -> Callable[[Hall], None]:
    def probe(hall: Hall) -> None:
        body = {"id_number": YOUNG, "card_type": "resident"}
        mine = hall.mine.post(f"/lookups/{kind}", json=body, key="shared-key-lookup")
        theirs = hall.other.post(f"/lookups/{kind}", json=body, key="shared-key-lookup")
        assert mine.status_code == theirs.status_code == 200
        assert theirs.headers.get("Idempotent-Replayed") is None
        if mine.json().get("document"):  # a document of its own, issued to the other kiosk
            assert theirs.json()["document"]["number"] != mine.json()["document"]["number"]
            issuer = rows(hall.settings.db_path, "SELECT kiosk_id FROM documents WHERE number = ?",
                          theirs.json()["document"]["number"])[0]["kiosk_id"]
            assert issuer == OTHER_HALL[0]
    return probe


def probe_certificate(hall: Hall) -> None:
    """Another kiosk's document number is not lent to a certificate: it gets one of its own."""
    number = hall.mine.post("/lookups/property", json={"id_number": YOUNG}).json()["document"]["number"]
    theirs = hall.other.session.post(f"{hall.other.base}/documents/property", timeout=120,
                                     json={"id_number": YOUNG, "document_number": number})
    assert theirs.status_code == 200 and theirs.headers["X-Document-Number"] != number
    issuer = rows(hall.settings.db_path, "SELECT kiosk_id FROM issued_documents WHERE code = ?",
                  theirs.headers["X-Verification-Code"])[0]["kiosk_id"]
    assert issuer == OTHER_HALL[0]


def probe_guide_pdf(hall: Hall) -> None:
    """A guide on A4 is the hall's public content: each kiosk gets the same guide, and nothing is recorded."""
    mine, theirs = hall.mine.get("/documents/guides/hf-loan"), hall.other.get("/documents/guides/hf-loan")
    assert mine.status_code == theirs.status_code == 200
    assert mine.content.startswith(b"%PDF") and theirs.content.startswith(b"%PDF")
    assert mine.headers.get("X-Page-Count") == theirs.headers.get("X-Page-Count")


# -- payments -------------------------------------------------------------------------------------------

def probe_notice(hall: Hall) -> None:
    order = hall.open_order()
    assert hall.mine.get(f"/payments/notices/{UNPAID}").json()["open_order_id"] == order["order_id"]
    theirs = hall.other.get(f"/payments/notices/{UNPAID}")
    assert theirs.status_code == 200
    assert theirs.json()["open_order_id"] is None and theirs.json()["payable_here"] is False
    assert order["order_id"] not in theirs.text and "another kiosk" in theirs.json()["message_en"]


def probe_create_order(hall: Hall) -> None:
    order = hall.open_order("shared-key-order")
    theirs = hall.other.post("/payments/orders", json={"notice_number": UNPAID}, key="shared-key-order")
    assert theirs.status_code == 409 and theirs.json()["code"] == "order_already_open"
    assert order["order_id"] not in theirs.text  # neither replayed nor named in the refusal


def probe_order(hall: Hall) -> None:
    order = hall.open_order()
    _same_as_unknown(hall.other.get(f"/payments/orders/{order['order_id']}"),
                     hall.other.get(f"/payments/orders/{UNKNOWN_ORDER}"))


def probe_close_order(hall: Hall) -> None:
    order = hall.open_order()
    _same_as_unknown(hall.other.post(f"/payments/orders/{order['order_id']}/close"),
                     hall.other.post(f"/payments/orders/{UNKNOWN_ORDER}/close"))
    assert hall.mine.get(f"/payments/orders/{order['order_id']}").json()["status"] == "open"
    assert hall.mine.post(f"/payments/orders/{order['order_id']}/close").json()["status"] == "closed"


def probe_receipt_copy(hall: Hall) -> None:
    """A receipt is its payer's: any kiosk reprints it for the payer's card (the demo's passport fee was paid
    at ``mine``), and for any other card it answers exactly like a notice that does not exist."""
    paid, payer = "3502002611000003", "810000199508152024"
    mine = hall.mine.post("/payments/receipt-copies", json={"notice_number": paid, "id_number": payer})
    theirs = hall.other.post("/payments/receipt-copies", json={"notice_number": paid, "id_number": payer})
    assert mine.status_code == theirs.status_code == 200 and mine.json() == theirs.json()
    wrong = hall.other.post("/payments/receipt-copies", json={"notice_number": paid, "id_number": YOUNG})
    unknown = hall.other.post("/payments/receipt-copies", json={"notice_number": "3502002699999999",
                                                                "id_number": YOUNG})
    _same_as_unknown(wrong, unknown)
    assert wrong.json() == unknown.json()


# -- citizen and outbox -----------------------------------------------------------------------------------

def probe_feedback(hall: Hall) -> None:
    body = {"service_id": "hf-loan", "rating": 5, "comment": ""}
    mine = hall.mine.post("/feedback", json=body, key="shared-key-feedback").json()
    theirs = hall.other.post("/feedback", json=body, key="shared-key-feedback")
    assert theirs.status_code == 201 and theirs.json()["feedback_id"] != mine["feedback_id"]


def probe_mailing(hall: Hall) -> None:
    mine = hall.mine.post("/mailing", json=MAILING, key="shared-key-mailing").json()
    theirs = hall.other.post("/mailing", json=MAILING, key="shared-key-mailing")
    assert theirs.status_code == 201 and theirs.json()["mailing_id"] != mine["mailing_id"]


def probe_outbox(hall: Hall) -> None:
    order = hall.open_order()
    payload = {"order_id": order["order_id"], "kiosk_status": "unknown"}
    theirs = hall.other.post("/outbox/payment-reconciliation", json={"payload": payload}, key="recon-iso-0001")
    assert theirs.json()["result"] == {"order_id": order["order_id"], "status": "unknown_order"}
    mine = hall.mine.post("/outbox/payment-reconciliation", json={"payload": payload}, key="recon-iso-0001")
    assert mine.json()["duplicate"] is False and mine.json()["result"]["status"] == "open"
    body = {"service_id": "hf-loan", "rating": 4, "comment": ""}
    hall.mine.post("/feedback", json=body, key="shared-key-outbox")
    replay = hall.other.post("/outbox/feedback", json={"payload": body}, key="shared-key-outbox")
    assert replay.json()["duplicate"] is False  # another kiosk's key is not this kiosk's


def probe_result_link(hall: Hall) -> None:
    # A session id is the kiosk's own: another kiosk's link for the same id revokes nothing of this one.
    body = {"session_id": "iso-session-1", "title": "社保查询", "holder": "林**", "id_number": "3502**********0021",
            "sections": [{"heading": "参保状态", "facts": [{"label": "参保状态", "value": "正常参保"}]}]}
    mine = hall.mine.post("/result-links", json=body).json()["url"]
    assert hall.other.post("/result-links", json=body).status_code == 201
    assert requests.get(mine, timeout=10).status_code == 200
    assert hall.count("SELECT COUNT(*) FROM result_links WHERE kiosk_id = ?", OTHER_HALL[0]) == 1


# -- fleet ----------------------------------------------------------------------------------------------

def probe_fleet_bundle(hall: Hall) -> None:
    # Bundles are signed configuration for a roll-out group, the same for every kiosk that asks.
    mine = hall.mine.get("/fleet/bundle", params={"group": "canary"})
    theirs = hall.other.get("/fleet/bundle", params={"group": "canary"})
    assert mine.status_code == theirs.status_code and mine.content == theirs.content


def probe_fleet_reports(hall: Hall) -> None:
    report = {"version": 3, "outcome": "refused", "reason": "expired", "message": "", "group": "canary"}
    assert hall.other.post("/fleet/reports", json=report).status_code == 200
    assert hall.count("SELECT COUNT(*) FROM fleet_reports WHERE kiosk_id = ?", OTHER_HALL[0]) == 1
    assert hall.count("SELECT COUNT(*) FROM fleet_reports WHERE kiosk_id = ?", HALL[0]) == 0


PROBES: dict[str, Callable[[Hall], None]] = {
    "GET /api/v1/content/catalogue": _shared("/content/catalogue"),
    "GET /api/v1/content/guides": _shared("/content/guides"),
    "GET /api/v1/content/guides/{service_id}": _shared("/content/guides/hf-loan"),
    "GET /api/v1/content/announcements": _shared("/content/announcements"),
    "GET /api/v1/content/hours": _shared("/content/hours"),
    "GET /api/v1/queue/services": probe_queue_services,
    "POST /api/v1/queue/tickets": probe_issue_ticket,
    "POST /api/v1/queue/appointments/find": probe_find_appointment,
    "GET /api/v1/queue/tickets/{ticket_id}": probe_ticket,
    "POST /api/v1/queue/services/{service_id}/call-next": probe_call_next,
    "POST /api/v1/lookups/social-security": _lookup("social-security"),
    "POST /api/v1/lookups/property": _lookup("property"),
    "POST /api/v1/lookups/population": _lookup("population"),
    "POST /api/v1/documents/{kind}": probe_certificate,
    "GET /api/v1/documents/guides/{service_id}": probe_guide_pdf,
    "GET /api/v1/payments/notices/{number}": probe_notice,
    "POST /api/v1/payments/orders": probe_create_order,
    "GET /api/v1/payments/orders/{order_id}": probe_order,
    "POST /api/v1/payments/orders/{order_id}/close": probe_close_order,
    "POST /api/v1/payments/receipt-copies": probe_receipt_copy,
    "POST /api/v1/feedback": probe_feedback,
    "POST /api/v1/mailing": probe_mailing,
    "POST /api/v1/result-links": probe_result_link,
    "POST /api/v1/outbox/{kind}": probe_outbox,
    "GET /api/v1/fleet/bundle": probe_fleet_bundle,
    "POST /api/v1/fleet/reports": probe_fleet_reports,
}


@pytest.mark.parametrize("endpoint", sorted(PROBES))
def test_a_second_kiosk_reaches_only_what_it_is_entitled_to(endpoint, hall):
    PROBES[endpoint](hall)


def _needs_kiosk(dependant) -> bool:
    return any(d.call is require_kiosk or _needs_kiosk(d) for d in dependant.dependencies)


def _kiosk_endpoints_of_the_routers() -> set[str]:
    found = set()
    for router in API_ROUTERS:
        router_wide = any(d.dependency is require_kiosk for d in router.dependencies)
        for route in router.routes:
            if isinstance(route, APIRoute) and (router_wide or _needs_kiosk(route.dependant)):
                found |= {f"{method} {API_PREFIX}{route.path}" for method in route.methods}
    return found


def _kiosk_endpoints_of_the_document() -> set[str]:
    return {f"{method.upper()} {path}" for path, operations in openapi_document()["paths"].items()
            for method, operation in operations.items()
            if any("KioskId" in requirement for requirement in operation.get("security", []))}


def test_every_kiosk_endpoint_has_a_second_kiosk_probe():
    kiosk_endpoints = _kiosk_endpoints_of_the_routers()
    assert kiosk_endpoints == _kiosk_endpoints_of_the_document()  # two ways of asking agree
    assert len(kiosk_endpoints) >= 20  # the enumeration itself works
    missing = kiosk_endpoints - set(PROBES)
    assert not missing, f"kiosk endpoints without a second-kiosk probe: {sorted(missing)}"
    assert not set(PROBES) - kiosk_endpoints, "probes for endpoints that no longer exist"
