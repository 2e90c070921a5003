"""The technician's checks: paper estimate, outbox, cache, configuration, system, log, gateway; failures contained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config.local import demo_settings
from kiosk.app.tour_technician import sample_findings
from kiosk.gateway_client.errors import GatewayOffline
from kiosk.hardware.paper_roll import PAPER_LOW_TICKETS, RECENT_JOBS, PaperRoll, roll_length_cm
from kiosk.technician import diagnostics
from kiosk.technician.checks import Finding
from kiosk.technician.diagnostics import Sources


@pytest.fixture
def settings(tmp_path: Path):
    return demo_settings(tmp_path / "state")


def test_paper_estimate_uses_recent_ticket_lengths_and_survives_a_restart(tmp_path):
    roll = PaperRoll(tmp_path, 80)
    assert roll.estimate(0).tickets_left is None  # nothing printed yet: no guess
    for _ in range(10):
        roll.record_job(100.0)  # 10 cm tickets
    estimate = roll.estimate(7000.0)
    assert estimate.roll_cm == roll_length_cm(80) == 8000.0
    assert estimate.left_cm == 1000.0 and estimate.average_ticket_cm == 10.0
    assert estimate.tickets_left == 100 and not estimate.low
    again = PaperRoll(tmp_path, 80)  # a restart keeps the recent lengths
    assert again.recent_average_cm() == 10.0
    assert again.estimate(7600.0).low and again.estimate(7600.0).tickets_left == 40 < PAPER_LOW_TICKETS
    assert again.estimate(9000.0).left_cm == 0.0  # more than a roll counted: none left, never negative


def test_paper_keeps_only_recent_jobs_and_ignores_a_damaged_file(tmp_path):
    roll = PaperRoll(tmp_path, 58)
    for _ in range(RECENT_JOBS):
        roll.record_job(200.0)
    for _ in range(RECENT_JOBS):
        roll.record_job(50.0)
    assert roll.recent_average_cm() == 5.0 and roll.roll_cm == 5000.0
    roll.path.write_text("{not json", encoding="utf-8")
    assert PaperRoll(tmp_path, 58).recent_average_cm() is None


def test_paper_finding_reads_the_printer_statistics_file(settings):
    stats = Path(settings.state_dir) / "devices" / "printer.stats.json"
    stats.parent.mkdir(parents=True)
    stats.write_text(json.dumps({"cm_since_roll_change": 7950.0, "lines_since_roll_change": 21000, "cuts": 880,
                                 "reset_at": 1_700_000_000}), encoding="utf-8")
    roll = diagnostics.paper_roll_for(settings)
    for _ in range(5):
        roll.record_job(90.0)
    [finding] = diagnostics.paper_finding(Sources(settings, paper=roll))
    assert finding.section == "paper" and not finding.ok  # 50 cm left = 5 tickets: low
    assert finding.data["tickets_left"] == 5 and finding.data["cuts"] == 880
    assert "about 5 tickets left" in finding.text and "roll_changed_at" in finding.data


def test_outbox_finding_counts_and_names_parked_entries_without_their_payload(settings):
    from offline_cache.outbox import Outbox
    from offline_cache.store import open_store

    with open_store(settings.state_dir) as store:
        outbox = Outbox(store, max_attempts=1)
        outbox.append("feedback", {"rating": 5})
        parked = outbox.append("mailing", {"name": "林秀英", "phone": "13812345678"})
        outbox.record_failure(parked.idempotency_key, "refused for 350203194803120021", permanent=True)
        [finding] = diagnostics.outbox_finding(outbox)
    assert not finding.ok and finding.data["counts"]["parked"] == 1 and finding.data["counts"]["pending"] == 1
    assert finding.data["parked"][0]["kind"] == "mailing"
    dumped = json.dumps(finding.data, ensure_ascii=False) + finding.text
    assert "林秀英" not in dumped and "13812345678" not in dumped and "350203194803120021" not in dumped


def test_cache_and_database_findings(settings):
    from offline_cache.content import ContentCache
    from offline_cache.store import open_store

    with open_store(settings.state_dir) as store:
        content = ContentCache(store)
        content.put("guides", "ee-passport", {"title": "护照"})
        findings = diagnostics.cache_finding(content, store)
    cache, database = findings
    assert cache.data["ages_s"]["guides"] is not None and "guides" in cache.text
    assert database.ok and database.data["integrity"] == "ok"


def test_configuration_system_and_log(settings, tmp_path):
    [fresh] = diagnostics.configuration_finding(settings)
    assert fresh.ok and fresh.data["bundle"] is None  # no state directory yet: nothing installed, nothing made
    Path(settings.state_dir).mkdir(parents=True)
    [config] = diagnostics.configuration_finding(settings)
    assert config.ok and config.data["kiosk_id"] == "XM-HALL-001"
    assert config.data["bundle"]["installed_version"] == 0 and config.data["audit"]["ok"]
    system = {f.name: f for f in diagnostics.system_findings(settings.state_dir)}
    assert set(system) == {"disk", "memory", "cpu"} and system["disk"].data["free_bytes"] > 0
    log_file = tmp_path / "kiosk.jsonl"
    log_file.write_text("\n".join(json.dumps({"ts": "2025-03-12T01:00:00.000+00:00", "level": "INFO", "area": "session",
                                              "msg": f"line {i} id 350203194803120021"}) for i in range(30)) + "\n")
    [log] = diagnostics.log_finding(log_file, count=5)
    assert len(log.data["lines"]) == 5 and log.data["lines"][-1].startswith("09:00:00 INFO session: line 29")  # UTC 01:00, hall time 09:00
    assert all("350203194803120021" not in line for line in log.data["lines"])


def test_configuration_reports_a_damaged_audit_log(settings):
    from kiosk.system.clock import SystemClock
    from kiosk.technician.access import AuditLog

    audit = AuditLog.in_state_dir(settings.state_dir, SystemClock())
    audit.record("paper_replaced")
    audit.record("exit")
    lines = audit.path.read_text().splitlines()
    audit.path.write_text(lines[0].replace("paper_replaced", "restart") + "\n" + lines[1] + "\n")
    [config] = diagnostics.configuration_finding(settings)
    assert not config.ok and "audit log damaged at line 2" in config.text


class _Gateway:
    base_url = "http://127.0.0.1:9"

    def __init__(self, error=None, probe=False):
        self.error, self.probed, self.probe_answer = error, 0, probe

    def health(self):
        if self.error:
            raise self.error
        from contract.base import Health

        return Health(version="0.1.0", time="2025-03-12T09:00:00+08:00")

    def probe(self):
        self.probed += 1
        return self.probe_answer


def test_gateway_finding_reachable_unreachable_and_offline_state():
    [ok] = diagnostics.gateway_finding(_Gateway())
    assert ok.ok and ok.data["reachable"] and ok.data["latency_ms"] >= 0
    [down] = diagnostics.gateway_finding(_Gateway(GatewayOffline("offline", "connection refused")))
    assert not down.ok and "connection refused" in down.text
    breaker_open = _Gateway(GatewayOffline("circuit_open", "open"), probe=True)
    [back] = diagnostics.gateway_finding(breaker_open)
    assert back.ok and breaker_open.probed == 1  # the offline state does not hide a gateway that is back
    [none] = diagnostics.gateway_finding(None)
    assert not none.ok


def test_a_broken_source_fails_its_own_check_only(settings):
    class Broken:
        def counts(self):
            raise OSError("disk I/O error")

    findings = diagnostics.service_findings(Sources(settings, outbox=Broken()))
    outbox = next(f for f in findings if f.name == "outbox")
    assert not outbox.ok and "disk I/O error" in outbox.text
    assert {f.section for f in findings} >= {"paper", "gateway", "cache", "configuration", "system", "log"}
    assert all(isinstance(f, Finding) for f in findings)
    devices = diagnostics.device_findings(None)
    assert devices[0].section == "devices" and not devices[0].ok


def test_sample_findings_cover_every_section():
    assert set(diagnostics.by_section(sample_findings())) == set(diagnostics.SECTIONS)
