"""Queue: numbers per service and day, green channel first, booked check-in, ticket status."""

from __future__ import annotations

from datetime import timedelta

from contract.queue import QueueOverview, Ticket

BOOKED_HOLDER = "350203195509200041"


def _take(api, **body):
    key = body.pop("key", None)
    return api.post("/queue/tickets", json=body, key=key)


def test_overview_lists_every_ticket_service_with_waits(start_gateway, make_api):
    server, settings = start_gateway()
    api = make_api(server.url)
    overview = QueueOverview.model_validate(api.get("/queue/services").json())
    prefixes = {s.prefix for s in overview.services}
    assert {"A", "B", "C", "J", "Z"} <= prefixes
    for service in overview.services:
        assert service.estimated_wait_min == service.waiting * settings.minutes_per_ticket


def test_numbers_carry_the_service_prefix_and_count_up(start_gateway, make_api):
    server, _ = start_gateway(demo=True)
    api = make_api(server.url)
    first = Ticket.model_validate(_take(api, service_id="ee-passport").json())
    second = Ticket.model_validate(_take(api, service_id="ee-passport").json())
    assert first.number[0] == "M" and len(first.number) == 4
    assert int(second.number[1:]) == int(first.number[1:]) + 1
    assert second.people_ahead == first.people_ahead + 1
    assert second.status_url == f"{server.url}/t/{second.ticket_id}"
    other = Ticket.model_validate(_take(api, service_id="tp-violation").json())
    assert other.number.startswith("X")


def test_green_channel_is_called_first_and_sees_fewer_people_ahead(start_gateway, make_api):
    server, _ = start_gateway(demo=False)
    api = make_api(server.url)
    ordinary = [Ticket.model_validate(_take(api, service_id="hf-loan").json()) for _ in range(3)]
    assert [t.number for t in ordinary] == ["Q001", "Q002", "Q003"]
    elderly = Ticket.model_validate(_take(api, service_id="hf-loan", priority_reason="elderly").json())
    assert elderly.number == "Q004" and elderly.priority and elderly.people_ahead == 0
    assert api.get(f"/queue/tickets/{ordinary[0].ticket_id}").json()["people_ahead"] == 1
    called = api.post("/queue/services/hf-loan/call-next").json()
    assert called == {"service_id": "hf-loan", "called": "Q004", "waiting": 3}
    called = api.post("/queue/services/hf-loan/call-next").json()
    assert called["called"] == "Q001"
    status = api.get(f"/queue/tickets/{ordinary[0].ticket_id}").json()
    assert status["state"] == "called" and status["now_serving"] == "Q001"
    assert api.get(f"/queue/tickets/{elderly.ticket_id}").json()["state"] == "done"
    assert api.get(f"/queue/tickets/{ordinary[2].ticket_id}").json()["people_ahead"] == 1


def test_call_next_on_an_empty_queue_calls_nobody(start_gateway, make_api):
    server, _ = start_gateway(demo=False)
    api = make_api(server.url)
    assert api.post("/queue/services/hf-loan/call-next").json() == {
        "service_id": "hf-loan", "called": None, "waiting": 0}
    assert api.post("/queue/services/no-such/call-next").status_code == 404


def test_todays_booking_is_found_by_id_number_and_by_code(start_gateway, make_api, clock):
    server, _ = start_gateway(now=clock)
    api = make_api(server.url)
    by_id = Ticket.model_validate(_take(api, service_id="ss-card-apply", id_number=BOOKED_HOLDER).json())
    assert by_id.appointment is not None and by_id.appointment.code == "YY202611250001"
    assert by_id.priority and by_id.people_ahead == 0
    # Checking in again (by code this time) gives the same ticket, never a second one.
    by_code = _take(api, service_id="ss-card-apply", appointment_code="YY202611250001")
    assert by_code.status_code == 201 and by_code.json()["ticket_id"] == by_id.ticket_id


def test_a_citizen_without_a_booking_gets_an_ordinary_ticket(api):
    ticket = _take(api, service_id="ss-card-apply", id_number="350206199607210013").json()
    assert ticket["appointment"] is None and ticket["priority"] is False


def test_booking_problems_are_clear(start_gateway, make_api, clock):
    server, _ = start_gateway(now=clock)
    api = make_api(server.url)
    unknown = _take(api, service_id="ss-card-apply", appointment_code="YY202611259999")
    assert unknown.status_code == 404 and unknown.json()["code"] == "appointment_not_found"
    other = _take(api, service_id="hf-loan", appointment_code="YY202611250001")
    assert other.status_code == 409 and other.json()["detail"] == {"service_id": "ss-card-apply"}
    clock.advance(days=1)
    stale = _take(api, service_id="ss-card-apply", appointment_code="YY202611250001")
    assert stale.status_code == 409 and stale.json()["code"] == "appointment_not_today"


def test_numbers_restart_each_day(start_gateway, make_api, clock):
    server, _ = start_gateway(demo=False, now=clock)
    api = make_api(server.url)
    assert _take(api, service_id="tax-invoice").json()["number"] == "U001"
    assert _take(api, service_id="tax-invoice").json()["number"] == "U002"
    clock.now += timedelta(days=1)
    tomorrow = _take(api, service_id="tax-invoice").json()
    assert tomorrow["number"] == "U001" and tomorrow["date"] == "2026-11-26"


def test_same_idempotency_key_returns_the_same_ticket(api):
    first = _take(api, service_id="hf-withdrawal", key="ticket-key-0001")
    again = _take(api, service_id="hf-withdrawal", key="ticket-key-0001")
    assert first.status_code == again.status_code == 201
    assert again.json()["ticket_id"] == first.json()["ticket_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    reused = _take(api, service_id="hf-loan", key="ticket-key-0001")
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"


def test_refusals(api):
    unknown = _take(api, service_id="no-such-service")
    assert unknown.status_code == 404 and unknown.json()["code"] == "service_not_found"
    lookup_only = _take(api, service_id="ss-record-lookup")
    assert lookup_only.status_code == 409 and lookup_only.json()["code"] == "service_takes_no_tickets"
    assert _take(api, service_id="hf-loan", priority_reason="vip").status_code == 422
    assert api.get("/queue/tickets/unknownticket01").status_code == 404


def test_status_page_for_phones(api):
    ticket = _take(api, service_id="ps-id-card-renewal").json()
    page = api.session.get(ticket["status_url"], timeout=5, headers={"Authorization": ""})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert ticket["number"] in page.text and "居民身份证换领" in page.text
    assert 'http-equiv="refresh"' in page.text
    assert api.session.get(api.url + "/t/nonexistent-ticket", timeout=5).status_code == 404
