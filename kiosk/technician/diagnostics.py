"""The technician's checks, one implementation for the diagnostics screen and ``kiosk diag --json``.

Each check returns :class:`~kiosk.technician.checks.Finding` objects (name, ok, a text for the
technician, health level, the screen ``section`` it belongs to and structured ``data`` that
``kiosk diag --json`` prints as it is). Sections, in the order the screen shows them: devices,
paper, gateway, outbox, cache, configuration, system, log.

The screen runs :func:`run_all` off the GUI thread with the running kiosk's services
(:class:`Sources`); ``kiosk diag`` runs :func:`service_findings` through kiosk/technician/headless.py.

Nothing here returns personal data: device statistics and states are technical, outbox entries are
described by kind and attempts only, and log lines are the already redacted ones (redacted again).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from config.local import KioskSettings
from kiosk.hardware.paper_roll import PaperEstimate, PaperRoll
from kiosk.system.clock import HALL_ZONE
from kiosk.system.installed_version import kiosk_version
from kiosk.system.privacy import redact
from kiosk.technician.checks import Finding
from kiosk.technician.finding_words import hall_time

log = logging.getLogger("fleet")

SECTIONS = ("devices", "paper", "gateway", "outbox", "cache", "configuration", "system", "log")
DEVICE_NAMES = ("idcard", "printer", "scanner", "a4printer")
LOG_LINES = 20
DISK_LOW_BYTES = 500 * 1024 * 1024
MEMORY_LOW_BYTES = 200 * 1024 * 1024
GATEWAY_SLOW_MS = 1000.0


@dataclass
class Sources:
    """What the checks look at. Anything None is reported as absent, never as a crash."""

    settings: KioskSettings
    hub: Any = None  # kiosk.hardware.device_hub.DeviceHub (the screen); None headless
    gateway: Any = None  # kiosk.gateway_client.client.GatewayClient
    outbox: Any = None  # offline_cache.outbox.Outbox
    content: Any = None  # offline_cache.content.ContentCache
    store: Any = None  # offline_cache.store.Store
    paper: PaperRoll | None = None
    log_file: Path | None = None
    clock: Any = None

    @property
    def state_dir(self) -> Path:
        return Path(self.settings.state_dir)


def _profile_width(settings: KioskSettings) -> int:
    return 58 if settings.devices.printer_profile.startswith("58") else 80


def paper_roll_for(settings: KioskSettings) -> PaperRoll:
    """The paper roll record of this kiosk's printer."""
    return PaperRoll(settings.state_dir, _profile_width(settings))


def log_file_for(settings: KioskSettings) -> Path:
    """Where ``kiosk run`` writes its log (see kiosk/cli/run.py)."""
    return Path(settings.state_dir) / "logs" / "kiosk.jsonl"


# --- devices (the screen; headless, headless.device_checks opens the devices itself) -------------


def device_findings(hub: Any) -> list[Finding]:
    """State, last error, statistics and external health of each configured device (does I/O)."""
    from devices.model import HealthLevel

    if hub is None:
        return [Finding("devices", False, "device layer not started", "internal", "devices")]
    findings = []
    reports = {report.device: report for report in hub.health(HealthLevel.EXTERNAL)}
    for name in DEVICE_NAMES:
        if name not in reports:
            continue
        report = reports[name]
        device = hub.device(name)
        data: dict[str, Any] = {"state": "offline", "last_error": None, "statistics": {}}
        if device is not None:
            stats = device.statistics.snapshot()
            data = {
                "state": str(device.state),
                "last_error": redact(device.last_error.technician) if device.last_error else None,
                "statistics": {k: v for k, v in sorted(stats.items()) if k != "reset_at"},
            }
            if name == "a4printer":  # toner low, paper low: warnings while it still prints
                data["conditions"] = hub.a4_summary() or None
                data["can_print"] = hub.can_print_a4()
        data["report"] = report.text
        text = f"{report.text}; state {data['state']}"
        if data["last_error"]:
            text += f"; last error: {data['last_error']}"
        findings.append(Finding(name, report.ok, text, "external", "devices", data))
    return findings


