"""The field masking rules the kiosk and the gateway share."""

from __future__ import annotations

import pytest

from contract.masking import mask_address, mask_id_number, mask_name, mask_pass_number, mask_phone


@pytest.mark.parametrize(("number", "masked"), [
    ("350203194803120021", "3502**********0021"),
    ("11010519491231002X", "1101**********002X"),
    ("USA350286031500", "USA3*******1500"),
    (" 350203194803120021 ", "3502**********0021"),
    ("12345678", "********"),
    ("", ""),
])
def test_id_numbers_keep_the_region_prefix_and_the_last_four(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(("name", "masked"), [
    ("林秀英", "林**"),
    ("王晓明", "王**"),
    ("欧阳", "欧*"),
    ("林", "林"),
    ("GARCIA LOPEZ, MARIA", "G***** L****, M****"),
    ("SMITH, JOHN MICHAEL", "S****, J*** M******"),
    ("  ", ""),
])
def test_names_keep_the_family_name_or_initials(name: str, masked: str) -> None:
    assert mask_name(name) == masked
    assert mask_name(masked) == masked  # masking a masked name (a gateway's answer) changes nothing


def test_phone_address_and_pass_number() -> None:
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("12345") == "*****"
    assert mask_address("福建省厦门市思明区鹭江道100号") == "福建省厦门市********"
    assert mask_address("厦门市") == "厦门市"
    assert mask_pass_number("H12345678") == "H******78"
    assert mask_pass_number("M1234567890") == "M********90"
    assert mask_pass_number("H1") == "**"
    assert mask_pass_number("") == ""
