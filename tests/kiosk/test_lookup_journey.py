"""The lookup journeys as plain state machines: every card problem, the gateway, paper, mail and phone."""

from __future__ import annotations

import logging

import pytest
from lookup_fakes import (
    TODAY,
    GatewayDown,
    GatewayRefused,
    PaperOut,
    demo_card,
    lookup_env,
)

from devices.idcard.card import CardDecodeError
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.lookup import LIFT_WINDOW_S
from kiosk.journeys.lookup_pages import Section, paginate
from kiosk.journeys.lookups import PopulationLookup, PropertyLookup, SocialSecurityLookup
from kiosk.shell import i18n
from offline_cache.errors import OutboxFull

ELDERLY_ID = "350203194803120021"


@pytest.fixture
def env(tmp_path):
    yield lookup_env(tmp_path / "state")
    i18n.set_language("zh")


def started(cls, env):
    journey = cls(env)
    seen: list[str] = []
    journey.subscribe(lambda j: seen.append(j.state))
    journey.start()
    journey.seen = seen
    return journey


def placed(cls, env, key="elderly"):
    journey = started(cls, env)
    journey.on_card(demo_card(key))
    return journey


# --- the card -----------------------------------------------------------------------------------


def test_waiting_then_gentle_reminder_when_no_card_comes(env):
    journey = started(SocialSecurityLookup, env)
    assert journey.state == "waiting"
    journey.remind()
    assert journey.state == "reminder"
    journey.remind()  # only once
    assert journey.seen == ["waiting", "reminder"]
    journey.on_card(demo_card("elderly"))
    assert journey.state == "results"


def test_card_read_and_queried_with_its_id_number(env):
    journey = placed(SocialSecurityLookup, env)
    assert journey.seen == ["waiting", "reading", "querying", "results"]
    assert env.gateway.asked == [("social_security", ELDERLY_ID, "resident")]
    assert env.session.card is journey.card
    assert journey.holder() == "林**"
    assert journey.id_masked() == "3502**********0021"


def test_read_failure_says_what_to_do_and_a_new_card_retries(env):
    journey = started(PropertyLookup, env)
    journey.on_card_error(CardDecodeError("unknown card type"))
    assert journey.state == "read_failed"
    assert "无法识别" in journey.problem.what_zh
    assert "平放" in journey.problem.next_zh
    env.clock.advance(seconds=LIFT_WINDOW_S + 1)
    journey.on_card_removed()  # lifted later to place it again: still a read failure
    assert journey.state == "read_failed"
    journey.on_card(demo_card("elderly"))
    assert journey.state == "results"


def test_card_lifted_while_being_read(env):
    journey = started(PropertyLookup, env)
    journey.on_card_reading()
    assert journey.state == "reading"
    journey.on_card_removed()
    assert journey.state == "lifted"
    assert "太早" in journey.problem.what_zh
    assert journey.problem.what_en == "The card was lifted before it was read."


def test_read_error_then_card_gone_at_once_means_lifted_too_early(env):
    journey = started(PopulationLookup, env)
    journey.on_card_error(CardDecodeError("read answer too short"))
    env.clock.advance(seconds=0.5)
    journey.on_card_removed()
    assert journey.state == "lifted"
    journey.retry()
    assert journey.state == "waiting"


@pytest.mark.parametrize(("key", "reason", "words"), [
    ("expired", "expired", "2024年05月01日过期"),
    ("bad_check_digit", "bad_check_digit", "无法核验"),
])
def test_refused_cards_never_reach_the_gateway(env, key, reason, words):
    journey = placed(SocialSecurityLookup, env, key)
    assert journey.state == "refused"
    assert journey.problem.code == reason
    assert words in journey.problem.what_zh
    assert journey.problem.next_zh
    assert env.gateway.asked == []
    assert env.session.card is None
    assert journey.card is None


def test_refusal_raised_by_the_device_layer(env):
    journey = started(PropertyLookup, env)
    refusal = demo_card("expired").refusal(TODAY)
    journey.on_card_error(refusal)
    assert journey.state == "refused"
    assert journey.problem.code == "expired"
    assert "expired on 2024-05-01" in journey.problem.what_en