# --- paper -------------------------------------------------------------------------------------------


def printer_statistics(sources: Sources) -> dict[str, float]:
    """The printer's counters: from the open driver, else from its statistics file."""
    device = sources.hub.device("printer") if sources.hub is not None else None
    if device is not None:
        return device.statistics.snapshot()
    path = sources.state_dir / "devices" / "printer.stats.json"
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in values.items() if isinstance(v, int | float)} if isinstance(values, dict) else {}


def paper_finding(sources: Sources) -> list[Finding]:
    """Paper printed since the roll was changed and the estimated tickets left."""
    stats = printer_statistics(sources)
    roll = sources.paper or paper_roll_for(sources.settings)
    estimate: PaperEstimate = roll.estimate(float(stats.get("cm_since_roll_change", 0)))
    data = estimate.as_dict()
    data["lines_since_roll_change"] = stats.get("lines_since_roll_change", 0)
    data["cuts"] = stats.get("cuts", 0)
    if stats.get("reset_at"):
        data["roll_changed_at"] = datetime.fromtimestamp(float(stats["reset_at"]), HALL_ZONE).isoformat(timespec="seconds")
    sensor = _paper_sensor(sources)
    if sensor is not None:
        data["sensor"] = sensor
    left = (f"about {estimate.tickets_left} tickets left" if estimate.tickets_left is not None
            else "no recent tickets to estimate from")
    text = (f"{estimate.used_cm:.0f} of {estimate.roll_cm:.0f} cm used since the roll was changed; {left}"
            + (f" (average {estimate.average_ticket_cm:.1f} cm over {estimate.recent_jobs} recent tickets)"
               if estimate.average_ticket_cm else ""))
    if sensor:
        text += f"; sensor: {sensor}"
    ok = not estimate.low and sensor != "out"
    return [Finding("paper", ok, text, "internal", "paper", data)]


def _paper_sensor(sources: Sources) -> str | None:
    device = sources.hub.device("printer") if sources.hub is not None else None
    cached = getattr(device, "cached_status", None)
    if cached is None:
        return None
    status, _age = cached()
    paper = getattr(status, "paper", None)
    return None if paper is None else str(getattr(paper, "value", paper))


# --- gateway ------------------------------------------------------------------------------------------


def gateway_finding(client: Any) -> list[Finding]:
    """GET /health, timed: reachable or not, latency in milliseconds, the gateway's version."""
    from kiosk.gateway_client.errors import GatewayError

    if client is None:
        return [Finding("gateway", False, "no gateway client (not started yet, or the kiosk runs offline)",
                        "external", "gateway", {"reachable": False})]
    url = getattr(client, "base_url", "")
    started = time.monotonic()
    try:
        health = client.health()
    except GatewayError as exc:
        if exc.code == "circuit_open":
            # the running client is in its offline state: ask the gateway directly once
            started = time.monotonic()
            if client.probe():
                latency = (time.monotonic() - started) * 1000
                return [Finding("gateway", True, f"{url} reachable again, {latency:.0f} ms", "external", "gateway",
                                {"url": url, "reachable": True, "latency_ms": round(latency, 1)})]
        return [Finding("gateway", False, f"{url} unreachable: {exc}", "external", "gateway",
                        {"url": url, "reachable": False, "error": str(exc)})]
    latency = (time.monotonic() - started) * 1000
    ok = health.status == "ok" and latency < GATEWAY_SLOW_MS
    text = f"{url} {health.status}, {latency:.0f} ms, gateway {health.version}, database {health.database}"
    if latency >= GATEWAY_SLOW_MS:
        text += " (slow)"
    return [Finding("gateway", ok, text, "external", "gateway",
                    {"url": url, "reachable": True, "latency_ms": round(latency, 1), "status": health.status,
                     "version": health.version, "database": health.database})]


# --- outbox, cache, database ----------------------------------------------------------------------------


