"""Decoding the 256-byte text block of every card type; check digits, expiry, nations, photo release."""

from __future__ import annotations

import datetime as dt

import pytest

from contract.identity import check_character, is_valid_id_number
from devices.idcard.card import (
    LONG_TERM,
    CardDecodeError,
    CardType,
    decode_text,
    set_photo_decoder,
)
from devices.simulators.citizens import CITIZENS, LONG_ENGLISH_NAME, DemoCitizen

TODAY = dt.date(2026, 11, 25)


def card(key: str):
    citizen = CITIZENS[key]
    return decode_text(citizen.text_block(), citizen.photo())


def test_resident_card_fields() -> None:
    c = card("elderly")
    assert c.card_type == CardType.RESIDENT
    assert (c.name, c.gender, c.nation_code, c.nation) == ("林秀英", "female", "01", "汉")
    assert c.birth_date == dt.date(1948, 3, 12)
    assert c.address == "福建省厦门市思明区鹭江道100号"
    assert c.id_number == "350203194803120021"
    assert c.authority == "厦门市公安局思明分局"
    assert c.valid_from == dt.date(2015, 6, 1) and c.valid_to is None  # 长期
    assert c.check_digit_ok and c.refusal(TODAY) is None


def test_j_card_has_pass_number_and_no_nation() -> None:
    c = card("hk")
    assert c.card_type == CardType.HMT_RESIDENCE
    assert (c.pass_number, c.issue_count, c.nation) == ("H12345678", "01", "")
    assert c.id_number == "810000199508152024" and c.check_digit_ok
    assert c.valid_to == dt.date(2029, 3, 1)


def test_i_card_layout() -> None:
    c = card("foreigner2017")
    assert c.card_type == CardType.FOREIGNER_2017
    assert (c.name_en, c.name, c.gender) == ("SMITH, JOHN MICHAEL", "史密斯", "male")
    assert (c.id_number, c.nationality, c.card_version, c.authority_code) == (
        "USA350286031500",
        "USA",
        "01",
        "5000",
    )
    assert c.birth_date == dt.date(1986, 3, 15) and c.valid_to == dt.date(2029, 1, 9)
    assert c.check_digit_ok and c.refusal(TODAY) is None


def test_y_card_is_not_read_as_a_resident_card() -> None:
    c = card("foreigner2023")
    assert c.card_type == CardType.FOREIGNER_2023
    assert (c.name, c.name_en, c.nationality) == ("玛丽亚", "GARCIA LOPEZ, MARIA", "USA")
    assert c.address == ""  # the English name must not land in the address
    assert c.id_number.startswith("9") and c.check_digit_ok
    assert c.old_card_link == "K7Q"  # the last 3 characters, after the type character


def test_y_card_without_a_previous_card_has_an_empty_link() -> None:
    base = CITIZENS["foreigner2023"]
    fields = tuple(f for f in base.fields if f[0] != 250)
    assert decode_text(DemoCitizen("first", "first", fields).text_block()).old_card_link == ""


def test_y_card_english_name_spanning_both_fields_is_joined_before_stripping() -> None:
    base = CITIZENS["foreigner2023"]
    fields = tuple(f for f in base.fields if f[0] not in (52, 220))
    fields += ((52, 70, LONG_ENGLISH_NAME[:35]), (220, 22, LONG_ENGLISH_NAME[35:]))
    c = decode_text(DemoCitizen("long", "long", fields).text_block())
    assert c.name_en == LONG_ENGLISH_NAME


def test_expired_and_bad_check_digit_cards_are_refused() -> None:
    expired = card("expired").refusal(TODAY)
    assert expired is not None and expired.reason == "expired"
    assert "2024" in expired.citizen_zh and "staff" in expired.citizen_en
    bad = card("bad_check_digit")
    assert not bad.check_digit_ok
    refusal = bad.refusal(TODAY)
    assert refusal is not None and refusal.reason == "bad_check_digit"
    assert "350205" not in refusal.technician  # no ID number in a log line


def test_check_digit_rule() -> None:
    assert check_character("35020519851103003") == "3"
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("1101051949123100")
    assert not is_valid_id_number("35020A198511030033")


def test_a_lowercase_check_x_on_the_chip_is_read_as_x() -> None:
    lowered = tuple((o, n, "11010519491231002x" if o == 122 else v) for o, n, v in CITIZENS["young"].fields)
    c = decode_text(DemoCitizen("lower-x", "lower-x", lowered).text_block())
    assert c.id_number == "11010519491231002X" and c.check_digit_ok


def test_a_full_width_number_on_the_chip_is_read_in_ascii() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "350206199607210013")
    fields = tuple((o, n, full_width if o == 122 else v) for o, n, v in CITIZENS["young"].fields)
    c = decode_text(DemoCitizen("full-width", "full-width", fields).text_block())
    assert c.id_number == "350206199607210013" and c.check_digit_ok


def test_a_number_that_belongs_to_another_card_type_is_not_ok() -> None:
    permit_on_resident = tuple((o, n, "USA350286031500" if o == 122 else v) for o, n, v in CITIZENS["young"].fields)
    assert not decode_text(DemoCitizen("mixed", "mixed", permit_on_resident).text_block()).check_digit_ok


@pytest.mark.parametrize("key", ["young", "appointment", "elderly", "expired"])
def test_all_resident_demo_cards_decode_with_nation(key: str) -> None:
    c = card(key)
    assert c.nation == "汉" and len(c.id_number) == 18


def test_long_term_literal_and_bad_dates() -> None:
    assert LONG_TERM == "长期"
    broken = DemoCitizen(
        "x", "x", ((0, 30, "某"), (36, 16, "19991332"), (188, 16, "20200101"), (204, 16, "20300101"))
    )
    with pytest.raises(CardDecodeError, match="birth date"):
        decode_text(broken.text_block())
    with pytest.raises(CardDecodeError, match="256"):
        decode_text(b"\x20\x00" * 10)
    unknown = DemoCitizen("x", "x", ((248, 2, "Q"),))
    with pytest.raises(CardDecodeError, match="U\\+0051"):
        decode_text(unknown.text_block())


def test_photo_is_opaque_decodable_by_plugin_and_zeroed_on_release() -> None:
    c = card("young")
    assert len(c.photo) == 1024 and "bytes" in repr(c.photo)
    assert c.photo.decode() is None

    class Decoder:
        def decode(self, wlt: bytes) -> bytes:
            return b"BM" + wlt[:4]

    set_photo_decoder(Decoder())
    try:
        assert c.photo.decode().startswith(b"BM")
    finally:
        set_photo_decoder(None)
    c.release()
    assert c.photo.released and c.photo.raw() == bytes(1024)
    assert c.name == "" and c.id_number == ""
    assert "王" not in repr(c)
