"""`kiosk config verify|apply|pin-hash`: messages and exit codes on the failure paths."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.technician.access import verify_pin


def local_config(tmp_path: Path, keys: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'state_dir = "state"\n[kiosk]\nid = "XM-HALL-009"\n[security]\ntrusted_keys = [{keys}]\n',
                    encoding="utf-8")
    return path


def test_a_missing_bundle_file_is_a_usage_error(tmp_path, capsys):
    assert main(["config", "apply", str(tmp_path / "nope.json"), "--config", str(local_config(tmp_path))]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_bad_pinned_key_in_the_local_file_names_the_key(tmp_path, capsys):
    bundle = tmp_path / "b.json"
    bundle.write_text("{}", encoding="utf-8")
    config = local_config(tmp_path, '"not-a-key"')
    assert main(["config", "verify", str(bundle), "--config", str(config)]) == 2
    assert "security.trusted_keys[0]" in capsys.readouterr().err


def test_a_missing_local_file_is_a_usage_error(tmp_path, capsys):
    bundle = tmp_path / "b.json"
    bundle.write_text("{}", encoding="utf-8")
    assert main(["config", "verify", str(bundle), "--config", str(tmp_path / "none.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_a_malformed_bundle_is_refused_with_its_reason(tmp_path, capsys):
    bundle = tmp_path / "b.json"
    bundle.write_bytes(b"\x00\x01 garbage")
    assert main(["config", "apply", str(bundle), "--config", str(local_config(tmp_path))]) == 3
    err = capsys.readouterr().err
    assert "REFUSED (malformed)" in err and "unchanged" in err
    assert not (tmp_path / "state" / "bundles" / "installed.json").exists()


def test_pin_hash_from_stdin_makes_a_verifiable_hash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("270315\n"))
    assert main(["config", "pin-hash", "--pin-stdin"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith('technician_pin_hash = "scrypt$') and "270315" not in line
    assert verify_pin("270315", line.split('"')[1])


@pytest.mark.parametrize("pin", ["1234", "000000", "abcdef"])
def test_pin_hash_refuses_weak_pins(pin, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(pin + "\n"))
    assert main(["config", "pin-hash", "--pin-stdin"]) == 2
    assert "not a good technician PIN" in capsys.readouterr().err


def test_pin_hash_with_differing_entries_makes_nothing(monkeypatch, capsys):
    answers = iter(["270315", "270316"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["config", "pin-hash"]) == 2
    assert "differ" in capsys.readouterr().err


def test_bundle_commands_have_help():
    for command in (["config", "verify", "--help"], ["config", "apply", "--help"], ["config", "pin-hash", "--help"]):
        result = subprocess.run([sys.executable, "-m", "kiosk", *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "usage: kiosk config" in result.stdout
