"""Masking of a citizen's personal data: the one place that decides what is shown.

Screens, printed paper and logs all mask through these functions, so a rule changes in one place.
The rules follow common practice for Chinese government self-service terminals (de-identified
display, 二(五)2 of the center's report): keep just enough for the citizen to recognise their own data.
"""

from __future__ import annotations

import re

_MASK = "*"

# 18-character resident / permit ID numbers (last character may be X), 15-character old numbers,
# and 15-character foreigner permanent residence permit numbers (three letters then digits).
ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|[A-Z]{3}\d{12})(?![0-9A-Za-z])")
# Mainland mobile numbers, optionally with +86 / 86 prefix and separators.
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")


def mask_id_number(number: str) -> str:
    """``350203194803120021`` → ``3502**********0021``: region prefix and last four kept."""
    number = number.strip()
    if len(number) <= 8:
        return _MASK * len(number)
    return number[:4] + _MASK * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """Chinese names keep the family name (``林秀英`` → ``林**``); Latin names keep initials."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        words = re.split(r"([ ,]+)", name)
        return "".join(w if not w.strip(" ,") else w[0] + _MASK * (len(w) - 1) for w in words)
    if len(name) == 1:
        return name
    return name[0] + _MASK * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return _MASK * len(digits)
    return digits[:3] + _MASK * (len(digits) - 7) + digits[-4:]


def mask_address(address: str, keep: int = 6) -> str:
    """Keep the province/city/district part, hide the street and number."""
    address = address.strip()
    if len(address) <= keep:
        return address
    return address[:keep] + _MASK * min(len(address) - keep, 8)


def redact(text: str, names: tuple[str, ...] = ()) -> str:
    """Remove ID numbers, phone numbers and the given names from free text (logs, telemetry)."""
    text = ID_NUMBER_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    text = PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)
    for name in names:
        if name and len(name.strip()) >= 2:
            text = text.replace(name, mask_name(name))
    return text
