"""The queue: numbers per service and day, green-channel and booked tickets called first.

Order of calling within a service: green channel (priority 2), then booked appointments checked
in at a kiosk (priority 1), then everyone else (0); within a class, first come first served.
Numbers restart at 001 each day because the day is part of the key.
"""

from __future__ import annotations

import secrets
from typing import Any

from gateway.context import GatewayContext
from gateway.problems import Problem
from gateway.storage import Transaction

GREEN_CHANNEL, BOOKED, ORDINARY = 2, 1, 0


def _ahead(conn: Transaction, row: Any) -> int:
    if row["state"] != "waiting":
        return 0
    return int(conn.row(
        "SELECT COUNT(*) FROM tickets WHERE service_id = ? AND day = ? AND state = 'waiting' "
        "AND (priority > ? OR (priority = ? AND seq < ?))",
        (row["service_id"], row["day"], row["priority"], row["priority"], row["seq"]),
    )[0])


def now_serving(conn: Transaction, service_id: str, day: str) -> str | None:
    row = conn.one(
        "SELECT number FROM tickets WHERE service_id = ? AND day = ? AND state = 'called' "
        "ORDER BY called_at DESC, seq DESC LIMIT 1",
        (service_id, day),
    )
    return row["number"] if row else None


def waiting_count(conn: Transaction, service_id: str, day: str) -> int:
    return int(conn.row(
        "SELECT COUNT(*) FROM tickets WHERE service_id = ? AND day = ? AND state = 'waiting'", (service_id, day)
    )[0])


def ticket_services(ctx: GatewayContext) -> list[dict[str, Any]]:
    return [s for s in ctx.services.values() if s.get("queue_prefix")]


def overview(ctx: GatewayContext, conn: Transaction) -> dict[str, Any]:
    day = ctx.today()
    services = []
    for service in ticket_services(ctx):
        waiting = waiting_count(conn, service["id"], day)
        services.append({
            "service_id": service["id"], "name_zh": service["name_zh"], "name_en": service["name_en"],
            "prefix": service["queue_prefix"], "window_zh": service.get("window_zh", ""),
            "window_en": service.get("window_en", ""), "waiting": waiting,
            "estimated_wait_min": waiting * ctx.settings.minutes_per_ticket,
            "now_serving": now_serving(conn, service["id"], day),
        })
    return {"date": day, "services": services}


def ticket_view(ctx: GatewayContext, conn: Transaction, row: Any) -> dict[str, Any]:
    service = ctx.services.get(row["service_id"], {"name_zh": row["service_id"], "name_en": row["service_id"]})
    ahead = _ahead(conn, row)
    appointment = None
    if row["appointment_code"]:
        appt = conn.one("SELECT * FROM appointments WHERE code = ?", (row["appointment_code"],))
        if appt is not None:
            appointment = {"code": appt["code"], "service_id": appt["service_id"], "slot": appt["slot"]}
    return {
        "ticket_id": row["ticket_id"], "number": row["number"], "service_id": row["service_id"],
        "service_name_zh": service["name_zh"], "service_name_en": service["name_en"],
        "window_zh": service.get("window_zh", ""), "window_en": service.get("window_en", ""),
        "issued_at": row["issued_at"], "date": row["day"], "priority": row["priority"] > ORDINARY,
        "priority_reason": row["priority_reason"], "appointment": appointment, "state": row["state"],
        "people_ahead": ahead, "estimated_wait_min": ahead * ctx.settings.minutes_per_ticket,
        "now_serving": now_serving(conn, row["service_id"], row["day"]),
        "status_url": ctx.settings.public(f"/t/{row['ticket_id']}"),
    }


def insert_ticket(
    ctx: GatewayContext, conn: Transaction, service: dict[str, Any], priority: int,
    priority_reason: str | None = None, appointment_code: str | None = None,
    kiosk_id: str | None = None, state: str = "waiting",
) -> Any:
    day = ctx.today()
    seq = int(conn.row("SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE service_id = ? AND day = ?",
                       (service["id"], day))[0])
    if seq > 999:
        raise Problem(409, "queue_full", "this service has issued 999 numbers today")
    ticket_id = secrets.token_urlsafe(12)
    now = ctx.now_iso()
    conn.execute(
        "INSERT INTO tickets (ticket_id, service_id, day, seq, number, priority, priority_reason, "
        "appointment_code, state, issued_at, called_at, kiosk_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (ticket_id, service["id"], day, seq, f"{service['queue_prefix']}{seq:03d}", priority, priority_reason,
         appointment_code, state, now, now if state != "waiting" else None, kiosk_id),
    )
    return conn.one("SELECT * FROM tickets WHERE ticket_id = ?", (ticket_id,))


