"""The lookup's certificate on A4 as a state machine: issued by the gateway, printed page by page, and
every way it can fail ending in the phone and mailing, never the receipt printer, never a lost lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from lookup_fakes import TODAY, FakeDevices, FakeGateway, FakeOutbox, GatewayDown, demo_card

from config.catalogue import load_default_catalogue
from config.local import demo_settings
from devices.a4printer.driver import A4PrinterNotReady, A4PrintInterrupted, A4PrintResult
from kiosk.gateway_client.documents import Certificate
from kiosk.gateway_client.errors import GatewayRefused
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.lookups import PopulationLookup, PropertyLookup, SocialSecurityLookup
from kiosk.shell import i18n
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import HALL_ZONE, SettableClock

ELDERLY_ID = "350203194803120021"
PDF = b"%PDF-1.7\n... signed ...\n%%EOF\n"


class CertificateGateway(FakeGateway):
    def __init__(self) -> None:
        super().__init__(TODAY)
        self.certificates: list[tuple[str, str, str, str | None]] = []
        self.certificate_error: BaseException | None = None

    def certificate(self, kind: str, id_number: str, card_type: str = "resident",
                    document_number: str | None = None) -> Certificate:
        self.certificates.append((kind, id_number, card_type, document_number))
        if self.certificate_error is not None:
            raise self.certificate_error
        return Certificate(PDF, 2, document_number or "XMZW-SS-20261125-999999", "ABCD-EFGH-JKLM")


class A4Devices(FakeDevices):
    """The hub with an A4 printer: ``a4_ready``, and the job kept for the test to answer (``a4_job``)."""

    def __init__(self, configured: bool = True) -> None:
        super().__init__()
        self.configured = configured
        self.a4_ready = True
        self.a4_jobs: list[tuple[bytes, int, str]] = []
        self.a4_job: tuple = ()

    def a4_configured(self) -> bool:
        return self.configured

    def can_print_a4(self) -> bool:
        return self.a4_ready

    def print_certificate(self, document, *, pages, name, on_progress=None, callback=None) -> None:
        self.a4_jobs.append((document, pages, name))
        self.a4_job = (on_progress, callback)


@pytest.fixture
def env(tmp_path):
    clock = SettableClock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=HALL_ZONE))
    environment = JourneyEnv(
        settings=demo_settings(tmp_path / "state"), catalogue=load_default_catalogue(), session=CitizenSession(),
        calls=ImmediateCalls(), gateway=CertificateGateway(), devices=A4Devices(), outbox=FakeOutbox(), clock=clock,
    )
    yield environment
    i18n.set_language("zh")


def found(cls, env, key="elderly"):
    journey = cls(env)
    journey.seen = []
    journey.subscribe(lambda j: journey.seen.append((j.state, j.certificate_done)))
    journey.start()
    journey.on_card(demo_card(key))
    assert journey.state == "results"
    journey.show_choices()
    return journey


def test_certificate_is_asked_with_the_lookups_number_and_printed_page_by_page(env):
    journey = found(SocialSecurityLookup, env)
    assert journey.certificate_offered() and journey.can_print_certificate()
    journey.print_certificate()
    number = journey.document_number()
    assert env.gateway.certificates == [("social_security", ELDERLY_ID, "resident", number)]
    assert journey.state == "certificate_printing" and journey.certificate_pages() == 2
    assert env.devices.a4_jobs == [(PDF, 2, number)]  # the gateway's bytes, unchanged
    progress, finished = env.devices.a4_job
    progress(1, 2)
    assert (journey.state, journey.certificate_done) == ("certificate_printing", 1)
    progress(2, 2)
    finished(PrintOutcome.done(A4PrintResult(7, 2, 2.1, None)))
    assert journey.state == "certificate_printed"
    assert [s for s in journey.seen if s[0].startswith("certificate")] == [
        ("certificate_fetching", 0), ("certificate_printing", 0), ("certificate_printing", 1),
        ("certificate_printing", 2), ("certificate_printed", 2)]
    assert env.devices.printed == []  # the receipt printer is never used for a certificate


def test_a_second_tap_while_under_way_asks_nothing_more(env):
    journey = found(PropertyLookup, env)
    journey.print_certificate()
    journey.print_certificate()
    assert len(env.gateway.certificates) == 1 and len(env.devices.a4_jobs) == 1


def test_no_a4_printer_configured_offers_no_certificate(env):
    env.devices = A4Devices(configured=False)
    journey = found(PropertyLookup, env)
    assert not journey.certificate_offered()
    journey.print_certificate()
    assert journey.state == "choices" and env.gateway.certificates == []


def test_a_hub_without_a4_support_offers_none(env):
    env.devices = FakeDevices()
    journey = found(PropertyLookup, env)
    assert not journey.certificate_offered() and not journey.can_print_certificate()


def test_printer_not_ready_asks_the_gateway_nothing_and_offers_phone_and_mail(env):
    env.devices.a4_ready = False
    journey = found(PopulationLookup, env)
    journey.print_certificate()
    assert journey.state == "certificate_unavailable"
    assert env.gateway.certificates == [] and env.devices.a4_jobs == []
    assert "扫码" in journey.problem.next_zh and "邮寄" in journey.problem.next_zh
    journey.show_phone_qr()
    assert journey.state == "phone_consent"
    journey.agree_phone()
    assert journey.state == "phone_qr" and journey.verify_url().endswith(journey.document_number())


@pytest.mark.parametrize(("error", "words_zh", "words_en"), [
    (A4PrintInterrupted("paper out", 1), "只打印了1页", "Only 1 page came"),
    (A4PrintInterrupted("paper jam", 0), "卡纸", "paper jam"),
    (A4PrinterNotReady("door open"), "舱门", "door is open"),
    (A4PrinterNotReady("offline"), "没有连接", "not connected"),
])
def test_printer_trouble_is_said_plainly_and_the_lookup_is_kept(env, error, words_zh, words_en):
    journey = found(SocialSecurityLookup, env)
    journey.print_certificate()
    env.devices.a4_job[1](PrintOutcome.failed(error))
    assert journey.state == "certificate_failed"
    assert words_zh in journey.problem.what_zh and words_en in journey.problem.what_en
    assert "邮寄" in journey.problem.next_zh
    assert env.devices.printed == []
    # the lookup is still there: mailing goes ahead with the same document number
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13812345678")
    assert journey.state == "mail_queued"
    assert env.outbox.entries[0][1]["document_number"] == journey.document_number()


def test_gateway_unreachable_says_so_and_offers_the_other_ways(env):
    env.gateway.certificate_error = GatewayDown()
    journey = found(PropertyLookup, env)
    journey.print_certificate()
    assert journey.state == "certificate_failed" and journey.problem.code == "offline"
    assert env.devices.a4_jobs == []


def test_offline_kiosk_does_not_ask(env):
    journey = found(PropertyLookup, env)
    env.online = lambda: False
    journey.print_certificate()
    assert journey.state == "certificate_failed" and env.gateway.certificates == []


def test_gateway_refusal_carries_its_own_citizen_words(env):
    refusal = GatewayRefused("no_record", "nothing to certify", status=404)
    refusal.citizen_zh, refusal.citizen_en = "未查询到可出具证明的记录。", "There is no record to certify."
    env.gateway.certificate_error = refusal
    journey = found(PropertyLookup, env)
    journey.print_certificate()
    assert journey.state == "certificate_failed"
    assert journey.problem.what_zh == "未查询到可出具证明的记录。"


def test_without_ems_mailing_the_next_step_names_only_the_phone(env):
    env.ems_mailing = False
    env.devices.a4_ready = False
    journey = found(PropertyLookup, env)
    journey.print_certificate()
    assert "邮寄" not in journey.problem.next_zh


def test_an_answer_after_the_citizen_left_changes_nothing(env):
    journey = found(PropertyLookup, env)
    journey.print_certificate()
    progress, finished = env.devices.a4_job
    journey.finish()
    progress(1, 2)
    finished(PrintOutcome.done())
    assert journey.state == "finished" and journey.certificate is None
