"""Taking a lookup result to the phone: consent first, then a one-time link made by the gateway."""

from __future__ import annotations

import pytest
from lookup_fakes import GatewayDown, demo_card, lookup_env

from kiosk.journeys.lookups import PopulationLookup, PropertyLookup, SocialSecurityLookup
from kiosk.shell import i18n

ELDERLY_ID = "350203194803120021"


@pytest.fixture
def env(tmp_path):
    yield lookup_env(tmp_path / "state")
    i18n.set_language("zh")


def placed(cls, env, key="elderly"):
    journey = cls(env)
    journey.start()
    journey.on_card(demo_card(key))
    return journey


def test_the_phone_link_carries_the_result_as_shown_masked_after_consent(env):
    journey = placed(SocialSecurityLookup, env)
    journey.show_phone_qr()
    assert journey.state == "phone_consent" and env.gateway.links == []  # nothing leaves before consent
    journey.agree_phone()
    assert journey.state == "phone_qr"
    sent = env.gateway.links[0]
    assert sent.session_id == env.session.id and sent.language == "zh"
    assert sent.holder == journey.holder() and "*" in sent.holder
    assert sent.id_number == journey.id_masked() and ELDERLY_ID not in sent.model_dump_json()
    assert sent.document_number == journey.document_number()
    shown = [(s.heading, [(f.label, f.value) for f in s.facts]) for s in sent.sections]
    expected = [(s.heading, [(i18n._(r.label), r.value) for r in s.rows]) for s in journey.sections()]
    assert shown == expected
    assert env.session.record_number == journey.document_number()


def test_declining_makes_no_link(env):
    journey = placed(PropertyLookup, env)
    journey.show_phone_qr()
    journey.decline_phone()
    assert journey.state == "choices" and env.gateway.links == [] and journey.phone_url() == ""


def test_the_link_in_english_mode_is_in_english(env):
    i18n.set_language("en")
    journey = placed(PopulationLookup, env)
    journey.show_phone_qr()
    journey.agree_phone()
    sent = env.gateway.links[0]
    assert sent.language == "en" and sent.title == journey.title() and all(s.heading.isascii() for s in sent.sections)


def test_no_link_offline_or_when_the_gateway_fails(env):
    journey = placed(PopulationLookup, env)
    journey.show_phone_qr()
    env.online = lambda: False
    journey.agree_phone()
    assert journey.state == "phone_failed" and "打印" in journey.problem.next_zh
    env.online = lambda: True
    journey.show_phone_qr()
    env.gateway.error = GatewayDown("down")
    journey.agree_phone()
    assert journey.state == "phone_failed" and journey.phone_url() == ""


def test_finishing_forgets_the_link(env):
    journey = placed(PopulationLookup, env)
    journey.show_phone_qr()
    journey.agree_phone()
    journey.finish()
    assert journey.phone_link is None and journey.phone_url() == ""
