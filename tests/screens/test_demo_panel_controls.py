"""The demo panel calls its controller and shows the last receipt; it never touches a device."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import Qt

from screens.demo_panel import DemoPanel


class StandInController:
    """Records what the panel asked for, like the real kiosk.hardware.demo_devices.DemoDevices would do it."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.plugs = {"idcard": True, "printer": True, "scanner": None}
        self.receipts = 0

    def citizens(self):
        return [("elderly", "林秀英"), ("young", "王晓明")]

    def scan_samples(self):
        return {"预约码 appointment": "YY202611250001", "乱码 junk": "junk"}

    def place_card(self, key):
        self.calls.append(("place", key))
        return True

    def lift_card(self):
        self.calls.append(("lift",))
        return True

    def scan(self, text):
        self.calls.append(("scan", text))
        return True

    def paper_out(self):
        self.calls.append(("paper_out",))
        return False

    def paper_near_end(self):
        return True

    def refill_paper(self):
        return True

    def open_cover(self):
        self.calls.append(("open_cover",))
        return True

    def close_cover(self):
        return True

    def plugged(self, name):
        return self.plugs[name]

    def unplug(self, name):
        self.calls.append(("unplug", name))
        self.plugs[name] = False
        return True

    def replug(self, name):
        self.calls.append(("replug", name))
        self.plugs[name] = True
        return True

    def paper_state(self):
        return "纸正常 paper ok"

    def receipts_printed(self):
        return self.receipts

    def last_receipt_png(self):
        out = io.BytesIO()
        Image.new("RGB", (576, 300), "white").save(out, format="PNG")
        return out.getvalue()

    a4_pages = 0

    def a4(self, action):
        self.calls.append(("a4", action))
        return True

    def a4_toner_low(self, low=True):
        self.calls.append(("a4_toner_low", low))
        return True

    def a4_state(self):
        return "ready · 500 sheets"

    def a4_pages_printed(self):
        return self.a4_pages

    def last_a4_page_png(self):
        out = io.BytesIO()
        Image.new("RGB", (496, 702), "white").save(out, format="PNG")
        return out.getvalue()


def test_buttons_call_the_controller(qtbot) -> None:
    controller = StandInController()
    panel = DemoPanel(controller, refresh_ms=50)
    qtbot.addWidget(panel)
    panel.citizen.setCurrentIndex(1)
    qtbot.mouseClick(panel.place_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.lift_button, Qt.MouseButton.LeftButton)
    panel.sample.setCurrentIndex(1)
    qtbot.mouseClick(panel.scan_button, Qt.MouseButton.LeftButton)
    panel.custom.setText("3502002611000001")
    qtbot.mouseClick(panel.custom_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.paper_buttons["open_cover"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.paper_buttons["paper_out"], Qt.MouseButton.LeftButton)
    assert controller.calls == [
        ("place", "young"), ("lift",), ("scan", "junk"), ("scan", "3502002611000001"), ("open_cover",), ("paper_out",),
    ]  # fmt: skip
    assert "not a simulated device" in panel.status.text()  # paper_out answered False


def test_plug_buttons_toggle_and_disable_for_real_devices(qtbot) -> None:
    controller = StandInController()
    panel = DemoPanel(controller, refresh_ms=50)
    qtbot.addWidget(panel)
    assert not panel._plug_buttons["scanner"].isEnabled()
    qtbot.mouseClick(panel._plug_buttons["printer"], Qt.MouseButton.LeftButton)
    assert controller.plugs["printer"] is False and "unplugged" in panel._plug_buttons["printer"].text()
    qtbot.mouseClick(panel._plug_buttons["printer"], Qt.MouseButton.LeftButton)
    assert controller.calls[-2:] == [("unplug", "printer"), ("replug", "printer")]


def test_new_receipt_appears(qtbot) -> None:
    controller = StandInController()
    panel = DemoPanel(controller, refresh_ms=20)
    qtbot.addWidget(panel)
    assert panel.receipt.pixmap().isNull()
    controller.receipts = 1
    qtbot.waitUntil(lambda: not panel.receipt.pixmap().isNull(), timeout=2000)
    assert panel.receipt.pixmap().width() == 360


def test_a4_printer_faults_and_the_last_page(qtbot) -> None:
    controller = StandInController()
    panel = DemoPanel(controller, refresh_ms=20)
    qtbot.addWidget(panel)
    for action in ("a4_paper_out_mid_job", "a4_jam", "a4_open_door", "a4_offline"):
        qtbot.mouseClick(panel.a4_buttons[action], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.a4_toner, Qt.MouseButton.LeftButton)
    assert controller.calls == [("a4", "a4_paper_out_mid_job"), ("a4", "a4_jam"), ("a4", "a4_open_door"),
                                ("a4", "a4_offline"), ("a4_toner_low", True)]
    assert panel.a4_label.text() == "ready · 500 sheets"
    assert panel.a4_page.pixmap().isNull()
    controller.a4_pages = 1
    qtbot.waitUntil(lambda: not panel.a4_page.pixmap().isNull(), timeout=3000)
    assert panel.a4_page.pixmap().width() == 360
