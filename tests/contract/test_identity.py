"""The one ID-number rule (GB 11643): check character, birth date, normalisation at the edge, hostile input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.identity import (
    IdNumberError,
    birth_date_of,
    card_type_of_number,
    check_character,
    is_valid_id_number,
    normalise_id_number,
)

STANDARD_EXAMPLE = "11010519491231002X"  # the example number of GB 11643-1999
RESIDENT = "350203194803120021"
HK_PERMIT = "810000199508152024"
FOREIGNER_2023 = "931840198806120010"
FOREIGNER_2017 = "USA350286031500"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize("number", [STANDARD_EXAMPLE, RESIDENT, HK_PERMIT, FOREIGNER_2023, FOREIGNER_2017])
def test_well_formed_numbers_are_valid(number: str) -> None:
    assert is_valid_id_number(number)


def test_check_character_of_the_standard_example_is_a_capital_x() -> None:
    assert check_character(STANDARD_EXAMPLE[:17]) == "X"
    assert check_character("35020519851103003") == "3"


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
       st.text(alphabet="0123456789", min_size=3, max_size=3))
def test_exactly_one_check_character_fits_any_region_birth_date_and_sequence(
        region: str, born: dt.date, sequence: str) -> None:
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    assert [c for c in "0123456789X" if is_valid_id_number(first17 + c)] == [check_character(first17)]


@pytest.mark.parametrize("number", [
    "11010519491231002x",  # lowercase check character: valid only once normalised
    "110105194912310021",  # wrong check character
    "350203194803120022",
    "1101051949123100",  # 16 characters
    "1101051949123100211",  # 19 characters
    "11010519491231002",  # 17
    "",
    "35020A198511030033",  # a letter among the digits
    "110105194902300028",  # 30 February (check character right for its digits)
    "110105194913310025",  # month 13
    "110105000001010015",  # year 0
    _full_width(RESIDENT),  # full-width digits: valid only once normalised
    "350203194803120021\n",
    " 350203194803120021",
    "usa350286031500",  # permit letters are capitals
    "US3350286031500",
    "USA35028603150",
    "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨",  # Arabic-Indic digits: str.isdigit() says yes, the rule says no
    "²" * 18,  # int() refuses these, the rule must not raise
])
def test_malformed_numbers_are_not_valid(number: str) -> None:
    assert not is_valid_id_number(number)


def test_the_bad_date_numbers_above_carry_their_right_check_character() -> None:
    # so it is the date, not the check character, that refuses them
    for first17 in ("11010519490230002", "11010519491331002", "11010500000101001"):
        assert not is_valid_id_number(first17 + check_character(first17))


@pytest.mark.parametrize("value", [None, b"350203194803120021", 350203194803120021, ["350203194803120021"], 1.5])
def test_other_types_are_not_valid_and_do_not_raise(value: object) -> None:
    assert not is_valid_id_number(value)


@pytest.mark.parametrize("value", [None, b"350203194803120021", bytearray(b"1"), 350203194803120021, object()])
def test_normalising_anything_but_text_is_a_clear_error(value: object) -> None:
    with pytest.raises(IdNumberError, match="an ID number is text"):
        normalise_id_number(value)


def test_normalising_a_huge_input_is_refused_without_echoing_it() -> None:
    with pytest.raises(IdNumberError) as caught:
        normalise_id_number("3" * 1_000_000)
    assert "333" not in str(caught.value)


@pytest.mark.parametrize(("raw", "normalised"), [
    ("11010519491231002x", STANDARD_EXAMPLE),
    (_full_width(RESIDENT), RESIDENT),
    (_full_width("11010519491231002x"), STANDARD_EXAMPLE),  # full-width lowercase x
    ("  350203194803120021\t", RESIDENT),
    ("usa350286031500", FOREIGNER_2017),
    ("", ""),
])
def test_the_edge_normalises_what_readers_and_keyboards_deliver(raw: str, normalised: str) -> None:
    assert normalise_id_number(raw) == normalised
    assert normalise_id_number(normalised) == normalised


def test_normalising_does_not_make_a_wrong_number_right() -> None:
    assert not is_valid_id_number(normalise_id_number("110105194912310021"))
    assert not is_valid_id_number(normalise_id_number("3502 0319 4803 1200 21"))  # spaces inside stay


@pytest.mark.parametrize("value", ["1234567890123456", "1234567890123456789", "3502031948031200X", 17, None, b"1" * 17])
def test_check_character_wants_exactly_seventeen_ascii_digits(value: object) -> None:
    with pytest.raises(IdNumberError, match="expected 17 digits"):
        check_character(value)  # type: ignore[arg-type]


def test_check_character_error_does_not_repeat_the_number() -> None:
    with pytest.raises(IdNumberError) as caught:
        check_character("3502031948031200")
    assert "3502031948031200" not in str(caught.value)


def test_birth_date() -> None:
    assert birth_date_of(RESIDENT) == dt.date(1948, 3, 12)
    assert birth_date_of(FOREIGNER_2023) == dt.date(1988, 6, 12)
    assert birth_date_of("110105194902300028") is None
    assert birth_date_of(FOREIGNER_2017) is None


@pytest.mark.parametrize(("number", "card_type"), [
    (RESIDENT, "resident"), (HK_PERMIT, "J"), ("830000199001010012", "J"), (FOREIGNER_2023, "Y"),
    (FOREIGNER_2017, "I"), ("", "resident"),
])
def test_card_type_of_number(number: str, card_type: str) -> None:
    assert card_type_of_number(number) == card_type
