"""Which spoken prompt belongs to which page and step: what the speaker button (and elderly mode) says.

Keys are a page (a screen name of ``screens/registry.py`` with step ``""``) or a journey and its
state (``kiosk/journeys``; the three lookups share ``lookup``). Values are prompt ids of the
speaker's catalogue (``devices/speaker/prompts.py``); a page only names one, the kiosk's speaker
turns it into sound. A step with no entry has nothing to say (a result to read, a choice to make
with the citizen's own eyes) and the speaker button stays quiet there.
"""

from __future__ import annotations

LOOKUPS = ("social_security", "property", "population")

STEP_PROMPTS: dict[tuple[str, str], str] = {
    # --- pages of the shell
    ("home", ""): "welcome",
    ("departments", ""): "choose_department",
    ("services", ""): "choose_service",
    # --- the lookups (social security, property, population)
    ("lookup", "waiting"): "place_card",
    ("lookup", "reminder"): "card_not_found",
    ("lookup", "reading"): "reading_card",
    ("lookup", "lifted"): "card_lifted_early",
    ("lookup", "read_failed"): "card_replace",
    ("lookup", "querying"): "may_take_card",
    ("lookup", "printing"): "printing",
    ("lookup", "printed"): "take_slip",
    ("lookup", "phone_consent"): "phone_consent",
    ("lookup", "phone_qr"): "scan_result",
    ("lookup", "mail_phone"): "enter_mobile",
    ("lookup", "finished"): "take_card",
    # --- paying a notice
    ("payment", "enter"): "scan_notice",
    ("payment", "awaiting_payment"): "pay_by_phone",
    ("payment", "closing"): "confirming_payment",
    ("payment", "confirming"): "confirming_payment",
    ("payment", "printing"): "printing",
    ("payment", "receipt"): "take_receipt",
    ("payment", "voucher"): "take_voucher",
    ("payment", "reprint_card"): "reprint_place_card",
    ("payment", "reprinting"): "checking_payer",
    ("payment", "reprinted"): "take_reprint",
    # --- taking a number, checking in a booking
    ("queue_ticket", "choose"): "choose_service_tap",
    ("queue_ticket", "departments"): "choose_department",
    ("queue_ticket", "services"): "choose_service",
    ("queue_ticket", "checkin"): "check_in",
    ("queue_ticket", "priority"): "green_channel",
    ("queue_ticket", "no_printer"): "ticket_photo",
    ("queue_ticket", "issuing"): "taking_number",
    ("queue_ticket", "finding"): "finding_booking",
    ("queue_ticket", "code_pad"): "type_booking_code",
    ("queue_ticket", "printing"): "printing",
    ("queue_ticket", "issued"): "take_ticket",
    ("queue_ticket", "issued_qr"): "ticket_photo",
    # --- guides and the end of a visit
    ("guide", "guide"): "guide_take_away",
    ("feedback", "rate"): "rate_service",
    ("feedback", "thanks"): "take_belongings",
    ("feedback", "follow_up"): "follow_up_mobile",
}


def step_prompt(page: str, state: str = "") -> str | None:
    """The prompt id of a page or journey step, or None when the step has nothing to say."""
    key = "lookup" if page in LOOKUPS else page
    return STEP_PROMPTS.get((key, state))
