"""The tour of the technician screen: a plausible diagnosis with a few problems, self-tests, a planned window."""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.hall.planned_maintenance import sample_window
from kiosk.shell.i18n import N_
from kiosk.technician.checks import Finding
from kiosk.technician.self_tests import SelfTest
from screens.technician import TechnicianScreen


def walk_technician(screen: TechnicianScreen) -> Iterator[str]:
    """Every state of the screen; yields each state's name once the screen shows it."""
    mode = screen.context.services.technician
    saved = (mode.findings, dict(mode.tests), mode.notice, mode.notice_values, mode.idle_remaining)
    mode.findings = sample_findings()
    mode.tests = {}
    screen.activate()
    yield "diagnostics"
    mode.tests = {
        "print": SelfTest("print", "passed", {"lines": 24, "length_cm": 14.2}),
        "card": SelfTest("card", "passed", {"fields": {
            "card_type": "resident", "name": "林**", "id_number": "3502**********0021",
            "check_digit_ok": True, "valid_to": "长期"}}),
        "scan": SelfTest("scan", "passed", {"kind": "appointment"}),
    }
    mode.notice, mode.notice_values = N_("纸卷计数已重置（旧纸卷已用 {cm} 厘米）"), {"cm": "7950"}
    screen.refresh()
    yield "self_tests"
    mode.tests = {"card": SelfTest("card", "waiting"),
                  "print": SelfTest("print", "failed", {"error": "job refused: paper out"})}
    mode.idle_remaining = 12
    screen.refresh()
    yield "waiting_for_card"
    mode.idle_remaining = None
    bar = screen.findings_list.verticalScrollBar()
    bar.setValue(bar.maximum())
    yield "log"
    bar.setValue(0)
    screen._ask_restart()
    yield "confirm_restart"
    screen.confirming = False
    planned = screen.context.planned_maintenance
    screen.context.planned_maintenance = sample_window(screen.context.now())  # shown only, put back below
    screen.refresh()
    yield "planned_maintenance"
    screen.context.planned_maintenance = planned
    mode.findings, mode.tests, mode.notice, mode.notice_values, mode.idle_remaining = (
        saved[0], saved[1], saved[2], saved[3], saved[4])


def sample_findings() -> list[Finding]:
    """A plausible diagnosis with a few problems, for the tour and screen tests (no I/O).

    The data is what the checks (kiosk/technician/diagnostics.py) put there, so the screen words it
    in either language; the log's times are the machine's (UTC here) and show in the hall's zone.
    """
    gib, mib = 1024 ** 3, 1024 ** 2
    return [
        Finding("idcard", True, "SAM 05.00-00000001 self-test: success; state idle", "external", "devices",
                {"state": "idle", "last_error": None, "report": "SAM 05.00-00000001 self-test: success",
                 "statistics": {"cards_read": 1284, "communication_failures": 2}}),
        Finding("printer", True, "paper near end, cover closed, online; state idle", "external", "devices",
                {"state": "idle", "last_error": "job interrupted: paper out; not printed",
                 "report": "paper near end, cover closed, online",
                 "statistics": {"jobs": 3120, "lines_since_roll_change": 14210, "cm_since_roll_change": 5329.0,
                                "cuts": 3120, "errors": 3}}),
        Finding("scanner", False, "not open (missing or failed to open); state offline", "external", "devices",
                {"state": "offline", "last_error": "port /dev/kiosk-scanner vanished",
                 "report": "not open (missing or failed to open)", "statistics": {"scans": 877}}),
        Finding("paper", True, "5329 of 8000 cm used since the roll was changed; about 296 tickets left "
                               "(average 9.0 cm over 50 recent tickets); sensor: near_end", "internal", "paper",
                {"roll_cm": 8000.0, "used_cm": 5329.0, "left_cm": 2671.0, "average_ticket_cm": 9.0,
                 "recent_jobs": 50, "tickets_left": 296, "low": False, "sensor": "near_end"}),
        Finding("gateway", True, "http://10.20.0.5:8765 ok, 38 ms, gateway 0.1.0, database ok", "external",
                "gateway", {"url": "http://10.20.0.5:8765", "reachable": True, "latency_ms": 38.0, "status": "ok",
                            "version": "0.1.0", "database": "ok"}),
        Finding("outbox", False, "2 waiting, 1 parked, 418 delivered; parked: mailing (12 attempts)", "internal",
                "outbox", {"counts": {"pending": 2, "parked": 1, "acknowledged": 418},
                           "parked": [{"kind": "mailing", "attempts": 12, "age_s": 5400, "last_error": "timeout"}]}),
        Finding("cache", True, "content age: catalogue 12 min, guides 12 min, announcements 3 h, hours 12 min",
                "internal", "cache", {"ages_s": {"catalogue": 720, "guides": 720, "announcements": 10800,
                                                 "hours": 720}}),
        Finding("database", True, "integrity ok, schema 1, 2480 KiB", "internal", "cache",
                {"integrity": "ok", "schema_version": 1, "size_bytes": 2480 * 1024}),
        Finding("configuration", True, "kiosk XM-HALL-001 (group canary), application 0.1.0; configuration "
                                       "version 7; audit log 212 entries, chain intact", "internal",
                "configuration", {"kiosk_id": "XM-HALL-001", "group": "canary", "application_version": "0.1.0",
                                  "bundle": {"installed_version": 7}, "audit": {"ok": True, "lines": 212}}),
        Finding("disk", True, "41.2 GiB free of 58.0 GiB (/var/lib/kiosk)", "internal", "system",
                {"path": "/var/lib/kiosk", "free_bytes": int(41.2 * gib), "total_bytes": 58 * gib}),
        Finding("memory", True, "2710 MiB available of 3800 MiB; this process 182 MiB", "internal", "system",
                {"available_bytes": 2710 * mib, "total_bytes": 3800 * mib, "process_rss_bytes": 182 * mib}),
        Finding("cpu", True, "7 % now, load 0.31 0.28 0.25; up 3 h", "internal", "system",
                {"percent": 7.0, "load": [0.31, 0.28, 0.25], "process_uptime_s": 10800}),
        Finding("log", True, "last 4 lines", "internal", "log", {"entries": [
            {"ts": "2026-12-06T01:12:03.120+00:00", "line": "INFO screens: screen home"},
            {"ts": "2026-12-06T01:12:41.004+00:00", "line": "WARN devices.printer: printer: paper near end"},
            {"ts": "2026-12-06T01:13:02.377+00:00", "line": "INFO gateway.client: GET /health -> 200 in 38 ms"},
            {"ts": "2026-12-06T01:14:10.950+00:00", "line": "WARN outbox: mailing parked after 12 attempts"},
        ]}),
    ]
