"""Staff calls from the kiosks (呼叫工作人员): kept as ``staff_called`` event entries, shown as alerts.

A kiosk raises one through its outbox (``POST /outbox/event``). The gateway keeps at most one per
kiosk every ``REPEAT_S`` seconds — a flood of calls (a stuck button, a replaying kiosk, a script)
is one alert, and the extra entries are acknowledged without being stored — and shows a call among
the kiosk's alerts on the fleet console for ``SHOWN_FOR_S``, with where the kiosk stands.
"""

from __future__ import annotations

from typing import Any

from gateway.storage import Transaction, loads

EVENT = "staff_called"
REPEAT_S = 120.0
SHOWN_FOR_S = 15 * 60.0
_MARK = f'"event":"{EVENT}"'  # as gateway.storage.dumps writes it


def _recent(conn: Transaction, kiosk_id: str, since_ts: float) -> list[Any]:
    return conn.all("SELECT payload, received_at, received_ts FROM outbox_entries WHERE kiosk_id = ? AND kind = "
                    "'event' AND received_ts >= ? AND payload LIKE ? ORDER BY received_ts DESC LIMIT 20",
                    (kiosk_id, since_ts, f"%{_MARK}%"))


def called_recently(conn: Transaction, kiosk_id: str, now_ts: float) -> bool:
    """Whether this kiosk's staff call from the last ``REPEAT_S`` seconds is already kept."""
    return bool(_recent(conn, kiosk_id, now_ts - REPEAT_S))


def alerts(conn: Transaction, kiosk_id: str, zone: str | None, now_ts: float) -> list[dict[str, str]]:
    """The kiosk's open staff call as a console alert (most recent only), or nothing."""
    rows = _recent(conn, kiosk_id, now_ts - SHOWN_FOR_S)
    if not rows:
        return []
    attributes = (loads(rows[0]["payload"]) or {}).get("attributes") or {}
    where = str(attributes.get("location") or zone or kiosk_id)[:60]
    at = str(rows[0]["received_at"])[11:16]
    return [{"code": "staff_called", "level": "error",
             "zh": f"呼叫工作人员：{where}（{at}）", "en": f"Staff called to {kiosk_id} at {where} ({at})"}]
