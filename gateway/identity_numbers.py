"""Checks on citizen ID numbers the gateway can make without asking anyone (GB 11643-1999)."""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_valid(number: str) -> bool:
    """18-character numbers must carry a correct check digit; 15-character foreigner numbers have none."""
    if len(number) == 18 and number[:17].isdigit():
        return number[17] == check_digit(number[:17])
    return len(number) == 15 and number[:3].isalpha() and number[3:].isdigit()


def card_type_of(number: str) -> str:
    """The card family a number belongs to, whatever the kiosk said: J, I, Y or resident."""
    if number[:3].isalpha():
        return "I"
    if number[:2] in {"81", "82", "83"}:
        return "J"
    if number[0] == "9":
        return "Y"
    return "resident"


def mask_name(name: str) -> str:
    """Family name kept, the rest starred; Latin names keep the first letter of each word.

    The gateway's own tiny rule for the payer and holder fields the contract says are masked
    (the kiosk's masking lives in kiosk.privacy, which the gateway must not import).
    """
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(w[0] + "*" * (len(w) - 1) for w in name.replace(",", " ").split())
    return name[0] + "*" * (len(name) - 1)
