"""Logs never carry personal data; every visible string has its English translation."""

from __future__ import annotations

import gettext
import json
import logging
import sys
from pathlib import Path

import pytest

from kiosk.shell import i18n
from kiosk.system import logs
from kiosk.system.privacy import mask_id_number, mask_name, mask_phone, redact

ROOT = Path(__file__).resolve().parents[2]


def test_masking_rules():
    assert mask_id_number("350203194803120021") == "3502**********0021"
    assert mask_name("林秀英") == "林**"
    assert mask_name("SMITH, JOHN") == "S****, J***"
    assert mask_phone("13812345678") == "138****5678"


def test_redaction_filter_removes_id_phone_and_citizen_name(tmp_path):
    log_file = logs.setup_logging(tmp_path, console=False)
    try:
        logs.set_citizen_names("林秀英")
        logging.getLogger("devices.idcard").info(
            "read card of %s id %s phone %s", "林秀英", "350203194803120021", "138 1234 5678")
        try:
            raise ValueError("bad id 35020319480312002X")
        except ValueError:
            logging.getLogger("kiosk").exception("failed for 林秀英")
        logs.clear_citizen_names()
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "林秀英" not in text and "350203194803120021" not in text and "13812345678" not in text
    assert "35020319480312002X" not in text
    first = json.loads(text.splitlines()[0])
    assert first["area"] == "devices.idcard"
    assert "3502**********0021" in first["msg"] and "林**" in first["msg"]
    assert logs.recent_lines(log_file, 1)[0].startswith("{")
    logs.setup_logging(None, console=False)


def test_redact_leaves_ordinary_numbers_alone():
    assert redact("ticket A012, 3 people ahead, notice 3502002611000001") == \
        "ticket A012, 3 people ahead, notice 3502002611000001"


def test_every_message_has_an_english_translation():
    sys.path.insert(0, str(ROOT / "scripts"))
    from update_translations import extract

    english = i18n.catalogue("en")
    found = extract(ROOT)
    missing = sorted(m for m in found if m not in english)
    assert not missing, f"untranslated: {missing[:10]}"
    for message in found:
        assert i18n.placeholders(message) == i18n.placeholders(english[message]), message


def _compiler():
    sys.path.insert(0, str(ROOT / "scripts"))
    import compile_translations

    return compile_translations


def test_compiled_catalogue_joins_continuation_lines_and_leaves_out_fuzzy_entries(tmp_path):
    compiler = _compiler()
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "shell.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "取"\n"号"\nmsgstr "Take "\n"a number"\n\n#, fuzzy\nmsgid "旧"\nmsgstr "Old"\n\n'
        'msgid "空"\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "en" / "queue.po").write_text('msgid "叫号"\nmsgstr "Now calling"\n', encoding="utf-8")
    assert compiler.compile_catalogues(tmp_path) == [tmp_path / "en/LC_MESSAGES/kiosk.mo"]
    assert compiler.compile_catalogues(tmp_path) == []  # current: left alone
    english = gettext.translation("kiosk", tmp_path, languages=["en"])
    assert english.gettext("取号") == "Take a number"
    assert english.gettext("叫号") == "Now calling"  # every .po of the language in one catalogue
    assert english.gettext("旧") == "旧" and english.gettext("空") == "空"


def test_a_message_translated_two_ways_is_refused_with_both_files(tmp_path):
    compiler = _compiler()
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.po").write_text('msgid "取号"\nmsgstr "Take a number"\n', encoding="utf-8")
    (tmp_path / "en" / "b.po").write_text('msgid "取号"\nmsgstr "Get a ticket"\n', encoding="utf-8")
    assert compiler.main(["--locale-dir", str(tmp_path)]) == 1
    with pytest.raises(compiler.TranslationError, match="a.po and b.po"):
        compiler.compile_catalogues(tmp_path)


def test_english_comes_from_the_compiled_catalogue():
    assert isinstance(i18n.translations("en"), i18n.KioskTranslations)
    i18n.set_language("en")
    try:
        assert i18n._("取号") == "Take a number"
        assert i18n._("没有翻译的句子") == "没有翻译的句子"  # untranslated: the Chinese source text
    finally:
        i18n.set_language("zh")
