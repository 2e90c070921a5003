"""Every part of a configuration bundle takes effect on a running kiosk, between citizens, without a
restart; a later bundle that leaves the part out gives the kiosk's own default back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from kiosk.fleet.bundle_updates import BundleUpdates
from kiosk.fleet.config_updates import BundleStore
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import HALL_ZONE, SettableClock, SystemClock
from screens.theme import ELDERLY, NORMAL, px

KEY = Ed25519PrivateKey.generate()
WEDNESDAY_0859 = datetime(2026, 11, 25, 8, 59, 30, tzinfo=HALL_ZONE)

ANNOUNCEMENTS = """
[[announcements]]
id = "lift-works"
text_zh = "9点起东侧电梯检修，请使用西侧电梯。"
text_en = "From 9:00 the east lift is under repair; please use the west lift."
from = 2026-11-25T09:00:00+08:00
until = 2026-11-25T12:00:00+08:00

[[announcements]]
id = "all-week"
text_zh = "本周六大厅正常开放。"
text_en = "The hall is open this Saturday."
from = 2026-11-23T00:00:00+08:00
until = 2026-11-30T00:00:00+08:00
level = "warning"
"""

SETTINGS = """
theme = "high-contrast"

[timeouts]
payment_timeout_s = 120

[receipts]
header_zh = ["厦门市行政服务中心", "第三自助区"]
header_en = ["Self-service zone 3"]
footer_zh = ["谢谢使用"]
footer_en = ["Thank you"]

