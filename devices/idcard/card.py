"""What an ID card says: decoding the 256-byte text block (DEVICES.md §1) into an ``IdCard``.

The layout is decided by the type character at byte offset 248 before any field is read: a
foreigner card (``Y``) shares the resident offsets for some fields but carries its English name
where a resident card has the address. Check digits (GB 11643, by :mod:`contract.identity`) and
expiry are checked here; the kiosk decides what to do about them through ``IdCard.refusal()``.

The photo stays opaque bytes behind ``PhotoDecoder``; it is zeroed when the card is released and
never appears in ``repr``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

from contract.identity import is_permit_2017, is_valid_id_number, normalise_id_number
from devices.errors import DeviceOperationError

TEXT_SIZE = 256
PHOTO_SIZE = 1024
LONG_TERM = "长期"

NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春", "53": "赫哲",
    "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip

GENDERS = {"0": "unknown", "1": "male", "2": "female", "9": "unspecified"}

class CardType(enum.StrEnum):
    RESIDENT = "resident"  # 居民身份证
    HMT_RESIDENCE = "J"  # 港澳台居民居住证
    FOREIGNER_2017 = "I"  # 外国人永久居留身份证 (2017)
    FOREIGNER_2023 = "Y"  # 外国人永久居留身份证 (2023)


class CardDecodeError(DeviceOperationError):
    """The text block cannot be decoded (wrong size, unknown type character, bad dates)."""

    default_zh = "无法识别该证件，请重新放置或到人工窗口办理。"
    default_en = "This card could not be read. Please place it again or go to a staff desk."


class CardRefused(DeviceOperationError):
    """A card was read but the kiosk must not use it (expired, check digit wrong)."""

    def __init__(self, reason: str, technician: str, *, citizen_zh: str, citizen_en: str) -> None:
        super().__init__(technician, device="idcard", citizen_zh=citizen_zh, citizen_en=citizen_en)
        self.reason = reason


class PhotoDecoder(Protocol):
    """Plug-in point for the vendor's licensed WLT decoder: WLT bytes → an image file's bytes."""

    def decode(self, wlt: bytes) -> bytes: ...


_photo_decoder: PhotoDecoder | None = None


def set_photo_decoder(decoder: PhotoDecoder | None) -> None:
    """Install (or remove) the decoder used by ``CardPhoto.decode()``."""
    global _photo_decoder
    _photo_decoder = decoder


class CardPhoto:
    """The card's photo as opaque WLT bytes; ``release()`` overwrites them with zeros."""

    def __init__(self, wlt: bytes) -> None:
        self._wlt = bytearray(wlt)

    def __len__(self) -> int:
        return len(self._wlt)

    def __repr__(self) -> str:
        return f"CardPhoto({len(self._wlt)} bytes)"

    @property
    def released(self) -> bool:
        return not any(self._wlt)

    def raw(self) -> bytes:
        return bytes(self._wlt)

    def decode(self) -> bytes | None:
        """The photo as an image through the installed decoder, or None when there is none."""
        return _photo_decoder.decode(bytes(self._wlt)) if _photo_decoder else None

    def release(self) -> None:
        for i in range(len(self._wlt)):
            self._wlt[i] = 0


def _parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise CardDecodeError(f"{what} is not a YYYYMMDD date ({len(text)} characters)") from exc


@dataclass(repr=False)
class IdCard:
    """One card as read. Personal fields are plain strings: mask them before showing or logging."""

    card_type: CardType
    name: str  # Chinese name (empty on an I card without one)
    gender: str  # male / female / unknown / unspecified
    birth_date: dt.date
    id_number: str  # resident ID, J card number, I permit number or Y ID number
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期 (no expiry)
    name_en: str = ""
    nation_code: str = ""
    nation: str = ""
    address: str = ""
    authority: str = ""
    pass_number: str = ""  # J: Hong Kong/Macau/Taiwan pass number
    issue_count: str = ""  # J
    nationality: str = ""  # I, Y: ISO 3166 alpha-3
    card_version: str = ""  # I
    authority_code: str = ""  # I
    renewal_count: str = ""  # Y
    old_card_link: str = ""  # Y
    photo: CardPhoto = field(default_factory=lambda: CardPhoto(b""))
    fingerprint: bytes = b""
    appended_address: str = ""

    def __repr__(self) -> str:
        return f"IdCard({self.card_type}, personal fields hidden)"

    @property
    def check_digit_ok(self) -> bool:
        """True when the ID number is well formed for its card (:mod:`contract.identity`): the right
        GB 11643 check character and birth date, or the shape of a 2017 permit number (no check)."""
        if is_permit_2017(self.id_number) != (self.card_type == CardType.FOREIGNER_2017):
            return False
        return is_valid_id_number(self.id_number)

    def expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < today

    def refusal(self, today: dt.date) -> CardRefused | None:
        """Why the kiosk must not use this card, or None when it may."""
        if not self.check_digit_ok:
            return CardRefused(
                "bad_check_digit",
                f"{self.card_type} card number fails its check digit or birth date: damaged or forged card",
                citizen_zh="无法核验该证件，请到人工窗口办理。",
                citizen_en="This card cannot be verified. Please go to a staff desk.",
            )
        if self.expired(today):
            return CardRefused(
                "expired",
                f"{self.card_type} card expired on {self.valid_to:%Y-%m-%d}",
                citizen_zh=f"您的证件已于{self.valid_to:%Y年%m月%d日}过期，请到人工窗口办理。",
                citizen_en=f"Your card expired on {self.valid_to:%Y-%m-%d}. Please go to a staff desk.",
            )
        return None

    def release(self) -> None:
        """Zero the photo and fingerprint and blank the personal fields."""
        self.photo.release()
        self.fingerprint = b""
        for name in ("name", "name_en", "address", "id_number", "pass_number", "appended_address"):
            setattr(self, name, "")