def outbox_finding(outbox: Any, now: Callable[[], float] = time.time) -> list[Finding]:
    """Entries by state and the parked ones (kind, attempts, last error; never the payload)."""
    if outbox is None:
        return [Finding("outbox", True, "no database yet (the kiosk has not started here)", "internal", "outbox",
                        {"counts": {}, "parked": []})]
    counts = outbox.counts()
    parked = [{"kind": e.kind, "attempts": e.attempts, "age_s": round(now() - e.created_at),
               "last_error": redact(e.last_error or "")[:200]} for e in outbox.entries("parked")]
    pending = counts.get("pending", 0) + counts.get("sent", 0)
    text = f"{pending} waiting, {counts.get('parked', 0)} parked, {counts.get('acknowledged', 0)} delivered"
    if parked:
        text += "; parked: " + ", ".join(f"{p['kind']} ({p['attempts']} attempts)" for p in parked[:5])
    return [Finding("outbox", not parked, text, "internal", "outbox", {"counts": counts, "parked": parked})]


def _age_text(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def cache_finding(content: Any, store: Any = None) -> list[Finding]:
    """Age of each kind of cached public content, and the database's integrity and size."""
    if content is None:
        return [Finding("cache", True, "no database yet (the kiosk has not started here)", "internal", "cache",
                        {"ages_s": {}})]
    ages = content.ages()
    text = ", ".join(f"{kind} {_age_text(age)}" for kind, age in ages.items())
    findings = [Finding("cache", True, f"content age: {text}", "internal", "cache",
                        {"ages_s": {k: None if v is None else round(v) for k, v in ages.items()}})]
    if store is not None:
        health = store.health()
        findings.append(Finding("database", health.integrity == "ok",
                                f"integrity {health.integrity}, schema {health.schema_version}, "
                                f"{health.size_bytes / 1024:.0f} KiB", "internal", "cache",
                                {"integrity": health.integrity, "schema_version": health.schema_version,
                                 "size_bytes": health.size_bytes}))
    return findings


# --- configuration -------------------------------------------------------------------------------------


def configuration_finding(settings: KioskSettings, clock: Any = None) -> list[Finding]:
    """Kiosk id and group, application version, installed configuration bundle, audit chain."""
    from kiosk.technician.access import verify_audit

    data: dict[str, Any] = {"kiosk_id": settings.kiosk.id, "group": settings.kiosk.group,
                            "application_version": kiosk_version(), "bundle": None}
    ok = True
    bundle_text = "bundles: not available"
    if Path(settings.state_dir).is_dir():
        try:
            from kiosk.fleet.config_updates import BundleStore
            from kiosk.system.clock import SystemClock

            status = BundleStore.for_settings(settings, clock or SystemClock()).status()
            data["bundle"] = status
            bundle_text = f"configuration version {status['installed_version'] or 'shipped defaults'}"
            if status.get("pending_version"):
                bundle_text += f", version {status['pending_version']} waiting"
            if status.get("last_rollback"):
                bundle_text += f", rolled back from {status['last_rollback'].get('failed_version')}"
                ok = False
            expiry = status.get("last_expiry")
            if expiry and expiry.get("restored_version") == status["installed_version"]:
                # still running what the kiosk fell back to: the admins owe it a new bundle
                bundle_text += (f", version {expiry.get('expired_version')} expired at {expiry.get('expired_at')} "
                                f"(publish a new bundle)")
                ok = False
        except ModuleNotFoundError:
            pass
        except Exception as exc:  # e.g. a pinned key the configuration got wrong
            bundle_text = f"bundles unreadable: {exc}"
            ok = False
    audit = verify_audit(Path(settings.state_dir) / "audit.jsonl")
    data["audit"] = {"ok": audit.ok, "lines": audit.lines, "problem": audit.problem}
    audit_text = f"audit log {audit.lines} entries, chain intact" if audit.ok else \
        f"audit log damaged at line {audit.line_number}: {audit.problem}"
    text = (f"kiosk {settings.kiosk.id} (group {settings.kiosk.group}), application {data['application_version']}; "
            f"{bundle_text}; {audit_text}")
    return [Finding("configuration", ok and audit.ok, text, "internal", "configuration", data)]


# --- system -------------------------------------------------------------------------------------------


def system_findings(state_dir: Path) -> list[Finding]:
    """Free disk of the state directory, memory, CPU and this process."""
    import psutil

    folder = Path(state_dir)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    disk = psutil.disk_usage(str(folder))
    memory = psutil.virtual_memory()
    process = psutil.Process(os.getpid())
    rss = process.memory_info().rss
    cpu = psutil.cpu_percent(interval=0.2)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    uptime = time.time() - process.create_time()
    mib = 1024 * 1024
    return [
        Finding("disk", disk.free >= DISK_LOW_BYTES,
                f"{disk.free / mib / 1024:.1f} GiB free of {disk.total / mib / 1024:.1f} GiB ({folder})",
                "internal", "system", {"path": str(folder), "free_bytes": disk.free, "total_bytes": disk.total,
                                       "percent_used": disk.percent}),
        Finding("memory", memory.available >= MEMORY_LOW_BYTES,
                f"{memory.available / mib:.0f} MiB available of {memory.total / mib:.0f} MiB; "
                f"this process {rss / mib:.0f} MiB", "internal", "system",
                {"available_bytes": memory.available, "total_bytes": memory.total, "process_rss_bytes": rss}),
        Finding("cpu", True, f"{cpu:.0f} % now, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
                             f"up {_age_text(uptime)}", "internal", "system",
                {"percent": cpu, "load": [round(v, 2) for v in load], "cores": psutil.cpu_count(),
                 "process_uptime_s": round(uptime)}),
    ]


# --- recent log ------------------------------------------------------------------------------------------


def log_finding(log_file: Path | None, count: int = LOG_LINES) -> list[Finding]:
    """The last log lines, shortened for the screen; already redacted when written, redacted again here."""
    from kiosk.system.logs import recent_lines

    if log_file is None or not Path(log_file).exists():
        return [Finding("log", True, "no log file", "internal", "log", {"lines": []})]
    entries = []  # each line's time apart, for the screen to show in the hall's zone
    for raw in recent_lines(Path(log_file), count):
        try:
            entry = json.loads(raw)
            stamp, line = str(entry.get("ts", "")), f"{entry.get('level', '')[:4]} {entry.get('area', '')}: " \
                                                     f"{entry.get('msg', '')}"
        except (ValueError, AttributeError):
            stamp, line = "", raw
        entries.append({"ts": stamp, "line": redact(line)[:290]})
    lines = [f"{hall_time(e['ts'])} {e['line']}" for e in entries]
    return [Finding("log", True, f"last {len(lines)} lines of {log_file}", "internal", "log",
                    {"lines": lines, "entries": entries})]


# --- all together ------------------------------------------------------------------------------------------


def _guarded(name: str, section: str, check: Callable[[], list[Finding]]) -> list[Finding]:
    try:
        return check()
    except Exception as exc:  # a broken check must not hide the others
        log.warning("diagnostic check %s failed: %r", name, exc)
        return [Finding(name, False, f"check failed: {redact(repr(exc))[:200]}", "internal", section)]


def service_findings(sources: Sources) -> list[Finding]:
    """Every check except the devices themselves (those differ between the screen and the command line)."""
    return [
        *_guarded("paper", "paper", lambda: paper_finding(sources)),
        *_guarded("gateway", "gateway", lambda: gateway_finding(sources.gateway)),
        *_guarded("outbox", "outbox", lambda: outbox_finding(sources.outbox)),
        *_guarded("cache", "cache", lambda: cache_finding(sources.content, sources.store)),
        *_guarded("configuration", "configuration", lambda: configuration_finding(sources.settings, sources.clock)),
        *_guarded("system", "system", lambda: system_findings(sources.state_dir)),
        *_guarded("log", "log", lambda: log_finding(sources.log_file)),
    ]


def run_all(sources: Sources) -> list[Finding]:
    """Every check for the diagnostics screen, in section order. Does I/O: call it off the GUI thread."""
    return [*_guarded("devices", "devices", lambda: device_findings(sources.hub)), *service_findings(sources)]


def by_section(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {section: [] for section in SECTIONS}
    for finding in findings:
        grouped.setdefault(finding.section or "devices", []).append(finding)
    return grouped
