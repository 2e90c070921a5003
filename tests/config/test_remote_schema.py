"""What a bundle can carry: each part validated, errors naming the file and key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.bundle import read_folder
from config.catalogue import DEFAULT_CATALOGUE
from config.errors import ConfigError
from config.local import SessionSettings
from config.remote import NO_REMOTE_CONFIG, RemoteConfig, parse_bundle_files, print_width

EXAMPLE = Path(__file__).parents[2] / "config" / "defaults" / "bundle-example"
DEFAULTS = DEFAULT_CATALOGUE.parent
CST = ZoneInfo("Asia/Shanghai")


def problems(files: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_bundle_files(files)
    return caught.value.describe()


def test_the_shipped_catalogue_and_calendar_are_valid_bundle_files():
    files = {name: (DEFAULTS / name).read_text(encoding="utf-8") for name in ("catalogue.toml", "calendar.toml")}
    config = parse_bundle_files(files)
    assert config.parts() == ["catalogue", "calendar"]
    assert config.effective_catalogue().service("ss-card-apply").queue_prefix == "A"


def test_the_example_folder_is_valid_and_carries_settings_and_announcements():
    config = parse_bundle_files(read_folder(EXAMPLE))
    assert set(config.parts()) == {"announcements", "theme", "timeouts", "receipts", "features"}
    shown = config.announcements_at(datetime(2026, 12, 19, 9, 0, tzinfo=CST))
    assert [a.id for a in shown] == ["printer-maintenance"]
    assert config.announcements_at(datetime(2027, 1, 4, 0, 0, tzinfo=CST)) == []


def test_no_bundle_means_every_default():
    assert NO_REMOTE_CONFIG.parts() == []
    assert NO_REMOTE_CONFIG.effective_theme() == "standard"
    assert NO_REMOTE_CONFIG.effective_features().payment is True
    assert NO_REMOTE_CONFIG.effective_calendar().timezone == "Asia/Shanghai"
    local = SessionSettings(idle_timeout_s=45)
    assert NO_REMOTE_CONFIG.session_settings(local) == local


def test_timeouts_lay_over_the_local_file_and_keep_what_they_do_not_set():
    config = parse_bundle_files({"settings.toml": "[timeouts]\ncountdown_s = 30\n"})
    merged = config.session_settings(SessionSettings(idle_timeout_s=45))
    assert (merged.idle_timeout_s, merged.countdown_s, merged.payment_timeout_s) == (45, 30, 300)


def test_timeouts_obey_the_same_bounds_as_the_local_file():
    text = problems({"settings.toml": "[timeouts]\nidle_timeout_s = 5\npayment_timeout_s = 99999\n"})
    assert "settings.toml: timeouts.idle_timeout_s = 5" in text
    assert "settings.toml: timeouts.payment_timeout_s = 99999" in text


def test_features_only_change_what_they_name():
    config = parse_bundle_files({"settings.toml": "[features]\npayment = false\n"})
    assert config.effective_features().payment is False and config.effective_features().ems_mailing is True


def test_unknown_settings_keys_and_files_are_named():
    text = problems({"settings.toml": "them = 'standard'\n", "colours.toml": "x = 1\n"})
    assert "settings.toml: them: unknown key" in text
    assert "colours.toml: not a bundle file" in text


def test_receipt_lines_must_fit_the_paper_counting_chinese_twice():
    assert print_width("厦门ab") == 6
    wide = "厦" * 25
    text = problems({"settings.toml": f'[receipts]\nheader_zh = ["{wide}"]\n'})
    assert "receipts.header_zh" in text and "50" in text
    assert "control" in problems({"settings.toml": '[receipts]\nfooter_en = ["bell\\u0007"]\n'})


def test_announcement_window_and_offsets_are_checked():
    base = 'id = "a"\ntext_zh = "通知"\ntext_en = "Notice"\n'
    backwards = f"[[announcements]]\n{base}from = 2026-12-02T00:00:00+08:00\nuntil = 2026-12-01T00:00:00+08:00\n"
    assert "until" in problems({"announcements.toml": backwards})
    naive = f"[[announcements]]\n{base}from = 2026-12-01T00:00:00\nuntil = 2026-12-02T00:00:00+08:00\n"
    assert "announcements[0].from" in problems({"announcements.toml": naive})
    twice = f"[[announcements]]\n{base}from = 2026-12-01T00:00:00+08:00\nuntil = 2026-12-02T00:00:00+08:00\n" * 2
    assert "twice" in problems({"announcements.toml": twice})


def test_bad_catalogue_and_calendar_name_file_and_key():
    catalogue = (DEFAULTS / "catalogue.toml").read_text(encoding="utf-8").replace('journey = "guide"', 'journey = "x"', 1)
    calendar = (DEFAULTS / "calendar.toml").read_text(encoding="utf-8").replace('"08:30-12:00"', '"8:30 to 12"', 1)
    text = problems({"catalogue.toml": catalogue, "calendar.toml": calendar, "settings.toml": "theme = ["})
    assert "catalogue.toml: departments[" in text and ".journey" in text
    assert "calendar.toml: " in text and "HH:MM" in text
    assert "settings.toml: not valid TOML" in text


def test_remote_config_is_immutable():
    config = RemoteConfig(theme="standard")
    with pytest.raises(ValueError):
        config.theme = "high-contrast"  # type: ignore[misc]