@pytest.mark.parametrize("key", ["hk", "foreigner2017", "foreigner2023"])
def test_population_lookup_needs_a_resident_card(env, key):
    journey = placed(PopulationLookup, env, key)
    assert journey.state == "unsupported"
    assert "没有本市户籍" in journey.problem.what_zh
    assert env.gateway.asked == []


def test_permit_holders_can_look_up_social_security(env):
    journey = placed(SocialSecurityLookup, env, "hk")
    assert journey.state == "results"
    assert env.gateway.asked == [("social_security", "810000199508152024", "J")]


def test_a_card_placed_again_on_the_results_changes_nothing(env):
    journey = placed(SocialSecurityLookup, env)
    journey.on_card(demo_card("young"))
    journey.on_card_error(CardDecodeError("x"))
    assert journey.state == "results"
    assert journey.holder() == "林**"
    assert len(env.gateway.asked) == 1


# --- the gateway -------------------------------------------------------------------------------


def test_no_record_is_a_normal_answer_with_clear_words(env):
    journey = placed(SocialSecurityLookup, env, "foreigner2017")
    assert journey.state == "no_record"
    assert journey.problem is None
    assert "未查询到" in journey.no_record_message()
    i18n.set_language("en")
    assert journey.no_record_message() == "No record in Xiamen was found for you."
    assert journey.sections() == []


def test_offline_kiosk_does_not_ask_and_says_lookups_need_the_network(env):
    env.online = lambda: False
    journey = placed(PropertyLookup, env)
    assert journey.state == "offline"
    assert env.gateway.asked == []
    assert "需要网络" in journey.problem.what_zh
    assert "12345" in journey.problem.next_zh and "人工服务台" in journey.problem.next_zh


def test_gateway_down_mid_query_then_retry_shows_fresh_answer(env):
    env.gateway.error = GatewayDown("connection refused")
    journey = placed(PropertyLookup, env)
    assert journey.seen[-2:] == ["querying", "offline"]
    assert journey.answer is None  # nothing stale is shown
    env.gateway.error = None
    journey.retry()
    assert journey.state == "results"
    assert len(env.gateway.asked) == 2


def test_gateway_error_answer_is_a_failure_with_next_step(env):
    env.gateway.error = GatewayRefused("503")
    journey = placed(PopulationLookup, env)
    assert journey.state == "failed"
    assert journey.problem.what_zh == "查询系统繁忙"
    assert "人工服务台" in journey.problem.next_zh


def test_answer_that_breaks_the_contract_is_not_shown(env):
    env.gateway.lookup_population = lambda id_number, card_type: {"status": "found"}
    journey = placed(PopulationLookup, env)
    assert journey.state == "failed"
    assert journey.problem.code == "bad_answer"


def test_nothing_personal_in_the_logs(env, caplog):
    caplog.set_level(logging.DEBUG)
    journey = placed(SocialSecurityLookup, env)
    journey.show_choices()
    journey.print_result()
    journey.finish()
    text = caplog.text
    assert ELDERLY_ID not in text and "林秀英" not in text and "鹭江道" not in text


# --- what the screen shows ------------------------------------------------------------------------


def test_social_security_sections_for_an_employee(env):
    journey = placed(SocialSecurityLookup, env, "young")
    sections = journey.sections()
    headings = [s.heading for s in sections]
    assert headings == ["参保情况", "生育保险", "社会保障卡", "按月缴费记录（元）"]
    table = sections[-1]
    assert table.columns[0] == "月份" and len(table.cells) == 24
    assert table.cells[0][0] > table.cells[-1][0]  # newest month first
    assert table.cells[0][1:] == ("五险", "8,000.00", "840.00", "1,896.00")
    maternity = dict((r.label, r.value) for r in sections[1].rows)
    assert maternity["生育保险"] == "已参保"


def test_contribution_table_is_paged_to_fit(env):
    journey = placed(SocialSecurityLookup, env, "young")
    journey.set_page_capacity(10)
    pages = journey.pages()
    assert len(pages) >= 4
    for page in pages:
        assert sum(s.size for s in page.sections) <= 10 or len(page.sections) == 1
    months = [line[0] for page in pages for s in page.sections if s.columns for line in s.cells]
    assert len(months) == 24 and len(set(months)) == 24
    assert journey.page == 0
    journey.next_page()
    assert journey.page == 1
    journey.previous_page()
    journey.previous_page()
    assert journey.page == 0
    for _ in range(20):
        journey.next_page()
    assert journey.page == len(pages) - 1


