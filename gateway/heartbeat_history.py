"""Each kiosk's heartbeat history, downsampled so it stays bounded at any fleet size.

- every beat (when it arrived, and the kiosk's own time) for ``BEATS_KEPT_S`` (a day);
- beats per hour for ``HOURS_KEPT_S`` (90 days), enough to show each kiosk's uptime.

The latest heartbeat in full lives in ``fleet_kiosks``. A beat is one small row and one counter
upsert; what is older than its window is pruned with the replay keys (:mod:`gateway.retention`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.storage import Transaction

BEATS_KEPT_S = 24 * 3600
HOURS_KEPT_S = 90 * 24 * 3600
SHOWN_BEATS = 60
BEAT_EVERY_S = 60  # the kiosks' default heartbeat_s: an hour is "up" at a third of its 60 beats or more


def record(conn: Transaction, kiosk_id: str, received_ts: float, sent_at: str) -> None:
    conn.execute("INSERT INTO fleet_beats (kiosk_id, received_ts, sent_at) VALUES (?, ?, ?)",
                 (kiosk_id, received_ts, sent_at))
    conn.execute("INSERT INTO fleet_uptime (kiosk_id, hour_ts, beats) VALUES (?, ?, 1) ON CONFLICT (kiosk_id, hour_ts) "
                 "DO UPDATE SET beats = fleet_uptime.beats + 1", (kiosk_id, int(received_ts // 3600) * 3600))


def prune(conn: Transaction, now_ts: float) -> int:
    gone = conn.execute("DELETE FROM fleet_beats WHERE received_ts < ?", (now_ts - BEATS_KEPT_S,)).rowcount
    gone += conn.execute("DELETE FROM fleet_uptime WHERE hour_ts < ?", (int(now_ts - HOURS_KEPT_S),)).rowcount
    return gone


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def recent(conn: Transaction, kiosk_id: str) -> list[dict[str, Any]]:
    """The latest beats, newest first."""
    return [{"received_at": _iso(r["received_ts"]), "sent_at": r["sent_at"]}
            for r in conn.all("SELECT received_ts, sent_at FROM fleet_beats WHERE kiosk_id = ? "
                              "ORDER BY received_ts DESC LIMIT ?", (kiosk_id, SHOWN_BEATS))]


def uptime(conn: Transaction, kiosk_id: str, now_ts: float, days: int = 90) -> dict[str, Any]:
    """Hours the kiosk was up (a third of its beats or more) out of the hours since it was first heard, per day too."""
    since = int(max(now_ts - days * 86400, 0) // 3600) * 3600
    rows = conn.all("SELECT hour_ts, beats FROM fleet_uptime WHERE kiosk_id = ? AND hour_ts >= ? ORDER BY hour_ts",
                    (kiosk_id, since))
    if not rows:
        return {"hours": 0, "up_hours": 0, "percent": None, "days": []}
    first = int(rows[0]["hour_ts"])
    hours = max(1, int((now_ts - first) // 3600) + 1)
    up = [r for r in rows if r["beats"] * BEAT_EVERY_S * 3 >= 3600]
    per_day: dict[str, int] = {}
    for r in up:
        day = _iso(r["hour_ts"])[:10]
        per_day[day] = per_day.get(day, 0) + 1
    return {"hours": hours, "up_hours": len(up), "percent": round(100 * len(up) / hours, 1),
            "days": [{"date": day, "up_hours": n} for day, n in sorted(per_day.items())]}
