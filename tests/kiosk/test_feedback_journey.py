"""The end-of-journey rating: outbox first, gateway otherwise, never blocking, skippable."""

from __future__ import annotations

import pytest
from queue_fakes import FakeQueueGateway

from config.catalogue import load_default_catalogue
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.feedback import COMMENT_CHIPS, GENERAL_SERVICE_ID, FeedbackJourney
from kiosk.shell.session import CitizenSession
from offline_cache.store import open_store


class HeldCalls:
    """Keeps submitted work until run(): proves the citizen is thanked before delivery happens."""

    def __init__(self) -> None:
        self.work = []

    def submit(self, fn, on_done, on_error=None):
        self.work.append((fn, on_done, on_error))

    def run(self):
        for fn, on_done, on_error in self.work:
            try:
                on_done(fn())
            except Exception as exc:
                on_error(exc)
        self.work.clear()


@pytest.fixture
def outbox(tmp_path):
    from offline_cache.outbox import Outbox

    store = open_store(tmp_path / "state")
    yield Outbox(store)
    store.close()


def build(demo_settings, service_id="ss-card-apply", **env):
    catalogue = load_default_catalogue()
    calls = env.pop("calls", HeldCalls())
    journey = FeedbackJourney(JourneyEnv(settings=demo_settings, catalogue=catalogue, session=CitizenSession(),
                                         calls=calls, **env),
                              catalogue.service(service_id) if service_id else None)
    journey.start()
    return journey, calls


def test_rating_goes_to_the_outbox_with_a_key_and_thanks_at_once(demo_settings, outbox):
    journey, calls = build(demo_settings, outbox=outbox, gateway=FakeQueueGateway())
    assert journey.state == "rate"
    journey.submit()  # nothing chosen yet: nothing happens
    assert journey.state == "rate"
    journey.rate(4)
    journey.toggle_comment("等待太久")
    journey.toggle_comment("办理快")
    journey.toggle_comment("等待太久")
    journey.toggle_comment("指引清楚")
    journey.submit()
    assert journey.state == "thanks" and not outbox.entries()  # thanked before anything is written
    calls.run()
    [entry] = outbox.entries()
    assert entry.kind == "feedback" and entry.idempotency_key == journey.idempotency_key
    assert entry.payload == {"service_id": "ss-card-apply", "rating": 4, "comment": "办理快；指引清楚"}
    journey.submit()  # a second tap records nothing more
    calls.run()
    assert len(outbox.entries()) == 1


def test_without_outbox_it_goes_straight_to_the_gateway(demo_settings):
    gateway = FakeQueueGateway()
    journey, calls = build(demo_settings, gateway=gateway)
    journey.rate(5)
    journey.submit()
    calls.run()
    [(request, key)] = gateway.feedback
    assert request.rating == 5 and request.service_id == "ss-card-apply" and key == journey.idempotency_key
    assert journey.delivery == "gateway"


def test_delivery_failure_never_reaches_the_citizen(demo_settings, caplog):
    class Broken:
        def send_feedback(self, request, idempotency_key=None):
            raise ConnectionError("down")

    journey, calls = build(demo_settings, gateway=Broken())
    journey.rate(1)
    journey.toggle_comment("设备有故障")
    journey.submit()
    calls.run()
    assert journey.state == "thanks" and "rating not delivered" in caplog.text


def test_nothing_to_send_to_still_thanks(demo_settings):
    journey, calls = build(demo_settings)
    journey.rate(3)
    journey.submit()
    assert journey.state == "thanks" and journey.delivery == "" and not calls.work


def test_skip_and_bad_input(demo_settings, outbox):
    journey, calls = build(demo_settings, service_id=None, outbox=outbox)
    assert journey.service_id == GENERAL_SERVICE_ID
    with pytest.raises(ValueError, match="1 to 5"):
        journey.rate(6)
    with pytest.raises(ValueError, match="preset"):
        journey.toggle_comment("随便写的")
    assert journey.rating is None and journey.comments == []
    journey.skip()
    assert journey.state == "skipped"
    journey.rate(5)
    journey.submit()
    calls.run()
    assert not outbox.entries() and journey.rating is None


def test_every_chip_fits_the_contract(demo_settings):
    journey, _ = build(demo_settings)
    journey.rate(2)
    for chip in COMMENT_CHIPS:
        journey.toggle_comment(chip)
    assert len(journey.payload()["comment"]) <= 500


