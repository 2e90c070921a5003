"""systemd's status line: what it says in each state, and that it is sent only when it changes."""

from __future__ import annotations

from kiosk.shell.context import OutOfOrder
from kiosk.shell.service_status import ServiceStatus, describe


def test_the_line_follows_the_kiosk_and_is_sent_on_change_only(kiosk) -> None:
    context = kiosk.context
    sent: list[str] = []
    status = ServiceStatus(context, send=lambda line: sent.append(line) or True)
    status.update()
    status.update()
    assert sent == ["ready: kiosk XM-HALL-001, gateway online, devices ok"]
    context.set_online(False)
    context.set_alert("device:printer", "打印机暂时无法使用", "The printer is out of order")
    context.set_alert("announcement:1", "今日闭馆", "Closed today")  # not a device: not in the line
    assert sent[-2:] == ["ready: kiosk XM-HALL-001, gateway offline, devices ok",
                         "ready: kiosk XM-HALL-001, gateway offline, devices fault (printer)"]
    context.set_maintenance(True)
    assert sent[-1] == "out of service: technician maintenance"
    context.set_maintenance(False)
    status.set_healthy(False)
    assert sent[-1] == "unhealthy: watchdog keep-alives withheld"
    status.hold("stopping")
    context.set_online(True)
    assert sent[-1] == "stopping"
    assert all(a != b for a, b in zip(sent, sent[1:], strict=False))


def test_out_of_order_names_the_reason_and_the_demo_says_so(kiosk) -> None:
    context = kiosk.context
    context.demo = True
    assert describe(context) == "ready: kiosk XM-HALL-001 (DEMO configuration), gateway online, devices ok"
    context.set_out_of_order(OutOfOrder("本机尚未配置", "This kiosk is not configured",
                                        "this kiosk is not configured (/etc/kiosk/kiosk.toml: file not found)"))
    assert describe(context) == "out of service: this kiosk is not configured (/etc/kiosk/kiosk.toml: file not found)"
    assert kiosk.window.current_name == "out_of_service"
    screen = kiosk.window.screens["out_of_service"]
    assert "本机尚未配置" in screen.explain.text()
