"""`kiosk diag`, `kiosk print-test`, `kiosk idcard read|decode` against the simulators and captured bytes."""

from __future__ import annotations

import json
import time

import pytest

from devices import simulators
from devices.idcard.frames import Status, response_frame
from devices.simulators.citizens import CITIZENS
from kiosk.cli import device_commands, main
from kiosk.technician import checks, headless  # headless: adds its checks once, before the list is narrowed


@pytest.fixture(autouse=True)
def no_leftover_simulators():
    simulators.stop_all()
    yield
    simulators.stop_all()


@pytest.fixture
def only_device_checks(monkeypatch):
    """Diag with the device checks alone (other areas add gateway and system checks of their own)."""
    monkeypatch.setattr(checks, "CHECKS", [headless.device_checks])


def read_answer(key: str, fingerprint: bool = False) -> bytes:
    citizen = CITIZENS[key]
    text, photo = citizen.text_block(), citizen.photo()
    if fingerprint:
        finger = citizen.fingerprint()
        lengths = b"".join(len(x).to_bytes(2, "big") for x in (text, photo, finger))
        return response_frame(Status.SUCCESS, lengths + text + photo + finger)
    return response_frame(Status.SUCCESS, bytes.fromhex("01000400") + text + photo)


def test_diag_json_reports_every_device(capsys, only_device_checks) -> None:
    assert main(["diag", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert {c["name"] for c in report["checks"]} == {"idcard", "printer", "scanner", "a4printer"}
    a4 = next(c for c in report["checks"] if c["name"] == "a4printer" and c["level"] == "external")
    assert "no problems" in a4["text"] and "127.0.0.1" in a4["text"]
    assert any("self-test: success" in c["text"] for c in report["checks"])


def test_diag_fails_clearly_for_a_missing_device_and_runs_added_checks(capsys, only_device_checks) -> None:
    def gateway_check(config):
        return [checks.CheckResult("gateway", True, "reachable (stub)")]

    checks.add_check(gateway_check)
    try:
        assert main(["diag", "--printer", "serial:///dev/no-such-printer"]) == 1
    finally:
        checks.CHECKS.remove(gateway_check)
    out = capsys.readouterr().out
    assert "FAIL printer" in out and "/dev/no-such-printer" in out and "initialisation" in out
    assert "OK   gateway" in out and "some checks FAILED" in out


def test_bad_url_is_explained(capsys, only_device_checks) -> None:
    assert main(["diag", "--scanner", "bluetooth://x"]) == 1
    assert "expected sim://scanner" in capsys.readouterr().out


def test_print_test_on_the_simulator_writes_a_picture(capsys, tmp_path) -> None:
    png = tmp_path / "page.png"
    assert main(["print-test", "--profile", "58mm", "--png", str(png), "--kiosk", "XM-07"]) == 0
    assert "1 QR code" in capsys.readouterr().out
    assert png.read_bytes().startswith(b"\x89PNG")


def test_print_test_reports_a_printer_that_cannot_print(capsys, tmp_path) -> None:
    assert main(["print-test", "--printer", "tcp://127.0.0.1:9"]) == 1
    assert "NOT printed" in capsys.readouterr().err


def test_idcard_read_masks_unless_asked(capsys) -> None:
    assert main(["idcard", "read", "--json", "--sim-card", "elderly", "--timeout", "3"]) == 0
    masked = json.loads(capsys.readouterr().out)
    assert masked["name"] == "林**" and masked["id_number"] == "3502**********0021"
    assert masked["birth_date"] == "1948-**-**" and masked["valid_to"] == "长期"
    assert "鹭江道" not in json.dumps(masked, ensure_ascii=False)
    assert main(["idcard", "read", "--json", "--unmasked", "--sim-card", "elderly", "--timeout", "3"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert full["name"] == "林秀英" and full["address"] == "福建省厦门市思明区鹭江道100号"


def test_the_default_simulated_reader_answers_at_the_pace_of_a_real_line(capsys) -> None:
    # find + select + read at 115200 baud is ~118 ms of wire time; an unpaced pty answers in ~1 ms
    started = time.monotonic()
    assert main(["idcard", "read", "--json", "--timeout", "3"]) == 0
    assert time.monotonic() - started >= 0.11
    assert json.loads(capsys.readouterr().out)["name"]


def test_idcard_decode_reports_each_frame_noise_and_broken_frames(capsys, tmp_path) -> None:
    corrupt = bytearray(response_frame(Status.FIND_OK, bytes(4)))
    corrupt[-1] ^= 1
    capture = (
        b"\x00\x11noise"
        + response_frame(Status.FIND_OK, bytes(4))
        + response_frame(Status.SUCCESS, bytes(8))
        + read_answer("foreigner2017")
        + bytes(corrupt)
        + read_answer("young", fingerprint=True)
        + read_answer("hk")[:700]  # cut short
    )
    path = tmp_path / "capture.bin"
    path.write_bytes(capture)
    assert main(["idcard", "decode", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    kinds = [i["kind"] for i in report["items"]]
    assert kinds == ["noise", "frame", "frame", "frame", "error", "frame", "error"]
    items = report["items"]
    assert items[1]["status"] == "find card succeeded"
    assert items[3]["card"]["card_type"] == "I" and items[3]["card"]["name_en"] == "S****, J*** M******"
    assert items[4]["error"] == "ChecksumError"
    assert items[5]["card"]["fingerprint"] == "512 bytes" and items[5]["card"]["name"] == "王**"
    assert items[6]["error"] == "TruncatedFrame" and report["broken"] == 2
    assert main(["idcard", "decode", str(path)]) == 1
    text = capsys.readouterr().out
    assert "BROKEN FRAME (TruncatedFrame)" in text and "王晓明" not in text


def test_idcard_decode_reads_a_spy_hexdump_and_bad_card_data(capsys, tmp_path) -> None:
    frame = response_frame(Status.NO_CARD) + response_frame(
        Status.SUCCESS, bytes.fromhex("01000400") + bytes(1280)
    )
    lines = ['000000.000 TX   0000  AA AA AA 96 69 00 03 20 01 22                    ....i.. ."']
    for offset in range(0, len(frame), 16):
        row = frame[offset : offset + 16]
        hexpart = " ".join(f"{b:02X}" for b in row[:8]) + "  " + " ".join(f"{b:02X}" for b in row[8:])
        lines.append(f"000000.010 RX   {offset:04X}  {hexpart:<49} {'.' * len(row)}")
    path = tmp_path / "spy.txt"
    path.write_text("\n".join(lines) + "\n")
    assert main(["idcard", "decode", str(path), "--json"]) == 1
    items = json.loads(capsys.readouterr().out)["items"]
    assert items[0]["status"] == "find card failed (no card)"
    assert "card_error" in items[1]  # 256 zero bytes are no card text


def test_idcard_decode_gives_the_y_cards_link_to_the_previous_card(capsys, tmp_path) -> None:
    path = tmp_path / "capture.bin"
    path.write_bytes(read_answer("foreigner2023"))
    assert main(["idcard", "decode", str(path), "--json"]) == 0
    [item] = [i for i in json.loads(capsys.readouterr().out)["items"] if "card" in i]
    assert item["card"]["card_type"] == "Y" and item["card"]["old_card_link"] == "K7Q"
    assert main(["idcard", "decode", str(path)]) == 0
    assert "old_card_link" in capsys.readouterr().out


def test_idcard_decode_missing_file(capsys, tmp_path) -> None:
    assert main(["idcard", "decode", str(tmp_path / "nope.bin")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_urls_come_from_the_config_file_and_a_bad_file_is_explained(capsys, tmp_path) -> None:
    import argparse

    good = tmp_path / "kiosk.toml"
    good.write_text(
        f'state_dir = "{tmp_path / "state"}"\n[kiosk]\nid = "XM-HALL-009"\ncenter_domain = "hall.example.org"\n'
        '[devices]\nprinter = "tcp://192.0.2.10:9100"\nprinter_profile = "58mm"\n',
        encoding="utf-8",
    )
    args = argparse.Namespace(config=good, printer=None, idcard="sim://idcard", scanner=None, profile=None)
    config = device_commands.device_config(args)
    assert config.urls["printer"] == "tcp://192.0.2.10:9100" and config.printer_profile == "58mm"
    assert config.center_domain == "hall.example.org" and config.state_dir == str(tmp_path / "state")
    bad = tmp_path / "bad.toml"
    bad.write_text('[devices]\nprinter = "lpt://1"\n', encoding="utf-8")
    assert main(["diag", "--config", str(bad)]) == 2
    assert "printer" in capsys.readouterr().err
