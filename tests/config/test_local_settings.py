"""The local configuration file: validation names the file, the key, the value and what was expected."""

from dataclasses import asdict
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.local import DEMO_CONFIG, KioskSettings, load_settings, parse_settings

MINIMAL = '[kiosk]\nid = "XM-HALL-007"\n'


def test_demo_configuration_is_valid():
    settings = load_settings(DEMO_CONFIG)
    assert settings.kiosk.id == "XM-HALL-001"
    assert settings.gateway.embedded is True
    assert settings.devices.printer.startswith("sim://")


def test_minimal_file_takes_documented_defaults():
    settings = parse_settings(MINIMAL)
    assert settings.session.idle_timeout_s == 60
    assert settings.kiosk.zone == "hall"
    assert settings.devices.printer_profile == "80mm"


def test_every_default_matches_its_declared_type():
    settings = parse_settings(MINIMAL)
    # Round-tripping the defaults through validation proves each default fits its own type.
    assert KioskSettings.from_table(asdict(settings)) == settings


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, source="kiosk.toml")
    assert info.value.source == "kiosk.toml"
    return info.value.problems


def test_missing_key_is_named():
    problems = _problems("[kiosk]\nzone = 'hall'\n")
    assert problems == ["kiosk.id: missing (this setting is required)"]


def test_wrong_type_names_key_value_and_expectation():
    (problem,) = _problems(MINIMAL + "[session]\nidle_timeout_s = 'sixty'\n")
    assert problem.startswith("session.idle_timeout_s = 'sixty':")
    assert "integer" in problem


def test_out_of_range_value_says_the_bound():
    (problem,) = _problems(MINIMAL + "[session]\nidle_timeout_s = 2\n")
    assert "idle_timeout_s = 2" in problem and "10" in problem


def test_unknown_key_is_an_error_not_a_silent_default():
    (problem,) = _problems(MINIMAL + "[session]\nidle_timout_s = 30\n")
    assert problem == "session.idle_timout_s: unknown key (check its spelling; it is not a setting)"


def test_device_url_with_unknown_scheme_shows_expected_form():
    (problem,) = _problems(MINIMAL + "[devices]\nprinter = 'lpt1'\n")
    assert "devices.printer" in problem and "serial://" in problem


def test_broken_toml_is_reported_with_position():
    problems = _problems("[kiosk\nid = 1")
    assert problems[0].startswith("not valid TOML")


def test_missing_file(tmp_path: Path):
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "nope.toml")
    assert "file not found" in info.value.describe()


def test_relative_paths_are_relative_to_the_file(tmp_path: Path):
    (tmp_path / "token").write_text("s3cret\n")
    path = tmp_path / "kiosk.toml"
    path.write_text('state_dir = "state"\n' + MINIMAL + '[gateway]\ntoken_file = "token"\n')
    settings = load_settings(path)
    assert settings.state_dir == tmp_path / "state"
    assert settings.gateway.secret() == "s3cret"


def test_a4_printer_is_optional_and_takes_ipp_cups_or_the_simulator():
    assert parse_settings(MINIMAL).devices.a4printer == ""  # a kiosk without one offers no certificates
    for url in ("ipp://192.0.2.20:631/ipp/print", "cups://A4", "sim://a4printer"):
        assert parse_settings(MINIMAL + f"[devices]\na4printer = '{url}'\n").devices.a4printer == url
    (problem,) = _problems(MINIMAL + "[devices]\na4printer = 'serial:///dev/lp0'\n")
    assert "devices.a4printer" in problem and "ipp://" in problem and "cups://" in problem
