"""What a scanned code may be, and nothing else: scanned text is untrusted input.

Accepted forms (docs/demo-data.md):

- appointment code ``YY`` + date ``YYYYMMDD`` + 4 digits, bare or as ``https://<center domain>/appt/CODE``
- payment notice number, 16 digits, bare or as ``https://<center domain>/pay?notice=NUMBER``
- any other ``https`` URL of the center's own domain (a ``CenterLink``; the kiosk decides what to do)

Anything else — other domains, other schemes, control characters, over-long text — is a
``ScanRejected`` with a message for the citizen. The domain is configurable (default
``zwfw.xm.gov.cn``) and compared exactly, so ``zwfw.xm.gov.cn.evil.example`` is foreign.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from devices.errors import DeviceOperationError

DEFAULT_DOMAIN = "zwfw.xm.gov.cn"
MAX_LENGTH = 512

_APPOINTMENT = re.compile(r"YY(\d{8})(\d{4})")
_NOTICE = re.compile(r"\d{16}")


class ScanRejected(DeviceOperationError):
    """A scan that is none of the expected codes. ``reason`` is a short machine word."""

    default_zh = "无法识别该二维码，请扫描预约码或缴款通知书上的二维码。"
    default_en = (
        "This code is not recognised. Please scan your appointment code or the code on your payment notice."
    )

    def __init__(self, reason: str, technician: str) -> None:
        super().__init__(technician, device="scanner")
        self.reason = reason


@dataclass(frozen=True)
class AppointmentCode:
    code: str
    date: dt.date
    kind: str = "appointment"


@dataclass(frozen=True)
class PaymentNotice:
    number: str
    kind: str = "notice"


@dataclass(frozen=True)
class CenterLink:
    url: str
    path: str
    kind: str = "center_link"


ScannedCode = AppointmentCode | PaymentNotice | CenterLink


def clean_text(raw: bytes, max_length: int = MAX_LENGTH) -> str:
    """Bytes off the scanner as text: bounded, valid UTF-8, no control or format characters."""
    if len(raw) > max_length:
        raise ScanRejected("too_long", f"scan of {len(raw)} bytes exceeds the limit of {max_length}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScanRejected("not_text", f"scan of {len(raw)} bytes is not UTF-8 text") from None
    return check_text(text, max_length)


def check_text(text: str, max_length: int = MAX_LENGTH) -> str:
    """The same checks for text that arrived as key presses."""
    text = text.strip(" ")
    if not text:
        raise ScanRejected("empty", "empty scan")
    if len(text) > max_length:
        raise ScanRejected("too_long", f"scan of {len(text)} characters exceeds the limit of {max_length}")
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ScanRejected("control_character", f"scan contains control character U+{ord(char):04X}")
    return text


def _appointment(code: str) -> AppointmentCode | None:
    match = _APPOINTMENT.fullmatch(code)
    if not match:
        return None
    try:
        date = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        raise ScanRejected("bad_date", "appointment code carries an impossible date") from None
    return AppointmentCode(code, date)


def parse_code(text: str, domain: str = DEFAULT_DOMAIN) -> ScannedCode:
    """The one meaning of a scanned text, or ``ScanRejected``."""
    text = check_text(text)
    appointment = _appointment(text)
    if appointment:
        return appointment
    if _NOTICE.fullmatch(text):
        return PaymentNotice(text)
    if "://" in text or text.lower().startswith(("http:", "https:")):
        return _parse_url(text, domain.lower())
    raise ScanRejected("unrecognised", f"scan of {len(text)} characters matches no expected format")


def _parse_url(text: str, domain: str) -> ScannedCode:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ScanRejected("bad_url", "scanned URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise ScanRejected("insecure_url", f"scanned URL uses {parts.scheme or 'no'} scheme, not https")
    host = (parts.hostname or "").rstrip(".")
    if parts.username is not None or parts.password is not None or host != domain or port not in (None, 443):
        # the host itself may be of interest to a technician (phishing codes in the hall)
        raise ScanRejected("foreign_url", f"scanned URL of another site ({host[:64]!r})")
    path = parts.path
    if path.startswith("/appt/"):
        appointment = _appointment(path[len("/appt/") :])
        if appointment is None or parts.query:
            raise ScanRejected("bad_appointment_url", "appointment URL does not carry a valid code")
        return appointment
    if path == "/pay":
        try:
            query = parse_qs(parts.query, strict_parsing=True, keep_blank_values=True)
        except ValueError:
            query = {}
        numbers = query.get("notice", [])
        if set(query) != {"notice"} or len(numbers) != 1 or not _NOTICE.fullmatch(numbers[0]):
            raise ScanRejected(
                "bad_notice_url", "payment URL does not carry exactly one 16-digit notice number"
            )
        return PaymentNotice(numbers[0])
    return CenterLink(text, path or "/")
