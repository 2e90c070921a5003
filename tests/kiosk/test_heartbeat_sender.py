"""Heartbeats: what one carries (redacted), how the sender queues them, and the trip through the
outbox, the sync worker and the gateway client to a real gateway's fleet book."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest

from config.local import demo_settings
from contract.fleet import Heartbeat
from devices.errors import DeviceOperationError
from devices.model import Statistics
from kiosk.fleet.heartbeat import HeartbeatSender, HeartbeatSource, RecentErrors
from kiosk.shell.services import KioskServices
from kiosk.system.installed_version import kiosk_version
from offline_cache.outbox import Outbox
from offline_cache.store import open_store

ID_NUMBER = "350203194803120021"


class FakeDevice:
    def __init__(self, name: str, state: str = "idle", error: str | None = None, paper: str | None = None) -> None:
        self.name = name
        self.state = state
        self.last_error = DeviceOperationError(error) if error else None
        self.statistics = Statistics(None)
        self._paper = paper

    def cached_status(self):
        return (SimpleNamespace(paper=self._paper), 0.5) if self._paper else (None, float("inf"))


class FakeHub:
    def __init__(self, **devices: FakeDevice) -> None:
        self.devices = devices

    def device(self, name: str):
        return self.devices.get(name)


@pytest.fixture
def outbox(tmp_path):
    store = open_store(tmp_path / "state")
    yield Outbox(store)
    store.close()


def test_a_heartbeat_carries_versions_devices_paper_outbox_and_redacted_errors(tmp_path, outbox):
    settings = demo_settings(tmp_path / "state")
    printer = FakeDevice("printer", paper="near_end")
    printer.statistics.add("cm_since_roll_change", 7600)
    printer.statistics.add("jobs", 12)
    hub = FakeHub(printer=printer, idcard=FakeDevice("idcard", "error", f"card {ID_NUMBER} unreadable"))
    errors = RecentErrors()
    errors.handle(logging.LogRecord("devices", logging.ERROR, __file__, 1, "reader failed for %s", (ID_NUMBER,), None))
    outbox.append("feedback", {"rating": 5})
    source = HeartbeatSource(settings, KioskServices(devices=hub, outbox=outbox), errors=errors, uptime=lambda: 42.9)
    beat = source.build()
    assert isinstance(beat, Heartbeat) and beat.kiosk_id == "XM-HALL-001" and beat.group == settings.kiosk.group
    assert beat.app_version == kiosk_version() != "" and beat.uptime_s == 42
    assert beat.devices["idcard"].state == "error" and ID_NUMBER not in beat.devices["idcard"].last_error
    assert "3502" in beat.devices["idcard"].last_error  # masked, still recognisable for a technician
    assert beat.devices["scanner"].state == "offline"  # configured but not open
    assert beat.devices["printer"].statistics["jobs"] == 12
    assert beat.paper.state == "near_end" and beat.paper.left_percent == pytest.approx(5.0)
    assert beat.outbox.unfinished == 1 and beat.config.installed_version == 0
    assert len(beat.last_errors) == 1 and ID_NUMBER not in beat.last_errors[0]


def test_without_devices_or_bundles_the_heartbeat_still_goes(tmp_path):
    beat = HeartbeatSource(demo_settings(tmp_path / "s"), KioskServices()).build()
    assert beat.devices["printer"].state == "absent" and beat.paper.state == "unknown" and beat.outbox.unfinished == 0


def test_a_heartbeat_says_whether_and_why_the_kiosk_is_out_of_service(kiosk, tmp_path):
    from config.remote import parse_bundle_files
    context = kiosk.context
    source = HeartbeatSource(context.settings, KioskServices(), maintenance=lambda: context.maintenance_reason)
    assert source.build().maintenance == "off"
    window = parse_bundle_files({"maintenance.toml": '[[windows]]\nid = "upgrade"\n'
                                                      'from = 2026-11-25T18:00:00+08:00\n'
                                                      'until = 2026-11-25T20:00:00+08:00\n'}).maintenance[0]
    context.set_planned_maintenance(window)
    assert source.build().maintenance == "planned"
    context.set_maintenance(True)
    assert source.build().maintenance == "technician"  # the technician's word comes first
    context.set_maintenance(False)
    context.set_planned_maintenance(None)
    assert source.build().maintenance == "off"


def test_the_sender_queues_one_at_start_and_skips_when_telemetry_is_shed(tmp_path, outbox):
    settings = demo_settings(tmp_path / "state")
    woken = []
    services = KioskServices(outbox=outbox, sync=SimpleNamespace(wake=lambda: woken.append(1)))
    sender = HeartbeatSender(HeartbeatSource(settings, services), services, interval_s=3600).start()
    try:
        deadline = time.monotonic() + 5
        while sender.sent < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sender.sent == 1 and woken == [1]
        entry = outbox.entries()[0]
        assert entry.kind == "telemetry" and entry.payload["kind"] == "heartbeat"
    finally:
        sender.stop()
    full = Outbox(outbox.store, capacity=2, alert_ratio=0.5)  # telemetry refused from one unsent entry on
    services.outbox = full
    assert sender.send_once() is False and len(full.entries()) == 1
    with pytest.raises(ValueError):
        HeartbeatSender(HeartbeatSource(settings, services), services, interval_s=0)


def test_heartbeats_reach_the_fleet_book_through_outbox_sync_and_client(tmp_path, outbox):
    from gateway.app import create_app
    from gateway.fleet_pages import KioskQuery, page
    from gateway.serve_thread import GatewayThread
    from gateway.settings import GatewaySettings
    from kiosk.gateway_client.client import GatewayClient
    from offline_cache.sync import SyncWorker

    app = create_app(GatewaySettings(db_path=tmp_path / "gw.sqlite3", demo=True))
    settings = demo_settings(tmp_path / "state")
    with GatewayThread(app) as server:
        client = GatewayClient(server.url, "XM-HALL-001", "demo-hall-001-secret")
        sync = SyncWorker(outbox, client.post_outbox_entry, poll_s=0.2)
        services = KioskServices(outbox=outbox, sync=sync, devices=FakeHub(printer=FakeDevice("printer", paper="out")))
        sync.start()
        sender = HeartbeatSender(HeartbeatSource(settings, services), services, interval_s=3600).start()
        try:
            deadline = time.monotonic() + 10
            rows = []
            while time.monotonic() < deadline:
                with app.state.gateway.db.read() as conn:
                    listed = page(conn, KioskQuery(status="online"), app.state.gateway.settings.now())["kiosks"]
                    rows = [k for k in listed if k["online"]]
                if rows:
                    break
                time.sleep(0.05)
            assert [r["kiosk_id"] for r in rows] == ["XM-HALL-001"]
            assert {a["code"] for a in rows[0]["alerts"]} >= {"paper_out", "reader_error"}
            assert outbox.counts()["unfinished"] == 0
        finally:
            sender.stop()
            sync.stop()
            client.close()


def test_a_heartbeat_carries_the_a4_printer_and_its_warnings(tmp_path, outbox):
    from devices.a4printer.conditions import A4Status

    settings = demo_settings(tmp_path / "state")  # the demo has sim://a4printer
    a4 = FakeDevice("a4printer")
    a4.cached_status = lambda: (A4Status(3, ("toner-low-report",)), 0.4)
    a4.statistics.add("pages", 7)
    source = HeartbeatSource(settings, KioskServices(devices=FakeHub(a4printer=a4), outbox=outbox))
    beat = source.build()
    report = beat.devices["a4printer"]
    assert report.state == "idle" and report.statistics["pages"] == 7
    assert report.conditions == "idle; toner-low-report"
    assert beat.paper.state == "unknown"  # the receipt roll's paper is not the A4 tray's


def test_a_kiosk_without_an_a4_printer_reports_none(tmp_path, outbox):
    settings = demo_settings(tmp_path / "state")
    settings = replace(settings, devices=replace(settings.devices, a4printer=""))
    beat = HeartbeatSource(settings, KioskServices(devices=FakeHub(), outbox=outbox)).build()
    assert "a4printer" not in beat.devices
