"""Masking of a citizen's personal data in the kiosk: the field rules of :mod:`contract.masking`, and free text.

Screens, printed paper and logs all mask through this module; the field rules (ID number, name,
phone, address, pass number) live once in :mod:`contract.masking`, shared with the gateway.

:func:`redact` applies one rule set to free text (logs, telemetry, error messages), in this order:

1. ID numbers: any run of 15 or more digits, written together or with single spaces or dashes
   between them (``350203 19480312 0021``, ``3502-0319-4803-1200-21``), the last one possibly
   ``X``: 18-digit resident and Y-card numbers, 15-digit old numbers, and longer runs that could
   hide one. A run of exactly 16 digits written together is a payment notice number and stays.
2. Foreigner permanent residence permit numbers (2017): three capital letters and 12 digits.
3. Hong Kong / Macau pass numbers (港澳居民来往内地通行证): ``H`` or ``M`` and 8 or 10 digits.
4. Mainland mobile phone numbers.
5. Street addresses: Latin (``12 Harbour Road``, ``Flat 3, 45 Nathan Rd``) and Chinese (``鹭江道100号``).
6. The current citizen's names (Chinese, and Latin ones word by word in any letter case) and
   addresses, as registered by :mod:`kiosk.system.logs`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from contract.masking import MASK as _MASK
from contract.masking import mask_address, mask_id_number, mask_name, mask_pass_number, mask_phone

__all__ = ["mask_address", "mask_id_number", "mask_name", "mask_pass_number", "mask_phone", "redact"]

# Mainland mobile numbers, optionally with +86 / 86 prefix and separators.
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# A run of digits with at most one space or dash between two of them, perhaps ending in X.
DIGIT_RUN_PATTERN = re.compile(r"\d(?:[ -]?\d)*(?:[ -]?[Xx](?![A-Za-z]))?")
FOREIGNER_2017_PATTERN = re.compile(r"[A-Z]{3}[ -]?\d(?:[ -]?\d){11}")
HK_MACAU_PASS_PATTERN = re.compile(r"[HMhm][ -]?\d(?:[ -]?\d){7}(?:(?:[ -]?\d){2})?")
_STREET_WORDS = (r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|"
                 r"Square|Sq|Terrace|Highway|Hwy|Crescent|Path|Rua|Estrada|Avenida|Travessa|Calle|Strasse|Straße")
LATIN_ADDRESS_PATTERN = re.compile(
    rf"\b(?:(?:Flat|Room|Unit|Apt)\.?\s*\w+,?\s*)?\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){{0,5}}"
    rf"(?:{_STREET_WORDS})\b\.?", re.IGNORECASE)
CHINESE_ADDRESS_PATTERN = re.compile(
    r"[\u4e00-\u9fff]{1,12}(?:路|道|街|巷|弄|里|村|大道)\s*\d{1,5}\s*(?:号|號|弄)"
    r"(?:\s*[\d一二三四五六七八九十A-Za-z-]+\s*(?:栋|幢|座|楼|单元|层|室|號|号))*")
NOTICE_DIGITS = 16
_LATIN = r"[A-Za-z\u00c0-\u024f]"


def _mask_digit_run(match: re.Match[str]) -> str:
    """A run holding an ID number: every digit but the first four and the last four masked (separators kept)."""
    run = match.group(0)
    digits = sum(c.isdigit() or c in "Xx" for c in run)
    if digits < 15 or (digits == NOTICE_DIGITS and run.isdigit()):
        return run
    seen, out = 0, []
    for char in run:
        if char.isdigit() or char in "Xx":
            seen += 1
            out.append(char if seen <= 4 or seen > digits - 4 else _MASK)
        else:
            out.append(char)
    return "".join(out)


def _mask_permit(match: re.Match[str]) -> str:
    text = match.group(0)
    return text[:3] + "".join(_MASK if c.isdigit() else c for c in text[3:-4]) + text[-4:]


def _mask_all(match: re.Match[str]) -> str:
    return "".join(c if c in " ,." else _MASK for c in match.group(0))


def _mask_street(match: re.Match[str]) -> str:
    text = match.group(0)
    return text[:2] + _MASK * (len(text) - 2)


REDACTION_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    ("id_number", DIGIT_RUN_PATTERN, _mask_digit_run),
    ("foreigner_permit", FOREIGNER_2017_PATTERN, _mask_permit),
    ("hk_macau_pass", HK_MACAU_PASS_PATTERN, lambda m: mask_pass_number(m.group(0))),
    ("phone", PHONE_PATTERN, lambda m: mask_phone(m.group(0))),
    ("latin_address", LATIN_ADDRESS_PATTERN, _mask_all),
    ("chinese_address", CHINESE_ADDRESS_PATTERN, _mask_street),
)
"""The rule set :func:`redact` applies, in order: (name, pattern, how a match is masked)."""


def _mask_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word[0] + _MASK * (len(word) - 1)


def _redact_name(text: str, name: str) -> str:
    name = name.strip()
    if len(name) < 2:
        return text
    if re.search(_LATIN, name):
        # Latin names: each word on its own, in any case and order ("GARCIA LOPEZ, MARIA" → "Maria Garcia")
        for word in re.findall(rf"{_LATIN}{{2,}}", name):
            text = re.sub(rf"(?<!{_LATIN}){re.escape(word)}(?!{_LATIN})", _mask_word, text, flags=re.IGNORECASE)
        return text
    return text.replace(name, mask_name(name))


def redact(text: str, names: tuple[str, ...] = (), addresses: tuple[str, ...] = ()) -> str:
    """Remove ID, permit, pass and phone numbers, addresses and the given names from free text."""
    for address in addresses:
        address = address.strip()
        if len(address) >= 4:
            text = re.sub(re.escape(address), lambda m: mask_address(m.group(0)), text, flags=re.IGNORECASE)
    for _name, pattern, mask in REDACTION_RULES:
        text = pattern.sub(mask, text)
    for name in names:
        if name:
            text = _redact_name(text, name)
    return text
