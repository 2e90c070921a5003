"""What the technician screen says of each finding, in the kiosk's language, with times in the hall's zone.

A :class:`~kiosk.technician.checks.Finding` carries an English ``text`` for ``kiosk diag`` and its
machine-readable ``data``; the screen words the data through the translation catalogue instead
(Chinese message ids, ``locale/en/technician.po``). What a device or a server says of itself (a
driver's report, an error message, a version) is shown as it came: it is a value, not a sentence
of the kiosk's. A finding whose data lacks what its words need falls back to its ``text``.

Log lines are written with the machine's clock and its UTC offset (kiosk/system/logs.py); the
screen shows each line's time in the hall's zone, so a kiosk whose machine runs on UTC still shows
the technician the time on the hall's wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kiosk.shell.i18n import N_, _
from kiosk.system.clock import HALL_ZONE
from kiosk.technician.checks import Finding

DEVICE_STATES = {"idle": N_("空闲"), "busy": N_("忙"), "error": N_("故障"), "closed": N_("已关闭"),
                 "offline": N_("离线")}
CARD_TYPES = {"resident": N_("居民身份证"), "J": N_("港澳台居民居住证"), "I": N_("外国人永久居留身份证（2017版）"),
              "Y": N_("外国人永久居留身份证（2023版）")}
PAPER_SENSOR = {"ok": N_("纸量正常"), "near_end": N_("纸将用完"), "out": N_("缺纸")}
CONTENT_KINDS = {"catalogue": N_("事项目录"), "guides": N_("办事指南"), "announcements": N_("公告"),
                 "hours": N_("开放时间")}
FIXED = {
    "device layer not started": N_("设备层尚未启动"),
    "no gateway client (not started yet, or the kiosk runs offline)": N_("没有网关连接（尚未启动，或本机离线运行）"),
    "no database yet (the kiosk has not started here)": N_("还没有数据库（本机尚未在此启动过）"),
    "no log file": N_("没有日志文件"),
}


def finding_words(finding: Finding) -> str:
    """The finding's text for the screen, in the current language."""
    if finding.text in FIXED:
        return _(FIXED[finding.text])
    if finding.text.startswith("check failed: "):
        return _("检查失败：{error}").format(error=finding.text.removeprefix("check failed: "))
    words = _WORDS.get("device" if finding.section == "devices" else finding.name)
    if words is None:
        return finding.text
    try:
        return words(finding.data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return finding.text


def hall_time(stamp: str, zone: dt.tzinfo = HALL_ZONE) -> str:
    """``HH:MM:SS`` of a log line's time in the hall's zone; a time without an offset is the machine's own."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp[11:19] if isinstance(stamp, str) else ""
    return f"{moment.astimezone(zone):%H:%M:%S}"


def log_lines(finding: Finding, zone: dt.tzinfo = HALL_ZONE) -> list[str]:
    """The recent log lines, each with its time in the hall's zone."""
    entries = finding.data.get("entries")
    if not isinstance(entries, list):
        return [str(line) for line in finding.data.get("lines", [])]
    return [f"{hall_time(e.get('ts', ''), zone)} {e.get('line', '')}" for e in entries if isinstance(e, dict)]


def _age(seconds: float | None) -> str:
    if seconds is None:
        return _("从未更新")
    if seconds < 120:
        return _("{n} 秒").format(n=f"{seconds:.0f}")
    if seconds < 7200:
        return _("{n} 分钟").format(n=f"{seconds / 60:.0f}")
    if seconds < 172800:
        return _("{n} 小时").format(n=f"{seconds / 3600:.0f}")
    return _("{n} 天").format(n=f"{seconds / 86400:.0f}")


def _device(d: dict[str, Any]) -> str:
    state = d["state"]
    text = _("状态：{state}").format(state=_(DEVICE_STATES[state]) if state in DEVICE_STATES else state)
    if d.get("report"):
        text += _("；自检：{report}").format(report=d["report"])
    if d.get("last_error"):
        text += _("；最近错误：{error}").format(error=d["last_error"])
    return text


def _paper(d: dict[str, Any]) -> str:
    text = _("换纸卷后已用 {used} / {roll} 厘米").format(used=f"{d['used_cm']:.0f}", roll=f"{d['roll_cm']:.0f}")
    if d.get("tickets_left") is not None:
        text += _("；约可再打 {count} 张").format(count=d["tickets_left"])
    else:
        text += _("；最近没有打印，无法估算剩余张数")
    if d.get("average_ticket_cm"):
        text += _("（最近 {jobs} 张平均 {cm} 厘米）").format(jobs=d["recent_jobs"], cm=f"{d['average_ticket_cm']:.1f}")
    if d.get("sensor"):
        sensor = d["sensor"]
        text += _("；纸传感器：{sensor}").format(sensor=_(PAPER_SENSOR[sensor]) if sensor in PAPER_SENSOR else sensor)
    return text


def _gateway(d: dict[str, Any]) -> str:
    if not d["reachable"]:
        return _("{url} 无法连接：{error}").format(url=d["url"], error=d.get("error", ""))
    if "status" not in d:
        return _("{url} 已恢复连接，{ms} 毫秒").format(url=d["url"], ms=f"{d['latency_ms']:.0f}")
    return _("{url} {status}，{ms} 毫秒，网关版本 {version}，数据库 {database}").format(
        url=d["url"], status=d["status"], ms=f"{d['latency_ms']:.0f}", version=d["version"], database=d["database"])


def _outbox(d: dict[str, Any]) -> str:
    counts = d["counts"]
    text = _("等待发送 {pending} 条，搁置 {parked} 条，已送达 {delivered} 条").format(
        pending=counts.get("pending", 0) + counts.get("sent", 0), parked=counts.get("parked", 0),
        delivered=counts.get("acknowledged", 0))
    parked = d.get("parked") or []
    if parked:
        text += _("；搁置：{entries}").format(entries=_("，").join(
            _("{kind}（已试 {attempts} 次）").format(kind=p["kind"], attempts=p["attempts"]) for p in parked[:5]))
    return text


def _cache(d: dict[str, Any]) -> str:
    ages = d["ages_s"]
    return _("内容更新于：{ages}").format(ages=_("，").join(
        f"{_(CONTENT_KINDS[k]) if k in CONTENT_KINDS else k} {_age(v)}" for k, v in ages.items()) or "-")


def _database(d: dict[str, Any]) -> str:
    return _("完整性 {integrity}，结构版本 {schema}，{kib} KiB").format(
        integrity=d["integrity"], schema=d["schema_version"], kib=f"{d['size_bytes'] / 1024:.0f}")


def _configuration(d: dict[str, Any]) -> str:
    text = _("终端 {kiosk}（分组 {group}），应用版本 {version}").format(
        kiosk=d["kiosk_id"], group=d["group"], version=d["application_version"])
    bundle = d.get("bundle")
    if isinstance(bundle, dict):
        installed = bundle.get("installed_version")
        text += _("；") + (_("配置版本 {version}").format(version=installed) if installed else _("出厂默认配置"))
        if bundle.get("pending_version"):
            text += _("，版本 {version} 待生效").format(version=bundle["pending_version"])
        if bundle.get("last_rollback"):
            text += _("，已从版本 {version} 回退").format(version=bundle["last_rollback"].get("failed_version"))
    audit = d["audit"]
    text += _("；") + (_("审计日志 {lines} 条，链完整").format(lines=audit["lines"]) if audit["ok"]
                   else _("审计日志损坏：{problem}").format(problem=audit.get("problem", "")))
    return text


def _disk(d: dict[str, Any]) -> str:
    gib = 1024 ** 3
    return _("可用 {free} GiB，共 {total} GiB（{path}）").format(
        free=f"{d['free_bytes'] / gib:.1f}", total=f"{d['total_bytes'] / gib:.1f}", path=d["path"])


def _memory(d: dict[str, Any]) -> str:
    mib = 1024 ** 2
    return _("可用 {available} MiB，共 {total} MiB；本程序占用 {rss} MiB").format(
        available=f"{d['available_bytes'] / mib:.0f}", total=f"{d['total_bytes'] / mib:.0f}",
        rss=f"{d['process_rss_bytes'] / mib:.0f}")


def _cpu(d: dict[str, Any]) -> str:
    load = d["load"]
    return _("当前 {percent}%，负载 {load}；已运行 {uptime}").format(
        percent=f"{d['percent']:.0f}", load=" ".join(f"{v:.2f}" for v in load), uptime=_age(d["process_uptime_s"]))


def _log(d: dict[str, Any]) -> str:
    return _("最近 {count} 行日志（时间为大厅当地时间）").format(count=len(d.get("entries") or d["lines"]))


_WORDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "device": _device, "paper": _paper, "gateway": _gateway, "outbox": _outbox, "cache": _cache,
    "database": _database, "configuration": _configuration, "disk": _disk, "memory": _memory, "cpu": _cpu,
    "log": _log,
}