[features]
payment = false
ems_mailing = false
"""


class Gateway:
    def __init__(self) -> None:
        self.offer: bytes | None = None

    def fetch(self, group: str, installed: int) -> bytes | None:
        return self.offer

    def report(self, body: dict) -> None:
        pass


def signed(version: int, files: dict[str, str]) -> bytes:
    issued = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    made, _ = build(files, version=version, issued_at=issued, expires_at=issued + timedelta(days=30), groups=["*"])
    return made.signed_with(KEY).to_bytes()


@pytest.fixture
def live(kiosk):
    """The demo kiosk on a Wednesday just before nine, with the availability engine and bundle updates."""
    from kiosk.app import startup

    clock = SettableClock(WEDNESDAY_0859)
    kiosk.context.services.clock = clock
    kiosk.context.services.calls = ImmediateCalls()
    startup.start_availability(kiosk)
    # the store checks issue and expiry times on the machine's clock; the hall clock stands still
    store = BundleStore(kiosk.context.settings.state_dir, [public_key_text(KEY.public_key())], "canary",
                        SystemClock())
    gateway = Gateway()
    updates = BundleUpdates(kiosk.context, store, fetch=gateway.fetch, report=gateway.report,
                            render=kiosk.window.grab, runtime=kiosk, poll_s=3600, parent=kiosk.window)
    kiosk.clock, kiosk.updates, kiosk.gateway = clock, updates, gateway
    return kiosk


def apply(live, version: int, files: dict[str, str]) -> None:
    if live.context.sessions.active:
        live.context.sessions.end("finish")  # bundles apply between citizens
    live.gateway.offer = signed(version, files)
    live.updates.check_now()
    assert live.updates.store.installed_version == version, "the bundle was not put in force"


def service(live, journey: str):
    return live.context.catalogue.by_journey(journey)[0]


def badge_texts(tile) -> list[str]:
    return [text for text, _role in tile.badges]


# --- announcements ---------------------------------------------------------------------------------


def test_announcements_follow_the_bundle_the_clock_and_the_language(live, qtbot):
    from kiosk.shell import i18n

    strip = live.window.announcements
    assert strip.isHidden()
    apply(live, 2, {"announcements.toml": ANNOUNCEMENTS})
    assert strip.isVisible() and strip.texts_on_show() == ["本周六大厅正常开放。"]
    assert not strip.count.isVisible()  # one announcement: no "1/2"
    assert strip.mark.isVisible()  # a warning carries the accent bar

    # 09:00 comes: the hall clock is asked again within the minute
    assert strip._minute.isActive() and strip._minute.interval() <= 60_000
    live.clock.set(datetime(2026, 11, 25, 9, 0, 20, tzinfo=HALL_ZONE))
    strip._minute.timeout.emit()
    assert strip.texts_on_show() == ["9点起东侧电梯检修，请使用西侧电梯。", "本周六大厅正常开放。"]
    assert strip.text.text() == "9点起东侧电梯检修，请使用西侧电梯。" and strip.count.text() == "1/2"
    assert not strip.mark.isVisible()
    strip._turn_timer.timeout.emit()  # they take turns
    assert strip.text.text() == "本周六大厅正常开放。" and strip.count.text() == "2/2"

    live.context.set_language("en")
    assert strip.texts_on_show() == ["From 9:00 the east lift is under repair; please use the west lift.",
                                     "The hall is open this Saturday."]
    assert strip.text.text() in strip.texts_on_show()
    i18n.set_language("zh")

    live.clock.set(datetime(2026, 11, 25, 12, 0, 30, tzinfo=HALL_ZONE))  # the repair notice ends at 12:00
    strip._minute.timeout.emit()
    assert strip.texts_on_show() == ["本周六大厅正常开放。"] and not strip.count.isVisible()

    apply(live, 3, {"settings.toml": 'theme = "standard"\n'})  # no announcements.toml: none at all
    assert strip.isHidden() and strip.texts_on_show() == []


def test_the_strip_is_the_calm_notice_look_not_the_alarm_banner(live):
    apply(live, 2, {"announcements.toml": ANNOUNCEMENTS})
    strip = live.window.announcements
    text = strip.text.palette().windowText().color().name().upper()
    assert text == NORMAL.on_notice.upper()
    assert live.window.banner.isHidden()  # the fault banner stays for faults
    background = strip.palette().window().color().name().upper()
    assert background == NORMAL.notice.upper() != NORMAL.danger.upper()


def test_a_long_announcement_is_paged_and_never_pushes_the_home_buttons_off_screen(live, qtbot):
    long_zh = ("因系统升级，社保、不动产和户籍查询将于本周六暂停，" * 10)[:200]
    long_en = ("Because of a system upgrade, social security, property and household lookups pause. " * 6)[:400]
    files = {"announcements.toml": f'''
[[announcements]]
id = "upgrade"
text_zh = "{long_zh}"
text_en = "{long_en}"
from = 2026-11-20T00:00:00+08:00
until = 2026-12-20T00:00:00+08:00
'''}
    apply(live, 2, files)
    live.context.set_elderly(True)
    strip = live.window.announcements
    qtbot.waitUntil(lambda: strip.text.height() > 0)
    pages = strip.texts_on_show()
    assert len(pages) > 1 and "".join(pages) == long_zh  # cut at line ends, nothing lost
    for page in pages:
        strip.text.setText(page)
        assert strip.text.heightForWidth(strip.text.width()) <= 230, page
    home = live.window.screen_named("home")
    window_bottom = live.window.height()
    for tile in home.tiles.values():
        if tile.isVisible():
            bottom = tile.mapTo(live.window, tile.rect().bottomLeft()).y()
            assert bottom <= window_bottom and tile.height() >= 96
    live.context.set_elderly(False)


# --- theme -----------------------------------------------------------------------------------------


def test_high_contrast_theme_restyles_the_window_and_a_later_bundle_restores_the_standard(live):
    window = live.window
    home = window.screen_named("home")
    size = home.greeting.fontInfo().pixelSize()
    assert NORMAL.primary in window.header.styleSheet()
    apply(live, 2, {"settings.toml": 'theme = "high-contrast"\n'})
    assert ELDERLY.primary in window.header.styleSheet() and NORMAL.primary not in window.header.styleSheet()
    assert ELDERLY.primary in home.styleSheet()
    assert home.greeting.fontInfo().pixelSize() == size  # the elderly palette at the normal type size
    assert window.header.palette().window().color().name().upper() == ELDERLY.primary.upper()

    live.context.set_elderly(True)  # elderly mode on top keeps its palette and its sizes
    assert home.greeting.fontInfo().pixelSize() >= 1.4 * size - 1
    assert f"font-size: {px(30, True)}px" in window.header.styleSheet()
    live.context.set_elderly(False)
    assert ELDERLY.primary in window.header.styleSheet()  # still high contrast

    apply(live, 3, {"announcements.toml": ANNOUNCEMENTS})  # no theme: the standard look again
    assert NORMAL.primary in window.header.styleSheet() and ELDERLY.primary not in window.header.styleSheet()


# --- features --------------------------------------------------------------------------------------


def test_payment_switched_off_is_not_offered_and_comes_back_with_a_later_bundle(live, qtbot):
    window = live.window
    fee = service(live, "payment")
    assert live.context.offer(fee).available
    apply(live, 2, {"settings.toml": "[features]\npayment = false\n"})
    offer = live.context.offer(fee)
    assert not offer.available and offer.reason_zh == "本机暂不提供此服务" and offer.reason_en == "Not offered at this kiosk"
    tile = window.screen_named("home").tiles["payment"]
    qtbot.waitUntil(lambda: "本机暂不提供此服务" in badge_texts(tile))  # new badges show on the next turn of the loop
    window.start_service(fee)
    assert window.current_name == "unavailable"
    assert window.screen_named("unavailable").reason.text() == "本机暂不提供此服务"
    assert live.context.offer(service(live, "queue_ticket")).available  # only the payment journey
    window.home()

    apply(live, 3, {"settings.toml": "[features]\npayment = true\n"})
    assert live.context.offer(fee).available
    qtbot.waitUntil(lambda: "本机暂不提供此服务" not in badge_texts(tile) and "24小时" in badge_texts(tile))
    apply(live, 4, {"settings.toml": "[features]\npayment = false\n"})
    apply(live, 5, {"settings.toml": 'theme = "standard"\n'})  # [features] left out: the default, offered
    assert live.context.offer(fee).available


def test_not_offered_wins_over_closed_hours(live):
    live.clock.set(datetime(2026, 11, 25, 23, 0, tzinfo=HALL_ZONE))
    apply(live, 2, {"settings.toml": "[features]\npayment = false\n"})
    assert live.context.offer(service(live, "payment")).reason_en == "Not offered at this kiosk"


def test_ems_mailing_switch_reaches_the_lookup_journey(live):
    from lookup_fakes import TODAY, FakeDevices, FakeGateway, FakeOutbox, demo_card

    from kiosk.journeys.lookups import PropertyLookup

    host = live.context.services.journeys

    def lookup() -> PropertyLookup:
        env = host.environment()
        env.gateway, env.devices, env.outbox, env.calls = FakeGateway(TODAY), FakeDevices(), FakeOutbox(), ImmediateCalls()
        journey = PropertyLookup(env)
        journey.start()
        journey.on_card(demo_card("elderly"))
        return journey

    assert lookup().can_mail()
    apply(live, 2, {"settings.toml": "[features]\nems_mailing = false\n"})
    journey = lookup()
    assert not journey.can_mail()
    journey.start_mailing()
    assert journey.state != "mail_confirm"
    journey.env.devices.printable = False
    journey.print_result()
    assert "mailed" not in journey.problem.next_en and "邮寄" not in journey.problem.next_zh
    apply(live, 3, {"settings.toml": "[features]\nems_mailing = true\n"})
    journey = lookup()
    journey.start_mailing()
    assert journey.state == "mail_confirm"


# --- timeouts and receipts ---------------------------------------------------------------------------


def test_payment_timeout_and_receipt_lines_reach_the_next_journey(live):
    host = live.context.services.journeys
    local = live.context.settings.session.payment_timeout_s
    assert host.environment().settings.session.payment_timeout_s == local
    assert host.environment().receipt_header == ()
    apply(live, 2, {"settings.toml": SETTINGS})
    env = host.environment()
    assert env.settings.session.payment_timeout_s == 120
    assert env.settings.session.idle_timeout_s == live.context.settings.session.idle_timeout_s
    assert env.receipt_header == ("厦门市行政服务中心", "第三自助区", "Self-service zone 3")
    assert env.receipt_footer == ("谢谢使用", "Thank you")
    assert env.ems_mailing is False

    from contract.payments import Order
    from kiosk.journeys.payment import FeePaymentJourney

    payment = FeePaymentJourney(env)
    payment._order_opened(("key-1", Order(
        order_id="O-1", notice_number="3502001234567890", item_zh="机动车驾驶证工本费", amount_fen=1000,
        status="open", created_at="2026-11-25T08:59:00+08:00", expires_at="2026-11-25T09:30:00+08:00",
        pay_url="https://pay.example/O-1")))
    assert payment.state == "awaiting_payment"
    assert payment.deadline - live.clock.now() == timedelta(seconds=120)  # the bundle's, not the local 300

    apply(live, 3, {"announcements.toml": ANNOUNCEMENTS})  # nothing about receipts or timeouts
    env = host.environment()
    assert env.settings.session.payment_timeout_s == local
    assert env.receipt_header == () and env.receipt_footer == () and env.ems_mailing is True
