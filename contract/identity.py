"""Citizen ID numbers: what a well-formed one is (GB 11643-1999), and how one is brought to that form.

One rule for the kiosk, its card reader and the gateway:

- An 18-character number (resident ID card, Hong Kong/Macao/Taiwan residence permit, 2023
  foreigner permanent residence card) is 17 ASCII digits and a check character, ``0``–``9`` or a
  capital ``X``. Characters 7 to 14 are the holder's birth date (``YYYYMMDD``, a real day), and
  the check character is the one GB 11643 computes from the first 17 digits.
- A 15-character 2017 foreigner permanent residence permit number is three capital letters and
  twelve digits; it carries no check character this rule verifies.

A card reader or a keyboard may deliver the same number in another form: a lowercase ``x``,
full-width digits from a Chinese input method, spaces around it. :func:`normalise_id_number` turns
such input into the one form at the edge where it comes in; :func:`is_valid_id_number` then
accepts only that form, so a number that is valid anywhere is valid everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

_EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_PERMIT_2017 = re.compile(r"[A-Z]{3}[0-9]{12}", re.ASCII)
_SEVENTEEN_DIGITS = re.compile(r"[0-9]{17}", re.ASCII)
_LONGEST_INPUT = 64  # anything longer is not an ID number in any form; never normalise megabytes


class IdNumberError(ValueError):
    """Input that cannot be an ID number at all (not text, far too long); the message says why."""


def check_character(first17: str) -> str:
    """The GB 11643 check character (``0``–``9`` or ``X``) for the first 17 digits of a number.

    Raises :class:`IdNumberError` unless ``first17`` is exactly 17 ASCII digits.
    """
    if not isinstance(first17, str) or not _SEVENTEEN_DIGITS.fullmatch(first17):
        raise IdNumberError(f"expected 17 digits 0-9, got {_describe(first17)}")
    return CHECK_CHARACTERS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id_number(raw: object) -> str:
    """``raw`` as the one form an ID number is checked and sent in.

    Full-width and other compatibility forms become plain ASCII (NFKC), surrounding white space
    goes and letters become capitals (a lowercase check ``x``). Whether the result is a valid
    number is :func:`is_valid_id_number`'s question; this only refuses what is not text or is
    far too long to be a number, with :class:`IdNumberError`.
    """
    if not isinstance(raw, str):
        raise IdNumberError(f"an ID number is text, got {_describe(raw)}")
    if len(raw) > _LONGEST_INPUT:
        raise IdNumberError(f"an ID number is 15 or 18 characters, got {len(raw)}")
    return unicodedata.normalize("NFKC", raw).strip().upper()


def is_valid_id_number(number: object) -> bool:
    """Whether ``number`` is, exactly as given, a well-formed ID number (see the module's rule).

    Never raises: anything that is not such a number (other types included) is simply not valid.
    """
    if not isinstance(number, str):
        return False
    if _PERMIT_2017.fullmatch(number):
        return True
    if not _EIGHTEEN.fullmatch(number):
        return False
    return birth_date_of(number) is not None and number[17] == check_character(number[:17])


def is_permit_2017(number: str) -> bool:
    """Whether ``number`` has the form of a 2017 foreigner permanent residence permit number."""
    return isinstance(number, str) and _PERMIT_2017.fullmatch(number) is not None


def birth_date_of(number: str) -> dt.date | None:
    """The birth date written in an 18-character number, or None when it holds no real date."""
    if not isinstance(number, str) or not _EIGHTEEN.fullmatch(number):
        return None
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def card_type_of_number(number: str) -> str:
    """The card family a number belongs to: ``I`` (2017 permit), ``J``, ``Y`` or ``resident``."""
    if number[:3].isascii() and number[:3].isalpha():
        return "I"
    if number[:2] in {"81", "82", "83"}:
        return "J"
    if number[:1] == "9":
        return "Y"
    return "resident"


def _describe(value: object) -> str:
    """What was given, without repeating it (it may be someone's number)."""
    if isinstance(value, str):
        return f"{len(value)} characters"
    return type(value).__name__
