"""A province's fleet in one gateway database: 10,000 enrolled kiosks over 12 halls, as the console sees them.

Heartbeats go in through the gateway's own ``fleet_book.record_heartbeat`` (the same code a
``POST /outbox/telemetry`` runs), with a mix of what happens in halls: kiosks offline, never heard
from, out of paper, a printer fault, a citizen who pressed for staff (``staff_called``, an alert
kind the kiosk raises itself), older app versions; and 30 days of hourly heartbeat history for
the first kiosk of each hall.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from contract.fleet import Heartbeat
from gateway import fleet_book
from gateway.kiosks import token_hash
from gateway.storage import Database

HALLS = ["厦门市行政服务中心", "思明区行政服务中心", "湖里区行政服务中心", "集美区行政服务中心", "海沧区行政服务中心",
         "同安区行政服务中心", "翔安区行政服务中心", "福州市行政服务中心", "泉州市行政服务中心", "漳州市行政服务中心",
         "莆田市行政服务中心", "龙岩市行政服务中心"]
GROUPS = ["canary", "hall-a", "hall-b", "night"]
VERSIONS = ["0.9.0", "1.0.0", "1.0.1"]


def kiosk_id(n: int) -> str:
    return f"FJ-{n // 1000:02d}-{n % 1000:04d}"


def _heartbeat(n: int, sent: datetime) -> Heartbeat:
    body: dict = {"kind": "heartbeat", "kiosk_id": kiosk_id(n), "group": GROUPS[n % len(GROUPS)],
                  "sent_at": sent.isoformat(timespec="seconds"), "app_version": VERSIONS[(n // 7) % len(VERSIONS)],
                  "config": {"installed_version": 3}, "paper": {"state": "ok", "left_percent": 60.0},
                  "outbox": {"pending": 0, "parked": 0, "unfinished": 0}, "uptime_s": 3600 + n}
    if n % 50 == 3:
        body["paper"] = {"state": "out", "left_percent": 0.0}
    elif n % 20 == 4:
        body["paper"] = {"state": "near_end", "left_percent": 6.0}
    if n % 97 == 5:
        body["devices"] = {"printer": {"state": "error", "last_error": "卡纸 paper jam"}}
    if n % 61 == 6:
        body["alerts"] = [{"code": "staff_called", "level": "error", "zh": "市民呼叫工作人员",
                           "en": "A citizen called for staff"}]
    return Heartbeat.model_validate(body)


def seed(path: Path, kiosks: int = 10_000) -> dict[str, int]:
    """Make the fleet in a new SQLite database at ``path``; returns what kinds of kiosks it has."""
    db = Database(path)
    now = datetime.now(UTC)
    salt = secrets.token_hex(16)
    hashed = token_hash(salt, secrets.token_urlsafe(32))  # nobody logs in as these kiosks here
    counts = {"kiosks": kiosks, "never_seen": 0, "offline": 0}
    with db.transaction() as conn:
        conn.execute_many(
            "INSERT INTO kiosks (kiosk_id, token_salt, token_hash, zone, enabled, created_at, hall, group_name, "
            "changed_ts) VALUES (:k, :salt, :hash, 'hall', 1, :at, :hall, :grp, 0)",
            [{"k": kiosk_id(n), "salt": salt, "hash": hashed, "at": now.isoformat(timespec="seconds"),
              "hall": HALLS[n % len(HALLS)], "grp": GROUPS[n % len(GROUPS)]} for n in range(kiosks)])
        for n in range(kiosks):
            if n % 250 == 7:
                counts["never_seen"] += 1
                continue
            when = now - timedelta(seconds=900 + n % 600) if n % 40 == 9 else now - timedelta(seconds=n % 60)
            counts["offline"] += n % 40 == 9
            fleet_book.record_heartbeat(conn, kiosk_id(n), _heartbeat(n, when), when)
        hours = []
        for n in range(len(HALLS)):
            for hour in range(30 * 24):
                ts = int((now - timedelta(hours=hour)).timestamp() // 3600) * 3600
                up = not (hour % 24 in (2, 3, 4) and (hour // 24) % 3 == 0)  # some nights switched off
                hours.append({"k": kiosk_id(n), "h": ts, "b": 60 if up else 2})
        conn.execute_many("INSERT INTO fleet_uptime (kiosk_id, hour_ts, beats) VALUES (:k, :h, :b) "
                          "ON CONFLICT (kiosk_id, hour_ts) DO UPDATE SET beats = excluded.beats", hours)
    db.close()
    return counts
