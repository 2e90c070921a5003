"""What an admin should look at for a kiosk: the alerts worked out from its heartbeat, and their rows.

Most alerts come from what the heartbeat says (paper, devices, outbox, configuration, maintenance);
a kiosk may raise alerts of its own too (``Heartbeat.alerts``, e.g. ``staff_called``), with any code.
Two depend on time and are worked out when the console asks: ``offline`` (no heartbeat for
``OFFLINE_AFTER_S``) and ``never_seen``. The others are kept as rows of ``fleet_alerts`` when a
heartbeat arrives (only when they change), so the console filters and counts by kind in SQL at
any fleet size, and lists every kind the storage has.
"""

from __future__ import annotations

from typing import Any

from gateway.storage import Transaction, dumps

OFFLINE_AFTER_S = 180
"""A kiosk whose newest heartbeat is older than this is shown offline (three missed 60 s beats)."""
PAPER_LOW_PERCENT = 10.0
OUTBOX_BACKLOG_ALERT = 100
TIMED_CODES = {"offline": ("离线", "Offline: heartbeats stopped", "error"),
               "never_seen": ("从未收到心跳", "No heartbeat ever received", "error")}
GATEWAY_LABELS = {
    "maintenance_technician": ("技术员维护中", "Technician's maintenance"),
    "maintenance_planned": ("计划维护中", "Planned maintenance"),
    "paper_out": ("打印纸已用完", "Paper out"), "paper_low": ("打印纸即将用完", "Paper low"),
    "reader_error": ("身份证阅读器故障", "ID card reader error"), "printer_error": ("打印机故障", "Printer error"),
    "scanner_error": ("扫码器故障", "Scanner error"), "outbox_parked": ("待发数据被搁置", "Outbox entries parked"),
    "outbox_backlog": ("待发数据积压", "Outbox backlog"), "bundle_refused": ("配置包被拒绝", "Bundle refused"),
    "config_rolled_back": ("配置已自动回滚", "Configuration rolled back"),
}
"""What each kind of the gateway's own alerts is called in the console's lists (an alert's own text may say more)."""
GATEWAY_CODES = frozenset({*TIMED_CODES, *GATEWAY_LABELS})


_DEVICE_ALERTS = {"idcard": ("reader_error", "身份证阅读器故障", "ID card reader error"),
                  "printer": ("printer_error", "打印机故障", "Printer error"),
                  "scanner": ("scanner_error", "扫码器故障", "Scanner error")}


def _alert(code: str, zh: str, en: str, level: str = "warning") -> dict[str, str]:
    return {"code": code, "zh": zh, "en": en, "level": level}


_MAINTENANCE_ALERTS = {
    "technician": ("技术员维护中，暂停服务", "Out of service: a technician's maintenance mode"),
    "planned": ("计划维护中，暂停服务", "Out of service: planned maintenance window"),
}


def alerts_for(heartbeat: dict[str, Any] | None, online: bool) -> list[dict[str, str]]:
    """What an admin should look at for one kiosk, most urgent first."""
    if heartbeat is None:
        return [_alert("never_seen", *TIMED_CODES["never_seen"])]
    found = []
    if not online:
        found.append(_alert("offline", *TIMED_CODES["offline"]))
    maintenance = heartbeat.get("maintenance")
    if maintenance in _MAINTENANCE_ALERTS:
        found.append(_alert(f"maintenance_{maintenance}", *_MAINTENANCE_ALERTS[maintenance]))
    paper = heartbeat.get("paper") or {}
    if paper.get("state") == "out":
        found.append(_alert("paper_out", "打印纸已用完", "Paper out", "error"))
    elif paper.get("state") == "near_end" or (paper.get("left_percent") is not None
                                              and paper["left_percent"] < PAPER_LOW_PERCENT):
        found.append(_alert("paper_low", "打印纸即将用完", "Paper low"))
    for name, report in (heartbeat.get("devices") or {}).items():
        if name in _DEVICE_ALERTS and report.get("state") in ("error", "offline"):
            code, zh, en = _DEVICE_ALERTS[name]
            found.append(_alert(code, zh, en, "error"))
    outbox = heartbeat.get("outbox") or {}
    if outbox.get("parked"):
        found.append(_alert("outbox_parked", f"{outbox['parked']} 条待发数据被搁置",
                            f"{outbox['parked']} outbox entries parked"))
    if (outbox.get("unfinished") or 0) >= OUTBOX_BACKLOG_ALERT:
        found.append(_alert("outbox_backlog", "待发数据积压", f"Outbox backlog: {outbox['unfinished']}"))
    config = heartbeat.get("config") or {}
    refusal = config.get("last_refusal")
    if refusal and (refusal.get("version") or 0) > config.get("installed_version", 0):
        found.append(_alert("bundle_refused", "配置包被拒绝", f"Bundle refused: {refusal.get('reason')}"))
    rollback = config.get("last_rollback")
    if rollback and rollback.get("failed_version", 0) > config.get("installed_version", 0):
        found.append(_alert("config_rolled_back", "配置已自动回滚",
                            f"Configuration {rollback.get('failed_version')} rolled back"))
    known = {alert["code"] for alert in found}
    for raised in heartbeat.get("alerts") or ():  # the kiosk's own (e.g. staff_called): any code it sends
        if isinstance(raised, dict) and raised.get("code") and raised["code"] not in known | GATEWAY_CODES:
            known.add(raised["code"])
            found.append(_alert(str(raised["code"]), str(raised.get("zh") or raised["code"]), str(raised.get("en") or ""),
                                "error" if raised.get("level") == "error" else "warning"))
    return found


def stored(heartbeat: dict[str, Any]) -> list[dict[str, str]]:
    """The alerts kept as rows for a kiosk that just sent ``heartbeat`` (it is online: no timed ones)."""
    return alerts_for(heartbeat, True)


def store(conn: Transaction, kiosk_id: str, alerts: list[dict[str, str]], kept: str | None) -> str:
    """Make ``alerts`` the kiosk's rows unless they are what ``kept`` (their JSON) says; returns their JSON."""
    text = dumps(alerts)
    if text != kept:
        conn.execute("DELETE FROM fleet_alerts WHERE kiosk_id = ?", (kiosk_id,))
        conn.execute_many("INSERT INTO fleet_alerts (kiosk_id, code, level, zh, en) VALUES (:k, :code, :level, :zh, :en)",
                          [{"k": kiosk_id, **alert} for alert in alerts])
    return text
