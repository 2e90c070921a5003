"""The spoken catalogue: complete in both languages, the screens' own words, and nothing else speakable."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from devices.speaker.prompts import PROMPTS, UnknownPrompt, prompt_named, speakable

ROOT = Path(__file__).resolve().parents[2]
# A step instruction: it asks the citizen to do something with the card, paper, phone or screen.
INSTRUCTION = re.compile(r"请(将|把|取|扫|输入|用手机|选择|为本次|留意|带好|稍候)")
# Texts with these words are for the technician's self-test, not for citizens.
TECHNICIAN = ("技术员", "扫码：", "读卡：")


def _po_messages() -> dict[str, str]:
    messages: dict[str, str] = {}
    for po in (ROOT / "kiosk" / "locale" / "en").glob("*.po"):
        for msgid, msgstr in re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', po.read_text(encoding="utf-8"), re.M):
            if msgid:
                messages[msgid.replace('\\"', '"')] = msgstr.replace('\\"', '"')
    return messages


def _instructions_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("screens", "kiosk"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and INSTRUCTION.search(text) and not any(w in text for w in TECHNICIAN):
                    found.add(text)
    return found


def test_every_prompt_has_both_languages() -> None:
    assert len(PROMPTS) >= 40
    for prompt in PROMPTS.values():
        assert re.fullmatch(r"[a-z][a-z_]+", prompt.id)
        assert re.search(r"[\u4e00-\u9fff]", prompt.zh), prompt.id
        assert re.fullmatch(r"[ -~…—①②’]+", prompt.en) and re.search(r"[A-Za-z]{3}", prompt.en), prompt.id
        assert "{" not in prompt.zh + prompt.en, f"{prompt.id}: a prompt has no changing parts"
        assert speakable(prompt.zh) and speakable(prompt.en)


def test_prompts_say_what_the_screen_says_in_its_translation() -> None:
    messages = _po_messages()
    on_screen = 0
    for prompt in PROMPTS.values():
        if prompt.zh in messages:
            on_screen += 1
            assert prompt.en == messages[prompt.zh], f"{prompt.id}: English differs from the screen's"
    assert on_screen >= 30


def test_every_step_instruction_on_the_screens_can_be_spoken() -> None:
    spoken = {p.zh for p in PROMPTS.values()} | {text for p in PROMPTS.values() for text in p.shown}
    missing = sorted(_instructions_in_code() - spoken)
    assert not missing, f"instructions with no spoken prompt: {missing}"


def test_the_instructions_the_task_names_are_there() -> None:
    for prompt_id in ("place_card", "take_receipt", "take_card", "scan_notice", "take_ticket", "take_slip",
                      "keep_card_still", "pay_by_phone", "welcome"):
        assert prompt_named(prompt_id).id == prompt_id


@pytest.mark.parametrize("text", ["张三", "350203199001011234", "请将身份证平放在下方读卡器的感应区上", "", None, 42,
                                  "place_card; rm -rf /", "PLACE_CARD"])
def test_free_text_is_never_a_prompt_and_is_not_repeated(text: object) -> None:
    with pytest.raises(UnknownPrompt) as caught:
        prompt_named(text)
    if isinstance(text, str) and text:
        assert text not in str(caught.value)


def test_step_numbers_are_not_spoken() -> None:
    assert speakable(prompt_named("scan_booking").zh).startswith("把预约短信")
