"""The demo control panel, beside the kiosk window in demo mode only.

It lets a demonstrator place or lift a demo citizen's card, scan a sample code, take the paper out,
open the cover, unplug a device, and see the last printed receipt; for the A4 printer, paper out
(now or mid-job), a jam, the door, offline and toner low, and the last printed page. It talks only to the controller
it is given (kiosk/hardware/demo_devices.py), never to a device. Desktop sizes: this is not a citizen screen.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class DemoPanel(QWidget):
    """A small window of demo controls; ``controller`` is a ``kiosk.hardware.demo_devices.DemoDevices`` (or a stand-in)."""

    def __init__(self, controller: Any, parent: QWidget | None = None, *, refresh_ms: int = 700) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("demoPanel")
        self.setWindowTitle("演示控制台 Demo control panel")
        self.setWindowFlag(Qt.WindowType.Tool, True)
        self._receipts_seen = -1
        self._plug_buttons: dict[str, QPushButton] = {}
        self._a4_seen = -1
        self._a4_page: bytes | None = None  # rendered off the GUI thread, shown by the next refresh

        layout = QVBoxLayout(self)
        layout.addWidget(self._card_box())
        layout.addWidget(self._scan_box())
        layout.addWidget(self._printer_box())
        layout.addWidget(self._a4_box())
        layout.addWidget(self._plug_box())
        layout.addWidget(self._receipt_box(), stretch=1)
        layout.addWidget(self._a4_page_box(), stretch=1)
        self.status = QLabel("")
        self.status.setObjectName("demoStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        # polling keeps the panel free of device threads: it only reads counters and flags
        self._timer = QTimer(self)
        self._timer.setObjectName("demoPanelRefresh")
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.resize(420, 900)
        self.refresh()

    # --- sections -----------------------------------------------------------------------------------
    def _card_box(self) -> QGroupBox:
        box = QGroupBox("身份证 ID card")
        row = QHBoxLayout(box)
        self.citizen = QComboBox()
        self.citizen.setObjectName("demoCitizen")
        for key, label in self.controller.citizens():
            self.citizen.addItem(label, key)
        self.place_button = self._button("放卡 Place", self._place)
        self.lift_button = self._button("拿走 Lift", self._lift)
        row.addWidget(self.citizen, stretch=1)
        row.addWidget(self.place_button)
        row.addWidget(self.lift_button)
        return box

    def _scan_box(self) -> QGroupBox:
        box = QGroupBox("扫码 Scanner")
        grid = QGridLayout(box)
        self.sample = QComboBox()
        self.sample.setObjectName("demoSample")
        for label, text in self.controller.scan_samples().items():
            self.sample.addItem(label, text)
        self.scan_button = self._button("扫描 Scan", self._scan_sample)
        self.custom = QLineEdit()
        self.custom.setPlaceholderText("其他内容 any text")
        self.custom_button = self._button("扫描 Scan", self._scan_custom)
        grid.addWidget(self.sample, 0, 0)
        grid.addWidget(self.scan_button, 0, 1)
        grid.addWidget(self.custom, 1, 0)
        grid.addWidget(self.custom_button, 1, 1)
        return box

    def _printer_box(self) -> QGroupBox:
        box = QGroupBox("打印机 Printer")
        grid = QGridLayout(box)
        self.paper_label = QLabel("")
        self.paper_buttons = {
            "paper_out": self._button(
                "取出纸卷 Paper out", lambda: self._act(self.controller.paper_out, "paper out")
            ),
            "near_end": self._button(
                "纸将尽 Near end", lambda: self._act(self.controller.paper_near_end, "paper near end")
            ),
            "refill": self._button(
                "装纸 Refill", lambda: self._act(self.controller.refill_paper, "paper refilled")
            ),
            "open_cover": self._button(
                "开盖 Open cover", lambda: self._act(self.controller.open_cover, "cover open")
            ),
            "close_cover": self._button(
                "合盖 Close cover", lambda: self._act(self.controller.close_cover, "cover closed")
            ),
        }
        for index, button in enumerate(self.paper_buttons.values()):
            grid.addWidget(button, index // 2, index % 2)
        grid.addWidget(self.paper_label, 3, 0, 1, 2)
        return box

    def _a4_box(self) -> QGroupBox:
        box = QGroupBox("证明打印机 A4 printer")
        grid = QGridLayout(box)
        self.a4_label = QLabel("")
        self.a4_buttons = {}
        for index, (action, text) in enumerate((
            ("a4_paper_out", "缺纸 Paper out"), ("a4_paper_out_mid_job", "打印中缺纸 Out mid-job"),
            ("a4_load_paper", "装纸 Load paper"), ("a4_jam", "卡纸 Jam (next job)"),
            ("a4_clear_jam", "清除卡纸 Clear jam"), ("a4_open_door", "开门 Open door"),
            ("a4_close_door", "关门 Close door"), ("a4_offline", "离线 Offline"), ("a4_online", "在线 Online"),
        )):
            button = self._button(text, lambda checked=False, a=action, t=text: self._act(
                lambda: self.controller.a4(a), f"A4: {t}"))
            self.a4_buttons[action] = button
            grid.addWidget(button, index // 3, index % 3)
        self.a4_toner = self._button("墨粉低 Toner low", lambda checked=False: self._act(
            lambda: self.controller.a4_toner_low(checked), f"A4 toner {'low' if checked else 'ok'}"))
        self.a4_toner.setCheckable(True)
        grid.addWidget(self.a4_toner, 3, 0)
        grid.addWidget(self.a4_label, 3, 1, 1, 2)
        return box

    def _a4_page_box(self) -> QGroupBox:
        box, self.a4_page = _picture_box("最后证明页 Last A4 page", "demoA4Page")
        return box

    def _render_a4_page(self) -> None:
        """pdftoppm takes a moment: on a thread of its own, never the kiosk's GUI thread."""
        def render() -> None:
            self._a4_page = self.controller.last_a4_page_png()

        threading.Thread(target=render, name="demo-a4-page", daemon=True).start()

    def _plug_box(self) -> QGroupBox:
        box = QGroupBox("插拔 Plug")
        row = QHBoxLayout(box)
        for name, label in (("idcard", "读卡器"), ("printer", "打印机"), ("scanner", "扫码器")):
            button = self._button(label, lambda checked=False, name=name: self._toggle_plug(name))
            button.setCheckable(True)
            self._plug_buttons[name] = button
            row.addWidget(button)
        return box

    def _receipt_box(self) -> QGroupBox:
        box, self.receipt = _picture_box("最后凭条 Last receipt", "demoReceipt")
        return box

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    # --- actions --------------------------------------------------------------------------------------
    def _act(self, action: Any, done: str) -> None:
        ok = action()
        self.status.setText(done if ok else f"{done}: 设备不是模拟器 not a simulated device")
        self.refresh()

    def _place(self) -> None:
        key = self.citizen.currentData()
        self._act(lambda: self.controller.place_card(key), f"card placed: {self.citizen.currentText()}")

    def _lift(self) -> None:
        self._act(self.controller.lift_card, "card lifted")

    def _scan_sample(self) -> None:
        text = self.sample.currentData()
        self._act(lambda: self.controller.scan(text), f"scanned: {self.sample.currentText()}")

    def _scan_custom(self) -> None:
        text = self.custom.text()
        self._act(lambda: self.controller.scan(text), "scanned custom text")

    def _toggle_plug(self, name: str) -> None:
        if self.controller.plugged(name):
            self._act(lambda: self.controller.unplug(name), f"{name} unplugged")
        else:
            self._act(lambda: self.controller.replug(name), f"{name} plugged in")

    # --- refresh ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the simulators' flags and the receipt counter; redraw the receipt when a new one was cut."""
        for name, button in self._plug_buttons.items():
            plugged = self.controller.plugged(name)
            button.setEnabled(plugged is not None)
            button.setChecked(plugged is False)
            base = button.text().split(" ")[0]
            button.setText(f"{base} {'已拔出 unplugged' if plugged is False else '已连接 plugged'}")
        self.paper_label.setText(self.controller.paper_state())
        count = self.controller.receipts_printed()
        if count != self._receipts_seen:
            self._receipts_seen = count
            png = self.controller.last_receipt_png() if count else None
            if png:
                pixmap = QPixmap()
                pixmap.loadFromData(png, "PNG")
                self.receipt.setPixmap(pixmap.scaledToWidth(360, Qt.TransformationMode.SmoothTransformation))
        self.a4_label.setText(self.controller.a4_state())
        pages = self.controller.a4_pages_printed()
        if pages != self._a4_seen:
            self._a4_seen = pages
            if pages:
                self._render_a4_page()
        page, self._a4_page = self._a4_page, None
        if page:
            pixmap = QPixmap()
            pixmap.loadFromData(page, "PNG")
            self.a4_page.setPixmap(pixmap.scaledToWidth(360, Qt.TransformationMode.SmoothTransformation))

    def closeEvent(self, event: Any) -> None:  # noqa: N802  (Qt name)
        self._timer.stop()
        super().closeEvent(event)


def _picture_box(title: str, name: str) -> tuple[QGroupBox, QLabel]:
    """A titled box with a scrolling picture of the last thing printed (a receipt, an A4 page)."""
    box = QGroupBox(title)
    column = QVBoxLayout(box)
    picture = QLabel("尚未打印 nothing printed yet")
    picture.setObjectName(name)
    picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(picture)
    column.addWidget(scroll)
    return box, picture
