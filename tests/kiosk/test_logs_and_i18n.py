"""Logs never carry personal data; every visible string has its English translation."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from kiosk import i18n, logs
from kiosk.privacy import mask_id_number, mask_name, mask_phone, redact

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


def test_po_parser_handles_continuation_lines_and_fuzzy_entries():
    text = 'msgid ""\nmsgstr ""\n\nmsgid "取"\n"号"\nmsgstr "Take "\n"a number"\n\n#, fuzzy\nmsgid "旧"\nmsgstr "Old"\n'
    assert i18n.parse_po(text) == {"取号": "Take a number"}
