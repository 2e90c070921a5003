"""How a citizen's personal data is shown de-identified: one rule for the kiosk and the gateway.

Screens, printed paper, logs and the gateway's masked answer fields all mask through these
functions. The rules follow common practice for Chinese government self-service terminals
(de-identified display, 二(五)2 of the center's report): keep just enough for the citizen to
recognise their own data. Free-text redaction (logs, telemetry) builds on them in
:mod:`kiosk.system.privacy`.
"""

from __future__ import annotations

import re

MASK = "*"


def mask_id_number(number: str) -> str:
    """``350203194803120021`` → ``3502**********0021``: region prefix and last four kept."""
    number = number.strip()
    if len(number) <= 8:
        return MASK * len(number)
    return number[:4] + MASK * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """Chinese names keep the family name (``林秀英`` → ``林**``); Latin names keep initials.

    A Latin name keeps its spaces and commas (``GARCIA LOPEZ, MARIA`` → ``G***** L****, M****``).
    Masking a masked name changes nothing.
    """
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        words = re.split(r"([ ,]+)", name)
        return "".join(w if not w.strip(" ,") else w[0] + MASK * (len(w) - 1) for w in words)
    if len(name) == 1:
        return name
    return name[0] + MASK * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return MASK * len(digits)
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_address(address: str, keep: int = 6) -> str:
    """Keep the province/city/district part, hide the street and number."""
    address = address.strip()
    if len(address) <= keep:
        return address
    return address[:keep] + MASK * min(len(address) - keep, 8)


def mask_pass_number(number: str) -> str:
    """``H12345678`` → ``H******78``: the letter and the last two digits kept."""
    if len(number) <= 3:
        return MASK * len(number)
    return number[0] + "".join(MASK if c.isdigit() else c for c in number[1:-2]) + number[-2:]