def test_paginate_never_splits_a_fact_group_and_never_returns_no_page():
    group = Section("a", tuple())
    assert paginate([], 10)[0].sections == ()
    pages = paginate([group, group, group], 4)
    assert [len(p.sections) for p in pages] == [3]


def test_property_sections_mask_address_and_flag_mortgage(env):
    journey = placed(PropertyLookup, env, "young")
    (section,) = journey.sections()
    rows = {r.label: r for r in section.rows}
    assert rows["坐落"].value.startswith("福建省厦门市湖里区") and "4688" not in rows["坐落"].value
    assert rows["抵押"].value == "有抵押" and rows["抵押"].warn
    assert rows["查封"].value == "未查封" and not rows["查封"].warn
    assert rows["建筑面积"].value == "89.00平方米"
    i18n.set_language("en")
    (section,) = journey.sections()
    rows = {r.label: r.value for r in section.rows}
    assert rows["建筑面积"] == "89.00 m²" and rows["用途"] == "residential" and rows["抵押"] == "Mortgaged"


def test_elderly_citizen_has_two_properties(env):
    journey = placed(PropertyLookup, env)
    assert [s.heading for s in journey.sections()] == ["第1处，共2处", "第2处，共2处"]


def test_population_sections(env):
    journey = placed(PopulationLookup, env)
    rows = {r.label: r.value for r in journey.sections()[0].rows}
    assert rows["户号"] == "3502****1288"
    assert rows["与户主关系"] == "户主"
    assert rows["户籍地址"].startswith("福建省厦门市思明区") and "100号" not in rows["户籍地址"]


# --- printing ---------------------------------------------------------------------------------------


def test_print_ok_carries_masked_identity_document_number_and_qr(env):
    journey = placed(SocialSecurityLookup, env)
    journey.show_choices()
    journey.print_result()
    assert journey.seen[-3:] == ["choices", "printing", "printed"]
    (receipt,) = env.devices.printed
    texts = repr(receipt.blocks)
    assert "林**" in texts and "3502**********0021" in texts
    assert "林秀英" not in texts and ELDERLY_ID not in texts
    assert "XMZW-SS-20261125-000001" in texts
    qr = [b for b in receipt.blocks if type(b).__name__ == "QrCode"]
    assert qr[0].payload == "https://zwfw.xm.gov.cn/verify/XMZW-SS-20261125-000001"


def test_printer_that_cannot_print_is_never_sent_a_job(env):
    env.devices.printable = False
    journey = placed(PropertyLookup, env)
    journey.print_result()
    assert journey.state == "print_unavailable"
    assert env.devices.printed == []
    assert "扫码" in journey.problem.next_zh and "邮寄" in journey.problem.next_zh


def test_no_device_hub_means_no_printing(env):
    env.devices = None
    journey = placed(PropertyLookup, env)
    journey.print_result()
    assert journey.state == "print_unavailable"


def test_printer_fails_mid_print_and_offers_the_other_ways(env):
    env.devices.hold = True
    journey = placed(PopulationLookup, env)
    journey.print_result()
    assert journey.state == "printing"
    env.devices.pending(PrintOutcome.failed(PaperOut("paper out during job", device="printer")))
    assert journey.state == "print_failed"
    assert journey.problem.what_zh == "打印机缺纸"
    assert "邮寄" in journey.problem.next_zh
    journey.show_phone_qr()
    assert journey.state == "phone_consent"
    journey.agree_phone()
    assert journey.state == "phone_qr" and journey.phone_url().endswith("/r/link1")
    assert journey.verify_url().endswith("XMZW-RK-20261125-000001")


def test_print_failure_without_words_for_the_citizen_gets_the_general_ones(env):
    env.devices.hold = True
    journey = placed(PopulationLookup, env)
    journey.print_result()
    env.devices.pending(PrintOutcome.failed(RuntimeError("printer reported failure")))
    assert journey.state == "print_failed"
    assert journey.problem.code == "print_failed"
    assert journey.problem.what_zh == "打印没有完成，凭条可能不完整。" and "邮寄" in journey.problem.next_zh


