"""`kiosk diag --json` as a technician runs it: a subprocess, a config file, sim:// devices, a real gateway."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SECTIONS = {"paper", "gateway", "outbox", "cache", "configuration", "system", "log"}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    from gateway.embedded import EmbeddedGateway

    embedded = EmbeddedGateway(tmp_path_factory.mktemp("diag-gateway") / "gateway.db").start()
    yield embedded
    embedded.stop()


def _config(folder: Path, gateway_url: str) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(f"""
state_dir = "state"
[kiosk]
id = "XM-HALL-001"
[devices]
idcard = "sim://idcard"
printer = "sim://printer"
scanner = "sim://scanner"
[gateway]
url = "{gateway_url}"
token = "demo-hall-001-secret"
connect_timeout_s = 1.0
read_timeout_s = 3.0
""", encoding="utf-8")
    return path


def _diag(config: Path) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "kiosk", "diag", "--json", "--config", str(config)],
                          capture_output=True, text=True, timeout=60, cwd=config.parent)
    return done.returncode, json.loads(done.stdout), done.stderr


def test_diag_json_runs_every_check_headless(tmp_path, gateway):
    config = _config(tmp_path, gateway.url)
    state = tmp_path / "state"
    from offline_cache.outbox import Outbox
    from offline_cache.store import open_store

    with open_store(state) as store:  # a kiosk that has run: one entry waiting in its outbox
        Outbox(store).append("feedback", {"rating": 4})
    code, report, stderr = _diag(config)
    assert code == 0, (report, stderr)
    assert report["ok"] is True and isinstance(report["checks"], list)
    for check in report["checks"]:
        assert set(check) >= {"name", "ok", "text", "level"}
        assert isinstance(check["ok"], bool) and isinstance(check["text"], str)
    devices = {c["name"] for c in report["checks"] if "section" not in c}
    assert devices == {"idcard", "printer", "scanner"}
    ours = {c["name"]: c for c in report["checks"] if "section" in c}
    assert {c["section"] for c in ours.values()} == SECTIONS
    assert ours["gateway"]["data"]["reachable"] is True and ours["gateway"]["data"]["latency_ms"] > 0
    assert ours["outbox"]["data"]["counts"]["pending"] == 1
    assert ours["configuration"]["data"]["kiosk_id"] == "XM-HALL-001"
    assert ours["disk"]["data"]["free_bytes"] > 0 and "tickets_left" in ours["paper"]["data"]


def test_diag_json_reports_an_unreachable_gateway_and_exits_1(tmp_path):
    config = _config(tmp_path, "http://127.0.0.1:9")  # discard port: nothing listens
    code, report, _ = _diag(config)
    assert code == 1 and report["ok"] is False
    gateway = next(c for c in report["checks"] if c["name"] == "gateway")
    assert gateway["ok"] is False and gateway["data"]["reachable"] is False
    assert not (tmp_path / "state" / "kiosk.sqlite3").exists()  # a diagnosis creates no database


def test_diag_with_a_bad_config_file_says_what_is_wrong(tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[kiosk]\nid = "x"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kiosk", "diag", "--json", "--config", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "kiosk.id" in done.stderr and done.stdout == ""
