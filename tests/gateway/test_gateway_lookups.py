"""Lookups for the demo citizens: found records with a verifiable document, clear 'no record' answers."""

from __future__ import annotations

import logging

import pytest

from contract.lookups import PopulationAnswer, PropertyAnswer, SocialSecurityAnswer

ELDERLY, YOUNG, HK = "350203194803120021", "350206199607210013", "810000199508152024"
FOREIGNER_2017, FOREIGNER_2023, BAD_CHECK = "USA350286031500", "931840198806120010", "350205198511030034"


def _ask(api, kind, number, card_type="resident", key=None):
    return api.post(f"/lookups/{kind}", json={"id_number": number, "card_type": card_type}, key=key)


def test_young_employee_has_24_months_and_maternity_insurance(api):
    answer = SocialSecurityAnswer.model_validate(_ask(api, "social-security", YOUNG).json())
    assert answer.status == "found" and answer.holder_masked == "王**"
    record = answer.record
    assert record is not None and record.months_paid == 24 and len(record.contributions) == 24
    months = [c.month for c in record.contributions]
    assert months == sorted(months) and len(set(months)) == 24
    assert record.maternity_insured and "maternity" in record.contributions[0].insurances
    assert answer.document is not None and answer.document.number.startswith("XMZW-SS-")


def test_retired_citizen_has_a_pension_and_two_properties(api):
    social = SocialSecurityAnswer.model_validate(_ask(api, "social-security", ELDERLY).json())
    assert social.record.pension_monthly_fen and not social.record.maternity_insured
    properties = PropertyAnswer.model_validate(_ask(api, "property", ELDERLY).json())
    assert properties.status == "found" and len(properties.properties) == 2
    assert all(p.certificate_number.startswith("闽(") for p in properties.properties)
    household = PopulationAnswer.model_validate(_ask(api, "population", ELDERLY).json())
    assert household.household.relation_zh == "户主" and "鹭江道" in household.household.registered_address


def test_mortgage_and_seizure_flags(api):
    young = PropertyAnswer.model_validate(_ask(api, "property", YOUNG).json())
    assert [(p.mortgaged, p.seized) for p in young.properties] == [(True, False)]
    expired_card_holder = PropertyAnswer.model_validate(_ask(api, "property", "350211197004050016").json())
    assert expired_card_holder.properties[0].seized


def test_permit_holder_is_insured_but_has_no_property_and_no_household_here(api):
    assert _ask(api, "social-security", HK, "J").json()["status"] == "found"
    no_property = PropertyAnswer.model_validate(_ask(api, "property", HK, "J").json())
    assert no_property.status == "no_record" and no_property.document is None
    assert "未查询到" in no_property.message_zh
    household = PopulationAnswer.model_validate(_ask(api, "population", HK, "J").json())
    assert household.status == "not_applicable" and household.household is None


@pytest.mark.parametrize("number,card_type", [(FOREIGNER_2017, "I"), (FOREIGNER_2023, "Y")])
def test_foreign_permanent_residents_have_no_records(api, number, card_type):
    for kind in ("social-security", "property"):
        answer = _ask(api, kind, number, card_type).json()
        assert answer["status"] == "no_record" and answer["message_en"]
    # Even if the kiosk says "resident", the number shows there is no household registration to look up.
    assert _ask(api, "population", number, "resident").json()["status"] == "not_applicable"


def test_a_wrong_check_digit_is_refused(api):
    answer = _ask(api, "social-security", BAD_CHECK)
    assert answer.status_code == 422 and answer.json()["code"] == "id_number_invalid"


@pytest.mark.parametrize("number", [
    "11010519491231002x",  # the kiosk sends numbers normalised: a capital X
    "".join(chr(ord(c) + 0xFEE0) for c in YOUNG),  # full-width digits
    "110105194902300028",  # 30 February, with the check character its digits give
    "35020619960721001",  # 17 characters
    "usa350286031500",
    None, 350206199607210013, ["350206199607210013"], {"n": 1},
])
def test_a_number_outside_the_one_rule_is_a_clear_422_and_looks_nothing_up(api, number):
    answer = _ask(api, "social-security", number)
    # the contract's pattern refuses the form; the one rule (contract.identity) refuses the date
    expected = "id_number_invalid" if number == "110105194902300028" else "invalid_request"
    assert answer.status_code == 422 and answer.json()["code"] == expected
    assert "found" not in answer.text


def test_the_printed_document_can_be_verified_and_shows_no_full_name(api):
    answer = _ask(api, "population", YOUNG).json()
    document = answer["document"]
    assert document["verify_url"].endswith("/verify/" + document["number"])
    page = api.session.get(document["verify_url"], timeout=5)
    assert page.status_code == 200 and "真实有效" in page.text and "王**" in page.text
    assert "王晓明" not in page.text and YOUNG not in page.text
    forged = api.session.get(api.url + "/verify/XMZW-RK-20261125-999999", timeout=5)
    assert forged.status_code == 404 and "查无此文书" in forged.text


def test_document_numbers_are_unique_and_a_repeat_with_a_key_returns_the_same(api):
    first = _ask(api, "property", ELDERLY, key="lookup-key-0001").json()
    again = _ask(api, "property", ELDERLY, key="lookup-key-0001").json()
    other = _ask(api, "property", ELDERLY).json()
    assert again["document"]["number"] == first["document"]["number"]
    assert other["document"]["number"] != first["document"]["number"]


def test_id_numbers_never_reach_the_gateway_log(api, caplog):
    with caplog.at_level(logging.DEBUG):
        _ask(api, "social-security", YOUNG)
        api.post("/lookups/property", json={"id_number": YOUNG, "surname": "王晓明"})
    assert YOUNG not in caplog.text and "王晓明" not in caplog.text
