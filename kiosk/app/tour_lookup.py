"""The tour of the three lookup screens: every state, with the demo citizens' sample answers.

No network, no devices: the journey runs on the sample environment of kiosk/journeys/lookup_samples.py
and the screen follows it (:meth:`screens.lookup.LookupScreen.follow`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.host import JourneyHost
from kiosk.journeys.lookup import LookupJourney
from kiosk.journeys.lookup_samples import (
    SampleCalls,
    SampleDevices,
    SampleOutbox,
    SampleUnreachable,
    sample_card,
    sample_environment,
)
from kiosk.journeys.lookups import LOOKUPS
from screens.lookup import LookupScreen


def walk_lookup(screen: LookupScreen) -> Iterator[str]:
    """Every state of ``screen``'s lookup; yields each state's name once the screen shows it."""
    host: JourneyHost = screen.host
    screen.deactivate()  # the tour drives a sample journey in place of the registered one
    env = sample_environment(host.environment())
    calls = env.calls
    devices, outbox = env.devices, env.outbox
    assert isinstance(calls, SampleCalls) and isinstance(devices, SampleDevices) and isinstance(outbox, SampleOutbox)
    journey_class = LOOKUPS[screen.journey_name]

    def begin() -> LookupJourney:
        journey = journey_class(env)
        screen.follow(journey)
        return journey

    full = "young" if screen.journey_name == "social_security" else "elderly"
    journey = begin()
    screen.art.freeze(0.3)
    yield "waiting"
    journey.remind()
    yield "reminder"
    screen.art.freeze(0.8)
    journey.on_card_reading()
    yield "reading"
    journey.on_card_removed()
    yield "lifted"
    journey.retry()
    journey.on_card_error(_TourReadError())
    yield "read_failed"
    journey.on_card(sample_card("expired"))
    yield "refused"
    if screen.journey_name == "population":
        journey.on_card(sample_card("hk"))
        yield "unsupported"
    journey.retry()
    calls.hold = True
    journey.on_card(sample_card(full))
    yield "querying"
    calls.release()
    yield "results"
    if len(journey.pages()) > 1:
        journey.next_page()
        yield "results-page2"
    journey.show_choices()
    yield "choices"
    yield from _certificate(journey, calls, devices)
    devices.printable = False
    journey.show_choices()
    yield "choices-no-printer"
    journey.print_result()
    yield "print_unavailable"
    devices.printable, devices.hold = True, True
    journey.print_result()
    yield "printing"
    devices.hold = False
    devices.pending.pop()(PrintOutcome.done())
    yield "printed"
    devices.fail = True
    journey.print_result()
    yield "print_failed"
    journey.show_phone_qr()
    yield "phone_consent"
    journey.agree_phone()
    yield "phone_qr"
    journey.start_mailing()
    yield "mail_confirm"
    journey.confirm_address()
    yield "mail_phone"
    screen.keypad.set_value("1381234")
    journey.submit_phone(screen.keypad.value)
    yield "mail_phone-bad"
    screen.keypad.set_value("13812345678")
    screen.refresh()
    yield "mail_phone-typed"
    calls.hold = True
    journey.submit_phone(screen.keypad.value)
    yield "mail_sending"
    calls.release()
    yield "mail_queued"
    outbox.fail = True
    journey.show_choices()
    journey.start_mailing()
    journey.confirm_address()
    journey.submit_phone("13812345678")
    yield "mail_failed"

    journey = begin()
    journey.on_card(sample_card("hk"))
    if journey.state == "results":
        journey.start_mailing()
        yield "mail_unavailable"
    journey = begin()
    journey.on_card(sample_card("foreigner"))
    yield "no_record"
    journey = begin()
    env.gateway.error = SampleUnreachable("sample: network down")
    journey.on_card(sample_card("elderly"))
    yield "offline"
    env.gateway.error = _TourGatewayError("sample: 503")
    journey.retry()
    yield "failed"
    env.gateway.error = None
    journey.cancel()
    screen.deactivate()
    screen.art.frozen = False
    screen.clear_personal()

def _certificate(journey: LookupJourney, calls: SampleCalls, devices: SampleDevices) -> Iterator[str]:
    """The certificate on A4: issued, printed page by page, taken; then a printer stopping and one not ready."""
    from devices.a4printer.driver import A4PrintInterrupted

    calls.hold = True
    journey.print_certificate()
    yield "certificate_fetching"
    calls.release()
    yield "certificate_printing"
    progress, done = devices.a4_pending.pop()
    progress(1, 2)
    yield "certificate_printing-page2"
    progress(2, 2)
    done(PrintOutcome.done())
    yield "certificate_printed"
    journey.show_choices()
    journey.print_certificate()
    progress, done = devices.a4_pending.pop()
    progress(1, 2)
    done(PrintOutcome.failed(A4PrintInterrupted("paper out", 1)))
    yield "certificate_failed"
    devices.a4_printable = False
    journey.show_choices()
    yield "choices-no-a4"
    journey.print_certificate()
    yield "certificate_unavailable"
    devices.a4_printable = True
    journey.show_choices()


class _TourReadError(RuntimeError):
    def citizen_message(self, language: str = "zh") -> str:
        return ("读卡失败，请将身份证平放在感应区，不要移动。" if language == "zh"
                else "The card could not be read. Please lay it flat on the reader and keep it still.")


class _TourGatewayError(RuntimeError):
    def citizen_message(self, language: str = "zh") -> str:
        return "查询系统繁忙，请稍后再试。" if language == "zh" else "The lookup system is busy. Please try again later."
