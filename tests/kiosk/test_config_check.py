"""`kiosk config check`: what the configuration points at is checked too, each finding naming key, value and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main


def config(tmp_path: Path, gateway: str = 'token = "secret"', devices: str = "", extra: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'''state_dir = "{tmp_path / 'state'}"
{extra}
[kiosk]
id = "XM-TEST-07"
[devices]
{devices}
[gateway]
{gateway}
''', encoding="utf-8")
    return path


def check(capsys, path: Path) -> tuple[int, str, str]:
    code = main(["config", "check", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_missing_token_file_is_an_error_naming_file_key_and_value(tmp_path, capsys) -> None:
    token = tmp_path / "gateway.token"
    path = config(tmp_path, gateway=f'token_file = "{token}"')
    code, _out, err = check(capsys, path)
    assert code == 2
    assert f"{path}: error: gateway.token_file = '{token}': file not found; expected a readable file" in err
    assert "Traceback" not in err
    token.write_text("s3cret\n")
    token.chmod(0o640)
    code, out, err = check(capsys, path)
    assert code == 0, err
    assert "valid configuration for kiosk XM-TEST-07" in out


@pytest.mark.parametrize(("make", "problem"), [
    (lambda p: p.mkdir(), "is a directory"),  # unreadable for root too
    (lambda p: p.write_text("\n"), "the file is empty"),
    (lambda p: p.write_bytes(b"\xff\xfe"), "is not UTF-8 text"),
])
def test_an_unusable_token_file_is_an_error(tmp_path, capsys, make, problem) -> None:
    token = tmp_path / "gateway.token"
    make(token)
    code, _out, err = check(capsys, config(tmp_path, gateway=f'token_file = "{token}"'))
    assert code == 2
    assert f"gateway.token_file = '{token}': {problem}" in err


def test_no_token_at_all_is_an_error(tmp_path, capsys) -> None:
    code, _out, err = check(capsys, config(tmp_path, gateway='url = "http://10.20.0.5:8765"'))
    assert code == 2
    assert "gateway.token = '': no token and no token_file" in err


def test_a_ca_file_for_a_plain_http_gateway_and_an_unreadable_ca_file(tmp_path, capsys) -> None:
    ca = tmp_path / "hall-ca.pem"
    code, _out, err = check(capsys, config(tmp_path, gateway=f'url = "http://10.20.0.5:8765"\ntoken = "s"\n'
                                                           f'ca_file = "{ca}"'))
    assert code == 2
    assert f"gateway.ca_file = '{ca}': a CA bundle is only used for TLS, but gateway.url is 'http://10.20.0.5:8765'" in err
    assert f"gateway.ca_file = '{ca}': file not found; expected a readable PEM CA bundle" in err
    ca.write_text("not a certificate")
    code, _out, err = check(capsys, config(tmp_path, gateway=f'url = "https://gw.hall.example"\ntoken = "s"\n'
                                                           f'ca_file = "{ca}"'))
    assert code == 2 and "holds no PEM certificate" in err
    ca.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    code, _out, err = check(capsys, config(tmp_path, gateway=f'url = "https://gw.hall.example"\ntoken = "s"\n'
                                                           f'ca_file = "{ca}"'))
    assert code == 0, err


def test_an_embedded_gateway_cannot_be_https(tmp_path, capsys) -> None:
    code, _out, err = check(capsys, config(tmp_path, gateway='url = "https://127.0.0.1:8765"\nembedded = true'))
    assert code == 2 and "the embedded reference gateway speaks plain HTTP only" in err


def test_a_device_node_that_is_not_there_is_a_warning_naming_the_udev_rule(tmp_path, capsys) -> None:
    devices = ('idcard = "serial:///dev/kiosk-idreader-not-here?baudrate=115200"\n'
               'printer = "file:///tmp/receipts.bin"\nscanner = "keyboard://"')
    code, out, _err = check(capsys, config(tmp_path, devices=devices))
    assert code == 0  # a reader may be plugged in after the check
    line = next(line for line in out.splitlines() if "devices.idcard" in line)
    assert "warning: devices.idcard = 'serial:///dev/kiosk-idreader-not-here?baudrate=115200'" in line
    assert "/dev/kiosk-idreader-not-here does not exist: the idcard is not plugged in" in line
    assert "70-kiosk-devices.rules" in line


def test_a_device_url_without_a_driver_is_an_error(tmp_path, capsys) -> None:
    code, _out, err = check(capsys, config(tmp_path, devices='scanner = "serial:///dev/ttyACM0?speed=9600"'))
    assert code == 2
    assert "error: devices.scanner = 'serial:///dev/ttyACM0?speed=9600': unknown option speed" in err


def test_a_state_directory_under_a_regular_file_is_an_error(tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = config(tmp_path).read_text().replace(str(tmp_path / "state"), str(blocker / "state"))
    (tmp_path / "kiosk.toml").write_text(path)
    code, _out, err = check(capsys, tmp_path / "kiosk.toml")
    assert code == 2
    assert f"state_dir = '{blocker / 'state'}': lies under {blocker}, which is not a directory" in err


def test_the_packaged_example_names_what_is_missing_on_a_fresh_machine(capsys) -> None:
    packaged = Path(__file__).resolve().parents[2] / "packaging" / "config" / "kiosk.toml"
    code, _out, err = check(capsys, packaged)
    if Path("/etc/kiosk/gateway.token").exists():
        pytest.skip("this machine has a kiosk token")
    assert code == 2
    assert "gateway.token_file = '/etc/kiosk/gateway.token': file not found" in err


def test_the_a4_printer_url_is_checked_like_the_other_devices(tmp_path, capsys) -> None:
    code, _out, err = check(capsys, config(tmp_path, devices='a4printer = "ipp://192.0.2.20:631/ipp/print?speed=2"'))
    assert code == 2
    assert "error: devices.a4printer = 'ipp://192.0.2.20:631/ipp/print?speed=2': unknown option speed" in err
    code, out, _err = check(capsys, config(tmp_path, devices='a4printer = "sim://a4printer"'))
    assert code == 0
    assert "warning: devices.a4printer = 'sim://a4printer': a simulated device" in out and "ipp://" in out
    code, _out, err = check(capsys, config(tmp_path, devices='a4printer = "lpt1"'))
    assert code == 2 and "devices.a4printer" in err and "Traceback" not in err