def _todays_appointment(ctx: GatewayContext, conn: Transaction, code: str | None, id_number: str | None) -> Any:
    day = ctx.today()
    if code is not None:
        appt = conn.one("SELECT * FROM appointments WHERE code = ?", (code,))
        if appt is None:
            raise Problem(404, "appointment_not_found", "no booking with this code")
        if appt["day"] != day:
            raise Problem(409, "appointment_not_today", "this booking is for another day", {"date": appt["day"]})
        return appt
    if id_number is not None:
        return conn.one("SELECT * FROM appointments WHERE id_number = ? AND day = ? AND ticket_id IS NULL "
                        "ORDER BY slot LIMIT 1", (id_number, day))
    return None


def find_appointment(ctx: GatewayContext, conn: Transaction, code: str | None, id_number: str | None) -> dict[str, Any]:
    """The booking to check in (today's), by its code or by the ID card: its service, slot and day."""
    if (code is None) == (id_number is None):
        raise Problem(422, "invalid_request", "give either appointment_code or id_number")
    appt = _todays_appointment(ctx, conn, code, id_number)
    if appt is None:
        raise Problem(404, "appointment_not_found", "no booking for today under this ID card")
    return {"code": appt["code"], "service_id": appt["service_id"], "slot": appt["slot"], "date": appt["day"]}


def issue(ctx: GatewayContext, conn: Transaction, request: dict[str, Any], kiosk_id: str) -> dict[str, Any]:
    service = ctx.services.get(request["service_id"])
    if service is None:
        raise Problem(404, "service_not_found", "no service with this id in the catalogue")
    if not service.get("queue_prefix"):
        raise Problem(409, "service_takes_no_tickets", "this service is handled at the kiosk, not at a window")
    appt = _todays_appointment(ctx, conn, request.get("appointment_code"), request.get("id_number"))
    if appt is not None and appt["service_id"] != service["id"]:
        if request.get("appointment_code"):
            raise Problem(409, "appointment_other_service", "this booking is for another service",
                          {"service_id": appt["service_id"]})
        appt = None  # found by ID number but for another service: an ordinary ticket for this one
    if appt is not None and appt["ticket_id"]:
        row = conn.one("SELECT * FROM tickets WHERE ticket_id = ?", (appt["ticket_id"],))
        return ticket_view(ctx, conn, row)  # checked in already: the same ticket again, never two
    if request.get("priority_reason"):
        priority = GREEN_CHANNEL
    elif appt is not None:
        priority = BOOKED
    else:
        priority = ORDINARY
    row = insert_ticket(ctx, conn, service, priority, request.get("priority_reason"),
                        appt["code"] if appt is not None else None, kiosk_id)
    if appt is not None:
        conn.execute("UPDATE appointments SET ticket_id = ? WHERE code = ?", (row["ticket_id"], appt["code"]))
    return ticket_view(ctx, conn, row)


def may_call(ctx: GatewayContext, zone: str, service_id: str) -> bool:
    """Whether a kiosk standing in ``zone`` may call numbers of ``service_id``: only its own zone's windows.

    The hall's window services keep hall hours, so a kiosk in the 24-hour zone calls nobody; a
    kiosk in the hall may call the hall's windows (the demo's stand-in for the window's own button).
    """
    service = ctx.services.get(service_id)
    return service is not None and bool(service.get("queue_prefix")) and service.get("hours", "hall") == zone


def call_next(ctx: GatewayContext, conn: Transaction, service_id: str) -> dict[str, Any]:
    """The window calls the next number: the one being served is done, the next waiting one is called."""
    if service_id not in ctx.services or not ctx.services[service_id].get("queue_prefix"):
        raise Problem(404, "service_not_found", "no ticket-taking service with this id")
    day = ctx.today()
    conn.execute("UPDATE tickets SET state = 'done' WHERE service_id = ? AND day = ? AND state = 'called'",
                 (service_id, day))
    row = conn.one("SELECT * FROM tickets WHERE service_id = ? AND day = ? AND state = 'waiting' "
                   "ORDER BY priority DESC, seq LIMIT 1", (service_id, day))
    called = None
    if row is not None:
        conn.execute("UPDATE tickets SET state = 'called', called_at = ? WHERE ticket_id = ?",
                     (ctx.now_iso(), row["ticket_id"]))
        called = row["number"]
    return {"service_id": service_id, "called": called, "waiting": waiting_count(conn, service_id, day)}
