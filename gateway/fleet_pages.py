"""The console's view of the fleet at any size: one page of kiosks, filtered and sorted in SQL, and one kiosk.

A page is asked for with a :class:`KioskQuery` (hall, group, online/offline, alert kind, app
version, part of the id; sorted by any column; ``per_page`` at most 200) and answered from one
snapshot: the page's kiosk ids in order, the rows, the number that match, fleet-wide counts and
the values each filter can take (every alert kind the storage has, including kinds kiosks raise
themselves). A refresh passes the ``cursor`` of the answer before (``since``) and the ids it
holds (``known``): the answer then carries only the rows that are new to it or changed since —
a heartbeat arrived, the kiosk went offline, its enrolment or the roll-out changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from gateway import heartbeat_history, staff_calls
from gateway.fleet_alerts import GATEWAY_LABELS, OFFLINE_AFTER_S, TIMED_CODES, alerts_for
from gateway.fleet_book import version_for
from gateway.problems import Problem
from gateway.storage import Transaction, loads

MAX_PER_PAGE = 200
SINCE_MARGIN_S = 5.0
"""A refresh re-sends rows changed a little before its cursor too: a heartbeat committed just after
the previous answer was made may carry an arrival time from just before it."""

_FROM = ("FROM (SELECT kiosk_id FROM kiosks UNION SELECT kiosk_id FROM fleet_kiosks) ids "
         "LEFT JOIN kiosks r ON r.kiosk_id = ids.kiosk_id LEFT JOIN fleet_kiosks f ON f.kiosk_id = ids.kiosk_id")
_GROUP = "COALESCE(f.group_name, NULLIF(r.group_name, ''))"
_SILENT = "(f.kiosk_id IS NULL OR f.received_ts < :cut)"  # offline or never heard from
_HAS_ALERT = "EXISTS (SELECT 1 FROM fleet_alerts a WHERE a.kiosk_id = ids.kiosk_id{})"
_ALERT_COUNT = (f"((SELECT count(*) FROM fleet_alerts a WHERE a.kiosk_id = ids.kiosk_id) "
                f"+ CASE WHEN {_SILENT} THEN 1 ELSE 0 END)")
SortKey = Literal["kiosk", "hall", "group", "heartbeat", "app_version", "config_version", "alerts"]
SORTS: dict[SortKey, str] = {  # the console's sort keys, in SortKey's order (the API lists them so)
    "kiosk": "ids.kiosk_id", "hall": "COALESCE(r.hall, '')", "group": f"COALESCE({_GROUP}, '')",
    "heartbeat": "COALESCE(f.received_ts, 0)", "app_version": "COALESCE(f.app_version, '')",
    "config_version": "COALESCE(f.config_version, -1)", "alerts": _ALERT_COUNT,
}
_COLUMNS = ("ids.kiosk_id AS kiosk_id, r.zone AS zone, r.enabled AS enabled, r.hall AS hall, "
            "r.group_name AS enrolled_group, r.changed_ts AS changed_ts, f.kiosk_id AS seen, "
            "f.group_name AS group_name, f.heartbeat AS heartbeat, f.received_at AS received_at, "
            "f.received_ts AS received_ts, f.app_version AS app_version, f.config_version AS config_version")


@dataclass(frozen=True)
class KioskQuery:
    hall: str | None = None
    group: str | None = None
    status: str | None = None  # "online" or "offline"
    alert: str | None = None  # one kind, e.g. paper_out, offline, never_seen, staff_called
    alerting: bool = False  # the alerts view: only kiosks with any alert
    version: str | None = None  # app version
    search: str | None = None  # part of the kiosk id
    sort: SortKey = "kiosk"
    descending: bool = False
    page: int = 1
    per_page: int = 50
    since: float | None = None
    known: frozenset[str] = frozenset()


def _where(query: KioskQuery, params: dict[str, Any]) -> str:
    clauses = []
    if query.hall is not None:
        clauses.append("r.hall = :hall")
        params["hall"] = query.hall
    if query.group is not None:
        clauses.append(f"{_GROUP} = :grp")
        params["grp"] = query.group
    if query.status == "online":
        clauses.append("f.received_ts >= :cut")
    elif query.status == "offline":
        clauses.append(_SILENT)
    if query.alert == "never_seen":
        clauses.append("f.kiosk_id IS NULL")
    elif query.alert == "offline":
        clauses.append("f.received_ts < :cut")
    elif query.alert is not None:
        clauses.append(_HAS_ALERT.format(" AND a.code = :code"))
        params["code"] = query.alert
    if query.alerting:
        clauses.append(f"({_SILENT} OR {_HAS_ALERT.format('')})")
    if query.version is not None:
        clauses.append("f.app_version = :version")
        params["version"] = query.version
    if query.search:
        escaped = query.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("lower(ids.kiosk_id) LIKE :search ESCAPE '\\'")
        params["search"] = f"%{escaped.lower()}%"
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def page(conn: Transaction, query: KioskQuery, now: datetime) -> dict[str, Any]:
    """One page of kiosks as :class:`KioskQuery` asks, from this snapshot (see the module's text)."""
    if query.sort not in SORTS:
        raise Problem(422, "bad_sort", f"sort by one of {', '.join(SORTS)}")
    now_ts = now.timestamp()
    params: dict[str, Any] = {"cut": now_ts - OFFLINE_AFTER_S}
    where = _where(query, params)
    total = int(conn.execute(f"SELECT count(*) {_FROM}{where}", params).scalar_one())
    direction = "DESC" if query.descending else "ASC"
    rows = conn.all(f"SELECT {_COLUMNS} {_FROM}{where} ORDER BY {SORTS[query.sort]} {direction}, "
                    f"ids.kiosk_id {direction} LIMIT :limit OFFSET :offset",
                    {**params, "limit": query.per_page, "offset": (query.page - 1) * query.per_page})
    targets: dict[str, int | None] = {}
    rollout_ts = _rollout_changed_ts(conn) if query.since is not None else 0.0
    sent = [_row(conn, row, now_ts, targets) for row in rows if _changed(row, query, now_ts, rollout_ts)]
    return {
        "now": now.isoformat(timespec="seconds"), "now_ts": now_ts, "cursor": repr(now_ts),
        "full": query.since is None, "total": total, "page": query.page, "per_page": query.per_page,
        "pages": max(1, math.ceil(total / query.per_page)), "ids": [row["kiosk_id"] for row in rows],
        "kiosks": sent, "summary": summary(conn, now_ts), "facets": facets(conn, now_ts),
    }


def _changed(row: Any, query: KioskQuery, now_ts: float, rollout_ts: float) -> bool:
    if query.since is None or row["kiosk_id"] not in query.known or rollout_ts > query.since - SINCE_MARGIN_S:
        return True
    since = query.since - SINCE_MARGIN_S
    received = row["received_ts"]
    if received is not None and (received > since or since - OFFLINE_AFTER_S <= received < now_ts - OFFLINE_AFTER_S):
        return True  # a new heartbeat, or the kiosk went offline since
    return (row["changed_ts"] or 0) > since


def _rollout_changed_ts(conn: Transaction) -> float:
    found = conn.row("SELECT max(published_at) AS p, max(promoted_at) AS q FROM fleet_bundles")
    stamps = [datetime.fromisoformat(t).timestamp() for t in (found["p"], found["q"]) if t]
    return max(stamps, default=0.0)


def _row(conn: Transaction, row: Any, now_ts: float, targets: dict[str, int | None]) -> dict[str, Any]:
    heartbeat = loads(row["heartbeat"]) if row["seen"] is not None else None
    received = row["received_ts"]
    age = max(0, round(now_ts - received)) if received is not None else None
    online = age is not None and age <= OFFLINE_AFTER_S
    group = row["group_name"] or row["enrolled_group"] or None
    if group and group not in targets:
        targets[group] = version_for(conn, group, 0)
    report = conn.one("SELECT * FROM fleet_reports WHERE kiosk_id = ? AND outcome IN ('refused', 'rolled_back') "
                      "ORDER BY seq DESC LIMIT 1", (row["kiosk_id"],))
    beat = heartbeat or {}
    return {
        "kiosk_id": row["kiosk_id"], "hall": row["hall"] or None, "zone": row["zone"],
        "enabled": bool(row["enabled"]) if row["enabled"] is not None else False, "group": group, "online": online,
        "heartbeat_age_s": age, "last_heartbeat_at": row["received_at"], "last_heartbeat_ts": received,
        "app_version": row["app_version"], "config_version": row["config_version"],
        "target_version": targets.get(group) if group else None,
        "paper": beat.get("paper"), "outbox": beat.get("outbox"),
        "devices": {name: d.get("state") for name, d in (beat.get("devices") or {}).items()},
        "last_errors": beat.get("last_errors", []),
        "last_refusal": (beat.get("config") or {}).get("last_refusal")
        or ({"reason": report["reason"], "message": report["message"], "version": report["version"],
             "at": report["at"]} if report is not None else None),
        "uptime_s": beat.get("uptime_s"),
        "alerts": staff_calls.alerts(conn, row["kiosk_id"], row["zone"], now_ts) + alerts_for(heartbeat, online),
    }


def summary(conn: Transaction, now_ts: float) -> dict[str, int]:
    """Fleet-wide: kiosks known, online now, and with any alert."""
    cut = {"cut": now_ts - OFFLINE_AFTER_S}
    total = int(conn.execute(f"SELECT count(*) {_FROM}", {}).scalar_one())
    online = int(conn.execute("SELECT count(*) FROM fleet_kiosks WHERE received_ts >= :cut", cut).scalar_one())
    quiet = int(conn.execute("SELECT count(*) FROM fleet_kiosks f WHERE f.received_ts >= :cut AND NOT EXISTS "
                             "(SELECT 1 FROM fleet_alerts a WHERE a.kiosk_id = f.kiosk_id)", cut).scalar_one())
    return {"kiosks": total, "online": online, "offline": total - online, "alerting": total - quiet}


def facets(conn: Transaction, now_ts: float) -> dict[str, Any]:
    """What each filter can be set to: halls, groups, app versions, and every alert kind with its count."""
    cut = {"cut": now_ts - OFFLINE_AFTER_S}
    halls = [r[0] for r in conn.all("SELECT DISTINCT hall FROM kiosks WHERE hall <> '' ORDER BY hall")]
    groups = [r[0] for r in conn.all("SELECT group_name FROM fleet_kiosks UNION SELECT group_name FROM kiosks "
                                     "WHERE group_name <> '' ORDER BY 1")]
    versions = [r[0] for r in conn.all("SELECT DISTINCT app_version FROM fleet_kiosks ORDER BY app_version")]
    kinds: list[dict[str, Any]] = []
    offline = int(conn.execute("SELECT count(*) FROM fleet_kiosks WHERE received_ts < :cut", cut).scalar_one())
    never = int(conn.execute("SELECT count(*) FROM kiosks r WHERE NOT EXISTS "
                             "(SELECT 1 FROM fleet_kiosks f WHERE f.kiosk_id = r.kiosk_id)").scalar_one())
    for code, count in (("offline", offline), ("never_seen", never)):
        if count:
            zh, en, level = TIMED_CODES[code]
            kinds.append({"code": code, "zh": zh, "en": en, "level": level, "kiosks": count})
    for r in conn.all("SELECT code, count(*) AS n, max(level) AS level, min(zh) AS zh, min(en) AS en "
                      "FROM fleet_alerts GROUP BY code ORDER BY code"):
        zh, en = GATEWAY_LABELS.get(r["code"], (r["zh"], r["en"]))
        kinds.append({"code": r["code"], "zh": zh, "en": en, "level": r["level"], "kiosks": int(r["n"])})
    kinds.sort(key=lambda kind: (kind["level"] != "error", -kind["kiosks"], kind["code"]))
    return {"halls": halls, "groups": groups, "versions": versions, "alerts": kinds}


def kiosk_detail(conn: Transaction, kiosk_id: str, now: datetime) -> dict[str, Any]:
    """One kiosk: its row, its latest heartbeat in full, recent beats, its uptime per day and bundle reports."""
    row = conn.one(f"SELECT {_COLUMNS} {_FROM} WHERE ids.kiosk_id = :kiosk", {"kiosk": kiosk_id})
    if row is None:
        raise Problem(404, "no_such_kiosk", f"no kiosk {kiosk_id!r} is registered or has sent a heartbeat")
    view = _row(conn, row, now.timestamp(), {})
    view["heartbeat"] = loads(row["heartbeat"]) if row["seen"] is not None else None
    view["history"] = heartbeat_history.recent(conn, kiosk_id)
    view["uptime"] = heartbeat_history.uptime(conn, kiosk_id, now.timestamp())
    view["reports"] = [dict(r) for r in conn.all("SELECT version, outcome, reason, message, at FROM fleet_reports "
                                                 "WHERE kiosk_id = ? ORDER BY seq DESC", (kiosk_id,))]
    return view
