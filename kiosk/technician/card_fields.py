"""A card's fields as a technician may see them: personal ones masked unless asked otherwise, never the photo."""

from __future__ import annotations

from typing import Any

from kiosk.system.clock import SystemClock
from kiosk.system.privacy import mask_address, mask_id_number, mask_name


def card_fields(card: Any, *, unmasked: bool) -> dict[str, Any]:
    """A card's fields for output; personal ones masked unless ``unmasked``. Never the photo itself."""
    def keep(value: str) -> str:
        return value

    name = keep if unmasked else mask_name
    number = keep if unmasked else mask_id_number
    address = keep if unmasked else mask_address
    birth = card.birth_date.isoformat() if unmasked else f"{card.birth_date:%Y}-**-**"
    fields: dict[str, Any] = {
        "card_type": str(card.card_type),
        "name": name(card.name),
        "gender": card.gender,
        "birth_date": birth,
        "id_number": number(card.id_number),
        "check_digit_ok": card.check_digit_ok,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": card.valid_to.isoformat() if card.valid_to else "长期",
        "expired": card.expired(SystemClock().now().date()),
        "photo": f"{len(card.photo)} bytes (opaque WLT, not shown)",
    }
    extra = {
        "name_en": name(card.name_en),
        "nation": f"{card.nation_code} {card.nation}".strip(),
        "address": address(card.address),
        "authority": card.authority,
        "pass_number": number(card.pass_number),
        "issue_count": card.issue_count,
        "nationality": card.nationality,
        "card_version": card.card_version,
        "authority_code": card.authority_code,
        "renewal_count": card.renewal_count,
        "old_card_link": card.old_card_link,  # Y: links to the holder's previous card
        "fingerprint": f"{len(card.fingerprint)} bytes" if card.fingerprint else "",
    }
    fields.update({k: v for k, v in extra.items() if v})
    return fields
