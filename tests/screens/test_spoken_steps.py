"""Every page step that names a spoken prompt names one the speaker has, and a step that exists."""

from __future__ import annotations

import re
from pathlib import Path

from devices.speaker.prompts import PROMPTS
from screens.registry import SCREENS
from screens.spoken_steps import STEP_PROMPTS, step_prompt

ROOT = Path(__file__).resolve().parents[2]
JOURNEY_FILES = {
    "lookup": ["lookup.py", "lookup_mailing.py", "lookup_phone.py"],
    "payment": ["payment.py", "payment_paper.py", "payment_reprint.py"],
    "queue_ticket": ["queue_ticket.py", "ticket_paper.py", "booking_checkin.py"],
    "guide": ["guide.py"],
    "feedback": ["feedback.py"],
}


def _states(journey: str) -> set[str]:
    text = "".join((ROOT / "kiosk" / "journeys" / name).read_text(encoding="utf-8") for name in JOURNEY_FILES[journey])
    return set(re.findall(r'self\.go\("([a-z_]+)"', text)) | set(re.findall(r'self\.fail\(.*?"([a-z_]+)"\)', text, re.S))


def test_every_step_names_a_catalogue_prompt() -> None:
    unknown = {key: prompt for key, prompt in STEP_PROMPTS.items() if prompt not in PROMPTS}
    assert not unknown


def test_every_step_exists_in_its_journey_or_is_a_page() -> None:
    for page, state in STEP_PROMPTS:
        if state == "":
            assert page in SCREENS, page
        else:
            assert state in _states(page), f"{page} has no state {state!r}"


def test_the_card_page_asks_for_the_card_and_the_lookups_share_their_steps() -> None:
    assert step_prompt("social_security", "waiting") == "place_card"
    assert step_prompt("population", "printed") == "take_slip"
    assert step_prompt("payment", "receipt") == "take_receipt"
    assert step_prompt("lookup", "results") is None  # a result is read with the eyes, never aloud
    assert step_prompt("home") == "welcome"