def test_print_outcome_from_the_device_hub(env):
    env.devices.hold = True
    journey = placed(PopulationLookup, env)
    journey.print_result()
    env.devices.pending(PrintOutcome(False, error=PaperOut("paper out", device="printer")))
    assert journey.state == "print_failed" and journey.problem.what_zh == "打印机缺纸"
    journey.print_result()
    env.devices.pending(PrintOutcome(True))
    assert journey.state == "printed"


def test_late_print_callback_after_the_citizen_left_is_ignored(env):
    env.devices.hold = True
    journey = placed(PopulationLookup, env)
    journey.print_result()
    journey.cancel()
    env.devices.pending(PrintOutcome.done())
    assert journey.state == "printing"


# --- EMS mailing ---------------------------------------------------------------------------------


def test_mailing_to_the_registered_address_is_queued_in_the_outbox(env):
    journey = placed(PropertyLookup, env)
    journey.start_mailing()
    assert journey.state == "mail_confirm"
    assert journey.mailing_address_masked().startswith("福建省厦门市思明区") and "100" not in journey.mailing_address_masked()
    journey.confirm_address()
    assert journey.state == "mail_phone"
    journey.submit_phone("1381234")
    assert journey.state == "mail_phone" and journey.problem.code == "bad_phone"
    journey.submit_phone("138 1234 5678")
    assert journey.seen[-2:] == ["mail_sending", "mail_queued"]
    ((kind, payload),) = env.outbox.entries
    assert kind == "mailing"
    # her card carries a newer appended address (she moved): that is where the post goes
    assert payload == {"document_number": "XMZW-BDC-20261125-000001", "recipient_name": "林秀英",
                       "phone": "13812345678", "address": "福建省厦门市思明区鹭江道102号"}


def test_mailing_payload_is_a_valid_contract_request(env):
    from contract.citizen import MailingRequest

    journey = placed(SocialSecurityLookup, env, "young")
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13912345678")
    MailingRequest.model_validate(env.outbox.entries[0][1])


def test_mailing_refused_by_a_full_outbox_offers_alternatives(env):
    env.outbox.error = OutboxFull("full")
    journey = placed(PropertyLookup, env)
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13812345678")
    assert journey.state == "mail_failed"
    assert "人工服务台" in journey.problem.next_zh


def test_without_outbox_the_gateway_takes_the_mailing(env):
    env.outbox = None
    env.gateway.request_mailing = lambda payload: env.gateway.mailings.append(payload) or {"mailing_id": "M1"}
    journey = placed(PropertyLookup, env)
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13812345678")
    assert journey.state == "mail_queued"
    assert env.gateway.mailings[0]["phone"] == "13812345678"


def test_without_outbox_or_gateway_mailing_fails_clearly(env):
    env.outbox = None
    journey = placed(PropertyLookup, env)
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13812345678")
    assert journey.state == "mail_failed"


def test_permit_card_has_no_address_to_mail_to(env):
    journey = placed(SocialSecurityLookup, env, "hk")
    journey.start_mailing()
    assert journey.state == "mail_unavailable"
    assert env.outbox.entries == []


# --- the end -------------------------------------------------------------------------------------------


def test_finish_forgets_everything_personal(env):
    journey = placed(SocialSecurityLookup, env)
    card = journey.card
    assert env.session.data["social_security"] is journey.answer
    journey.finish()
    assert journey.state == "finished"
    assert journey.card is None and journey.answer is None
    assert env.session.card is None and "social_security" not in env.session.data
    assert card.id_number == "" and card.name == "" and card.photo.released
    assert journey.holder() == "" and journey.sections() == []


def test_cancel_in_the_middle_forgets_and_stops_listening(env):
    journey = placed(PopulationLookup, env)
    journey.cancel()
    assert journey.card is None and journey.finished
    assert env.session.card is None


def test_service_id_for_rating(env):
    assert SocialSecurityLookup(env).service_id == "ss-record-lookup"
    service = env.catalogue.service("prop-ownership-lookup")
    assert PropertyLookup(env, service).service_id == "prop-ownership-lookup"
    assert PopulationLookup(env).service_id == "ps-population-lookup"

