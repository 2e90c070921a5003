"""The technician's findings in the kiosk's language, and log times on the hall's clock (not UTC)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from kiosk.app.tour_technician import sample_findings
from kiosk.shell import i18n
from kiosk.technician import diagnostics
from kiosk.technician.checks import Finding
from kiosk.technician.finding_words import finding_words, hall_time, log_lines

CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh")


def test_every_sample_finding_is_worded_in_chinese():
    i18n.set_language("zh")
    words = {f.name: finding_words(f) for f in sample_findings()}
    assert words["paper"].startswith("换纸卷后已用 5329 / 8000 厘米；约可再打 296 张") and "纸将用完" in words["paper"]
    assert words["idcard"].startswith("状态：空闲") and words["scanner"].startswith("状态：离线")
    assert words["outbox"] == "等待发送 2 条，搁置 1 条，已送达 418 条；搁置：mailing（已试 12 次）"
    assert words["cpu"] == "当前 7%，负载 0.31 0.28 0.25；已运行 3 小时"
    assert "审计日志 212 条，链完整" in words["configuration"]


def test_in_english_no_chinese_is_left_in_the_findings(english):
    for finding in sample_findings():
        words = finding_words(finding)
        assert not CJK.search(words), (finding.name, words)
    words = {f.name: finding_words(f) for f in sample_findings()}
    assert words["memory"] == "2710 MiB available of 3800 MiB; this process 182 MiB"
    assert words["cache"] == "Content age: catalogue 12 min, Service guide 12 min, announcements 3 h, opening hours 12 min"


@pytest.mark.parametrize("text", ["device layer not started", "no log file",
                                  "no gateway client (not started yet, or the kiosk runs offline)"])
def test_fixed_findings_are_translated(text):
    i18n.set_language("zh")
    assert CJK.search(finding_words(Finding("devices", False, text, "internal", "devices")))


def test_a_broken_check_is_said_in_the_language():
    i18n.set_language("zh")
    assert finding_words(Finding("disk", False, "check failed: OSError(5)", "internal", "system")) == \
        "检查失败：OSError(5)"


@pytest.mark.parametrize("data", [{}, {"state": None}, {"counts": "junk"}, {"ages_s": 7}, {"load": "x"},
                                  {"reachable": True}, {"audit": None, "kiosk_id": 1}, {"entries": "no"}])
def test_damaged_data_falls_back_to_the_text_and_never_raises(data):
    for name, section in (("printer", "devices"), ("outbox", "outbox"), ("cache", "cache"), ("cpu", "system"),
                          ("gateway", "gateway"), ("configuration", "configuration"), ("log", "log"),
                          ("paper", "paper"), ("disk", "system"), ("memory", "system"), ("database", "cache")):
        finding = Finding(name, True, "the English text", "internal", section, data)
        words = finding_words(finding)
        assert isinstance(words, str) and words
        if not data:
            assert words == "the English text"
        assert all(isinstance(line, str) for line in log_lines(finding))


@pytest.mark.parametrize("stamp, shown", [
    ("2026-12-06T01:12:03.120+00:00", "09:12:03"),  # a machine on UTC: 01:12 UTC is 09:12 in the hall
    ("2026-12-06T09:12:03.120+08:00", "09:12:03"),
    ("2026-12-05T20:12:03-05:00", "09:12:03"),
    ("not a time", "not a time"[11:19]),
    ("", ""),
])
def test_log_times_are_hall_time(stamp, shown):
    assert hall_time(stamp) == shown


def test_the_kiosk_log_carries_its_offset_and_the_finding_shows_hall_time(tmp_path, monkeypatch):
    import logging

    from kiosk.system.logs import JsonLineFormatter

    record = logging.LogRecord("session", logging.INFO, __file__, 1, "visit ended", None, None)
    record.created = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC).timestamp()
    entry = json.loads(JsonLineFormatter().format(record))
    stamp = dt.datetime.fromisoformat(entry["ts"])
    assert stamp.tzinfo is not None and stamp.astimezone(dt.UTC).hour == 2
    log_file = tmp_path / "kiosk.jsonl"
    log_file.write_text(json.dumps(entry) + "\n" + "{ not json\n", encoding="utf-8")
    [finding] = diagnostics.log_finding(log_file)
    lines = log_lines(finding)
    assert lines[0].startswith("10:00:00 INFO session: visit ended")  # 02:00 UTC is 10:00 in Xiamen
    assert finding.data["lines"][0].startswith("10:00:00")  # and `kiosk diag --json` says the same
    assert lines[1].endswith("{ not json")


def test_the_technician_screen_words_findings_in_each_language(kiosk):
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QLabel

    mode = kiosk.context.services.technician
    mode.findings = sample_findings()
    kiosk.window.go("technician")
    screen = kiosk.window.screen_named("technician")
    screen.refresh()
    texts = "\n".join(w.text() for w in screen.findChildren(QLabel))
    assert "打印机：状态：空闲" in texts and "09:12:03 INFO screens: screen home" in texts
    i18n.set_language("en")
    try:
        screen.refresh()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the Chinese rows are gone
        texts = "\n".join(w.text() for w in screen.findChildren(QLabel))
        assert "Printer: state: idle" in texts and "空闲" not in texts
    finally:
        i18n.set_language("zh")