def _field(text: bytes, offset: int, size: int) -> str:
    return text[offset : offset + size].decode("utf-16-le", errors="replace").rstrip(" \x00")


def _id_number(text: bytes, offset: int, size: int) -> str:
    """The card's number in the one form it is checked and sent in (a chip may hold ``x`` for ``X``)."""
    return normalise_id_number(_field(text, offset, size))


def _validity(text: bytes, frm: int, to: int) -> tuple[dt.date, dt.date | None]:
    valid_from = _parse_date(_field(text, frm, 16), "valid-from")
    raw_to = _field(text, to, 16)
    valid_to = None if raw_to.startswith(LONG_TERM) else _parse_date(raw_to, "valid-to")
    return valid_from, valid_to


def card_type_of(text: bytes) -> CardType:
    """The layout of a text block, from the character at offset 248."""
    if len(text) != TEXT_SIZE:
        raise CardDecodeError(f"text block is {len(text)} bytes, expected {TEXT_SIZE}")
    marker = text[248:250].decode("utf-16-le", errors="replace")
    if marker in (" ", "\x00"):
        return CardType.RESIDENT
    try:
        return CardType(marker)
    except ValueError:
        raise CardDecodeError(f"unknown card type character U+{ord(marker[0]):04X} at offset 248") from None


class _CommonFields(TypedDict):
    """The fields resident, J and Y cards keep at the same offsets."""

    card_type: CardType
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    photo: CardPhoto
    fingerprint: bytes


def decode_text(text: bytes, photo: bytes = b"", fingerprint: bytes = b"") -> IdCard:
    """Decode a 256-byte text block (and the opaque photo/fingerprint) into an ``IdCard``."""
    kind = card_type_of(text)
    gender_code = _field(text, 30, 2)
    if kind == CardType.FOREIGNER_2017:
        valid_from, valid_to = _validity(text, 188, 204)
        return IdCard(
            card_type=kind,
            name_en=_field(text, 0, 120),
            gender=GENDERS.get(_field(text, 120, 2), "unknown"),
            id_number=_id_number(text, 122, 30),
            nationality=_field(text, 152, 6),
            name=_field(text, 158, 30),
            valid_from=valid_from,
            valid_to=valid_to,
            birth_date=_parse_date(_field(text, 220, 16), "birth date"),
            card_version=_field(text, 236, 4),
            authority_code=_field(text, 240, 8),
            photo=CardPhoto(photo),
            fingerprint=fingerprint,
        )
    common: _CommonFields = {
        "card_type": kind,
        "name": _field(text, 0, 30),
        "gender": GENDERS.get(gender_code, "unknown"),
        "birth_date": _parse_date(_field(text, 36, 16), "birth date"),
        "id_number": _id_number(text, 122, 36),
        "photo": CardPhoto(photo),
        "fingerprint": fingerprint,
    }
    if kind == CardType.FOREIGNER_2023:
        valid_from, valid_to = _validity(text, 188, 204)
        # the English name is split over two fields: join before stripping the padding
        english = (text[52:122] + text[220:242]).decode("utf-16-le", errors="replace").rstrip(" \x00")
        return IdCard(
            **common,
            valid_from=valid_from,
            valid_to=valid_to,
            renewal_count=_field(text, 32, 4),
            name_en=english,
            nationality=_field(text, 242, 6),
            old_card_link=_field(text, 250, 6),
        )
    valid_from, valid_to = _validity(text, 188, 204)
    card = IdCard(
        **common,
        valid_from=valid_from,
        valid_to=valid_to,
        address=_field(text, 52, 70),
        authority=_field(text, 158, 30),
    )
    if kind == CardType.HMT_RESIDENCE:
        card.pass_number = _field(text, 220, 18)
        card.issue_count = _field(text, 238, 4)
    else:
        card.nation_code = _field(text, 32, 4)
        card.nation = NATIONS.get(card.nation_code, "")
    return card
