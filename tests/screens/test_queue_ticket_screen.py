"""The queue-ticket screen driven by taps: tiles, green channel, QR fallback, idle wipe, on to the rating."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))  # the shared fakes live beside the journey tests
from queue_fakes import FakeDevices, FakeQueueGateway, card  # noqa: E402

ELDERLY_NAME, ELDERLY_ID = "林秀英", "350203194803120021"


@pytest.fixture
def queue(kiosk):
    gateway, devices = FakeQueueGateway(), FakeDevices()
    kiosk.context.services.gateway = gateway
    kiosk.context.services.devices = devices
    kiosk.window.go("queue_ticket")
    screen = kiosk.window.screen_named("queue_ticket")
    return kiosk, screen, gateway, devices


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text() if hasattr(widget, "text") else widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def visible_texts(window) -> str:
    widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
    return "\n".join(w.text() for w in widgets if w.isVisibleTo(window))


def all_texts(window) -> str:
    return "\n".join(w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton))


def test_home_tile_to_printed_ticket_then_rating(queue, qtbot):
    kiosk, screen, gateway, devices = queue
    assert screen.journey.state == "choose"
    tap(qtbot, screen._tiles[0])
    assert screen.journey.state == "confirm" and screen.heading.text() == "社会保障卡申领"
    tap(qtbot, screen.take)
    qtbot.waitUntil(lambda: screen.journey is not None and screen.journey.state == "issued", timeout=3000)
    assert screen.number.text() == "A001"
    assert screen.qr.property("qr_payload") == screen.journey.ticket.status_url
    assert "前面还有 3 人" in screen.ticket_facts.text()
    assert len(devices.printed) == 1 and len(gateway.tickets) == 1
    tap(qtbot, screen.done)
    assert kiosk.window.current_name == "feedback"
    assert kiosk.window.screen_named("feedback").journey.service.id == "ss-card-apply"


def test_by_department_and_back_steps(queue, qtbot):
    kiosk, screen, _, _ = queue
    tap(qtbot, screen.by_department)
    assert screen.journey.state == "departments"
    first = screen.department_list.content.findChildren(QAbstractButton)[0]
    tap(qtbot, first)
    assert screen.journey.state == "services"
    kiosk.window.back()
    assert kiosk.window.current_name == "queue_ticket" and screen.journey.state == "departments"


def test_printer_down_is_said_first_and_ticket_is_a_big_qr(queue, qtbot):
    kiosk, screen, gateway, devices = queue
    devices.printable = False
    tap(qtbot, screen._tiles[1])
    tap(qtbot, screen.take)
    assert screen.journey.state == "no_printer" and not gateway.calls
    tap(qtbot, screen.go_on)
    qtbot.waitUntil(lambda: screen.journey.state == "issued_qr", timeout=3000)
    assert screen.qr.property("qr_payload") == screen.journey.ticket.status_url
    assert screen.qr.pixmap().width() >= 380 and "二维码" in screen.ticket_message.text()
    assert not devices.printed


def test_elderly_card_gets_the_green_channel_offer(queue, qtbot):
    kiosk, screen, gateway, _ = queue
    screen.journey.on_card(card("elderly"))
    assert "林**" in screen.note.text() and ELDERLY_NAME not in visible_texts(kiosk.window)
    tap(qtbot, screen._tiles[0])
    tap(qtbot, screen.take)
    assert screen.journey.state == "priority" and "65" in screen.priority_text.text()
    assert screen.reason_buttons["elderly"].property("role") == "primary"
    tap(qtbot, screen.reason_buttons["elderly"])
    qtbot.waitUntil(lambda: screen.journey.state == "issued", timeout=3000)
    assert gateway.calls[0][0].priority_reason == "elderly"
    assert "绿色通道" in screen.ticket_facts.text()


def test_offline_and_gateway_error_pages_have_a_way_on(queue, qtbot):
    kiosk, screen, gateway, _ = queue
    from queue_fakes import GatewayRefusal

    gateway.fail_next.append(GatewayRefusal(500, "internal_error"))
    tap(qtbot, screen._tiles[0])
    tap(qtbot, screen.take)
    qtbot.waitUntil(lambda: screen.journey.state == "gateway_error", timeout=3000)
    assert screen.problem_primary.text() == "重试" and "人工服务台" in screen.problem_next.text()
    tap(qtbot, screen.problem_primary)
    qtbot.waitUntil(lambda: screen.journey.state == "issued", timeout=3000)
    assert gateway.calls[0][1] == gateway.calls[1][1]
    kiosk.context.set_online(False)
    kiosk.window.home()
    kiosk.window.go("queue_ticket")
    assert screen.journey.state == "offline" and "人工服务台" in screen.problem_next.text()


@pytest.mark.parametrize("state", ["choose", "confirm", "priority", "no_printer", "issued", "card_error"])
def test_idle_timeout_leaves_nothing_personal(queue, qtbot, state):
    kiosk, screen, _, devices = queue
    journey = screen.journey
    journey.on_card(card("elderly"))
    if state != "choose":
        journey.choose_service("ss-card-apply")
    if state in ("priority", "no_printer", "issued"):
        devices.printable = state != "no_printer"
        journey.take_number()
    if state in ("no_printer", "issued"):
        journey.choose_priority("elderly")
    if state == "card_error":
        journey.on_card(card("elderly", valid_to=__import__("datetime").date(2020, 1, 1)))
    qtbot.waitUntil(lambda: journey.state == state, timeout=3000)
    assert "林**" in all_texts(kiosk.window) or state in ("card_error", "issued", "priority", "no_printer")
    kiosk.context.sessions.end("idle")
    texts = all_texts(kiosk.window)
    assert kiosk.window.current_name == "home"
    assert ELDERLY_NAME not in texts and ELDERLY_ID not in texts and "林**" not in texts
    assert journey.id_number is None and journey.finished
    assert kiosk.context.sessions.active is False