@pytest.mark.parametrize("stars", [1, 2])
def test_a_low_rating_is_sent_only_with_a_reason(demo_settings, outbox, stars):
    from kiosk.journeys.feedback import REASON_CHIPS

    journey, calls = build(demo_settings, outbox=outbox)
    journey.rate(5)
    journey.toggle_comment("服务态度好")
    journey.rate(stars)  # lowered: praise does not stand for a reason
    assert journey.comments == [] and journey.needs_reason and journey.reason_chips == REASON_CHIPS
    journey.submit()
    calls.run()
    assert journey.state == "rate" and outbox.entries() == []
    journey.toggle_comment("等待太久")
    assert not journey.needs_reason
    journey.submit()
    calls.run()
    assert journey.state == "thanks"
    [entry] = outbox.entries()
    assert entry.payload["rating"] == stars and entry.payload["comment"] == "等待太久"


def test_a_praise_chip_is_no_reason_for_a_low_rating(demo_settings, outbox):
    journey, calls = build(demo_settings, outbox=outbox)
    journey.rate(1)
    with pytest.raises(ValueError, match="preset"):
        journey.toggle_comment("'; DROP TABLE feedback; --")
    journey.comments.append("服务态度好")  # even smuggled in, praise is not a reason
    journey.submit()
    calls.run()
    assert journey.needs_reason and outbox.entries() == []


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_a_fair_or_good_rating_needs_no_reason(demo_settings, outbox, stars):
    journey, calls = build(demo_settings, outbox=outbox)
    journey.rate(stars)
    assert not journey.needs_reason
    journey.submit()
    calls.run()
    assert journey.state == "thanks" and len(outbox.entries()) == 1


# --- the record number and a follow-up call ---------------------------------------------------


def test_the_rating_carries_the_sessions_record_number_and_a_phone_given_with_consent(demo_settings, outbox, caplog):
    catalogue = load_default_catalogue()
    session = CitizenSession()
    session.record_number = "A023"
    calls = HeldCalls()
    journey = FeedbackJourney(JourneyEnv(settings=demo_settings, catalogue=catalogue, session=session, calls=calls,
                                         outbox=outbox), catalogue.service("ss-card-apply"))
    journey.start()
    journey.rate(1)
    journey.toggle_comment("设备有故障")
    journey.ask_follow_up()
    assert journey.state == "follow_up"
    journey.save_phone("138 1234 1234")
    assert journey.state == "rate" and journey.phone_masked() == "138****1234"
    with caplog.at_level("INFO", logger="kiosk.journeys"):
        journey.submit()
    calls.run()
    [entry] = outbox.entries()
    assert entry.payload == {"service_id": "ss-card-apply", "rating": 1, "comment": "设备有故障", "record_number": "A023",
                             "follow_up_phone": "13812341234", "follow_up_consent": True}
    assert "13812341234" not in caplog.text and "138****1234" in caplog.text


@pytest.mark.parametrize("typed", ["", "1381234123", "138123412345", "23812341234", "12812341234", "abc",
                                   "<script>13812341234</script>x1"])
def test_junk_phone_numbers_are_refused_and_nothing_is_kept(demo_settings, typed):
    journey, _calls = build(demo_settings)
    journey.rate(2)
    journey.ask_follow_up()
    journey.save_phone(typed)
    assert journey.state == "follow_up" and journey.problem.code == "bad_phone"
    assert journey.follow_up_phone == "" and "follow_up_phone" not in journey.payload()


def test_dropping_the_follow_up_forgets_the_number(demo_settings):
    journey, _calls = build(demo_settings)
    journey.rate(2)
    journey.ask_follow_up()
    journey.save_phone("13912345678")
    journey.drop_follow_up()
    assert journey.state == "rate" and journey.follow_up_phone == ""
    assert "follow_up_consent" not in journey.payload()


def test_a_good_rating_has_no_follow_up_and_raising_the_rating_drops_the_number(demo_settings):
    journey, _calls = build(demo_settings)
    journey.rate(5)
    journey.ask_follow_up()
    assert journey.state == "rate" and not journey.can_follow_up
    journey.rate(1)
    journey.ask_follow_up()
    journey.save_phone("13912345678")
    journey.rate(4)
    assert journey.follow_up_phone == "" and "follow_up_phone" not in journey.payload()


def test_a_record_number_that_is_not_one_is_left_out(demo_settings):
    catalogue = load_default_catalogue()
    session = CitizenSession()
    session.record_number = "<b>A023</b>"
    journey = FeedbackJourney(JourneyEnv(settings=demo_settings, catalogue=catalogue, session=session,
                                         calls=HeldCalls()), catalogue.service("ss-card-apply"))
    assert journey.record_number == ""


def test_wiping_the_session_forgets_its_record_number():
    session = CitizenSession()
    session.record_number = "PO-1"
    session.wipe()
    assert session.record_number == ""
