"""Technician screens: the PIN pad behind the hidden corner, and the diagnostics screen.

Both render :class:`kiosk.technician.mode.TechnicianMode` (``context.services.technician``)
and call its methods for each tap; they never touch a device, the database or the network.
Text is smaller than on citizen screens (technicians stand close and read a lot) but every button
keeps the 96 px touch height. Nothing a citizen entered or owns is shown: the card self-test shows
masked fields only, and they are dropped when technician mode ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QWidget

from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import N_, _, pick
from kiosk.system.clock import HALL_ZONE
from kiosk.technician.checks import Finding
from kiosk.technician.diagnostics import SECTIONS, by_section
from kiosk.technician.finding_words import CARD_TYPES, finding_words, log_lines
from kiosk.technician.mode import PinState
from kiosk.technician.self_tests import SelfTest
from screens.base import KioskScreen, Navigator
from screens.theme import palette, px
from screens.widgets import Card, Keypad, KineticScrollArea, TouchButton, label

SECTION_TITLES = {
    "devices": N_("设备"), "paper": N_("纸卷"), "gateway": N_("网关"), "outbox": N_("待发队列"),
    "cache": N_("缓存"), "configuration": N_("配置"), "system": N_("系统"), "log": N_("最近日志"),
}
CHECK_NAMES = {
    "idcard": N_("身份证阅读器"), "printer": N_("打印机"), "scanner": N_("扫码器"), "paper": N_("纸卷余量"),
    "gateway": N_("网关连接"), "outbox": N_("待发记录"), "cache": N_("内容缓存"), "database": N_("数据库"),
    "configuration": N_("配置版本"), "disk": N_("磁盘"), "memory": N_("内存"), "cpu": N_("处理器"),
    "log": N_("日志"), "devices": N_("设备"), "diagnostics": N_("诊断"),
}
CODE_KINDS = {"appointment": N_("预约码"), "notice": N_("缴费通知书编号"), "center_link": N_("中心网址")}


def _mode(context: KioskContext) -> Any:
    return context.services.technician


def _technician_style(elderly: bool) -> str:
    """Smaller text than citizen screens; buttons keep their height.

    The rules are appended to the kiosk's sheet on the technician screens; each selector is put
    under the screen (``QWidget#ScreenBody``) so that, whatever the specificity of the kiosk's
    rule it overrides, it wins, as a screen's own rules should.
    """
    p = palette(elderly)
    rules = f"""
QLabel {{ font-size: {px(24, elderly)}px; }}
QLabel[role="title"] {{ font-size: {px(40, elderly)}px; font-weight: 700; }}
QLabel[role="section"] {{ font-size: {px(28, elderly)}px; font-weight: 700; color: {p.primary}; }}
QLabel[role="ok"] {{ font-size: {px(24, elderly)}px; font-weight: 700; color: {p.ok}; }}
QLabel[role="fail"] {{ font-size: {px(24, elderly)}px; font-weight: 700; color: {p.danger}; }}
QLabel[role="mono"] {{ font-size: {px(20, elderly)}px; font-family: "DejaVu Sans Mono", monospace; }}
QLabel[role="error"] {{ font-size: {px(30, elderly)}px; }}
QLabel[role="entry"] {{ font-size: {px(64, elderly)}px; letter-spacing: 12px; }}
QPushButton {{ font-size: {px(26, elderly)}px; padding: 0 12px; }}
QPushButton[role="key"] {{ font-size: {px(44, elderly)}px; }}
QFrame#Card {{ border-radius: 14px; }}
"""
    return "\n".join(_within_screen(line) for line in rules.splitlines())


def _within_screen(rule: str) -> str:
    if "{" not in rule:
        return rule
    selectors, body = rule.split("{", 1)
    scoped = ", ".join(f"QWidget#ScreenBody {selector.strip()}" for selector in selectors.split(","))
    return f"{scoped} {{{body}"


class TechnicianPinScreen(KioskScreen):
    """The technician PIN on the on-screen keypad, digits shown as dots."""

    name = "technician_pin"
    has_back = False

    def extra_style(self, elderly: bool) -> str:
        return _technician_style(elderly)

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.hint = label(role="hint")
        self.entry = label(role="entry", wrap=False, centered=True)
        self.message = label(role="error")
        self.keypad = Keypad(max_length=12)
        self.keypad.changed.connect(self._typed)
        self.confirm = TouchButton(role="primary", on_tap=self._confirm)
        self.cancel = TouchButton(role="nav", on_tap=lambda: _mode(self.context).leave("cancelled"))
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        for widget in (self.heading, self.hint, self.entry, self.message, self.keypad):
            self.layout_.addWidget(widget)
        self.layout_.addLayout(buttons)
        self.layout_.addStretch(1)
        _mode(context).changed.connect(self._mode_changed)

    def _mode_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def _typed(self, value: str) -> None:
        self.entry.setText("•" * len(value) if value else " ")
        self.confirm.setEnabled(len(value) >= 6 and _mode(self.context).pin.phase in ("entering", "wrong"))

    def _confirm(self) -> None:
        pin = self.keypad.value
        self.keypad.set_value("")
        _mode(self.context).submit_pin(pin)

    def activate(self, **params: Any) -> None:
        self.keypad.set_value("")
        super().activate(**params)

    def deactivate(self) -> None:
        self.keypad.set_value("")

    def clear_personal(self) -> None:
        self.keypad.set_value("")

    def refresh(self) -> None:
        pin: PinState = _mode(self.context).pin
        self.heading.setText(_("技术员模式"))
        self.hint.setText(_("请输入技术员密码（6 至 12 位数字）"))
        self.keypad.set_labels(_("清除"), _("退格"))
        self.cancel.setText(_("取消"))
        self.confirm.setText(_("确认") if pin.phase != "checking" else _("正在核对…"))
        can_type = pin.phase in ("entering", "wrong")
        refused = pin.phase in ("not_configured", "misconfigured")
        for widget in (self.keypad, self.entry, self.hint):
            widget.setVisible(not refused)
        self.confirm.setVisible(pin.phase not in ("not_configured", "misconfigured", "locked"))
        self.keypad.setEnabled(can_type)
        self.message.setText(self._message(pin))
        self._typed(self.keypad.value)

    def _message(self, pin: PinState) -> str:
        if pin.phase == "wrong":
            return _("密码错误，还可尝试 {count} 次。").format(count=pin.attempts_left)
        if pin.phase == "locked" and pin.locked_until is not None:
            return _("密码错误次数过多，技术员入口已锁定，请于 {time} 后再试。").format(
                time=f"{pin.locked_until.astimezone(self.context.now().tzinfo or HALL_ZONE):%H:%M:%S}")
        if pin.phase == "not_configured":
            return _("本机未设置技术员密码，不能进入技术员模式。请管理员用 kiosk config pin-hash 生成密码哈希，"
                     "写入配置 security.technician_pin_hash。")
        if pin.phase == "misconfigured":
            return _("本机的技术员密码配置有误，不能进入技术员模式。请联系管理员。")
        return ""

    def tour(self) -> Iterator[str]:
        mode = _mode(self.context)
        saved = mode.pin
        for state, pin, typed in (
            ("entering", PinState(), "2468"),
            ("wrong", PinState("wrong", 3), ""),
            ("locked", PinState("locked", 0, datetime(2025, 3, 12, 9, 41, 7, tzinfo=HALL_ZONE)
                                + timedelta(minutes=5)), ""),
            ("not_configured", PinState("not_configured", 0), ""),
        ):
            mode.pin = pin
            self.activate()
            self.keypad.set_value(typed)
            yield state
        mode.pin = saved
        self.keypad.set_value("")


class TechnicianScreen(KioskScreen):
    """Diagnostics by section, one-tap self-tests, paper roll, maintenance, restart, leave."""

    name = "technician"
    has_back = False

    def extra_style(self, elderly: bool) -> str:
        return _technician_style(elderly)

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.layout_.setContentsMargins(32, 20, 32, 20)
        self.layout_.setSpacing(14)
        self.heading = label(role="title")
        self.status = label(role="hint")
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.status)
        mode = _mode(context)
        self.buttons: dict[str, TouchButton] = {}
        self.action_grid = QWidget()
        grid = QGridLayout(self.action_grid)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        for index, (key, role, tap) in enumerate((
            ("refresh", None, mode.refresh),
            ("print", None, mode.print_test_page),
            ("a4print", None, mode.print_a4_test_page),
            ("card", None, mode.read_card),
            ("scan", None, mode.scan_code),
            ("paper", None, mode.paper_replaced),
            ("maintenance", None, self._toggle_maintenance),
            ("restart", "danger", self._ask_restart),
            ("leave", "primary", lambda: _mode(self.context).leave("leave")),
        )):
            button = TouchButton(role=role, on_tap=tap)
            self.buttons[key] = button
            grid.addWidget(button, index // 3, index % 3)
        self.layout_.addWidget(self.action_grid)
        self.confirm_panel = Card()
        self.confirm_text = label(role="value")
        self.confirm_yes = TouchButton(role="danger", on_tap=self._restart)
        self.confirm_no = TouchButton(role="nav", on_tap=self._cancel_restart)
        row = QHBoxLayout()
        row.addWidget(self.confirm_no)
        row.addWidget(self.confirm_yes)
        self.confirm_panel.body.addWidget(self.confirm_text)
        self.confirm_panel.body.addLayout(row)
        self.confirm_panel.hide()
        self.layout_.addWidget(self.confirm_panel)
        self.test_card = Card()
        self.test_card.body.setContentsMargins(24, 16, 24, 16)
        self.test_text = label()
        self.test_card.body.addWidget(self.test_text)
        self.layout_.addWidget(self.test_card)
        self.findings_list = KineticScrollArea()
        self.layout_.addWidget(self.findings_list, 1)
        self.confirming = False
        mode.changed.connect(self._mode_changed)

    def _mode_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    # -- taps -----------------------------------------------------------------------------------------
    def _toggle_maintenance(self) -> None:
        _mode(self.context).set_maintenance(not self.context.maintenance_by_technician)

    def _ask_restart(self) -> None:
        self.confirming = True
        self.refresh()

    def _cancel_restart(self) -> None:
        self.confirming = False
        self.refresh()

    def _restart(self) -> None:
        self.confirming = False
        _mode(self.context).restart()

    def activate(self, **params: Any) -> None:
        self.confirming = False
        super().activate(**params)

    def deactivate(self) -> None:
        self.confirming = False

    def clear_personal(self) -> None:
        self.test_text.setText("")

    # -- drawing -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        mode = _mode(self.context)
        self.heading.setText(_("技术员模式 · 诊断"))
        status = [_("维护模式：开启（市民看到暂停服务页面）") if self.context.maintenance_by_technician
                  else _("维护模式：关闭")]
        planned = self.context.planned_maintenance
        if planned is not None:
            status.append(_("计划维护中（配置包）：{text}，至 {until}").format(
                text=pick(planned.text_zh, planned.text_en), until=f"{planned.until.astimezone(HALL_ZONE):%m-%d %H:%M}"))
        if mode.notice:
            status.append(_(mode.notice).format(**mode.notice_values))
        if mode.idle_remaining is not None:
            status.append(_("无操作，{seconds} 秒后退出技术员模式").format(seconds=mode.idle_remaining))
        self.status.setText("\n".join(status))
        texts = {
            "refresh": _("正在诊断…") if mode.diagnosing else _("重新诊断"),
            "print": _("打印测试页"), "a4print": _("打印A4测试页"), "card": _("读卡测试"), "scan": _("扫码测试"),
            "paper": _("已更换纸卷"),
            "maintenance": _("关闭维护模式") if self.context.maintenance_by_technician else _("开启维护模式"),
            "restart": _("重启应用"), "leave": _("退出技术员模式"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        hub = self.context.services.devices
        self.buttons["a4print"].setEnabled(bool(hub is not None and getattr(hub, "a4_configured", bool)()))
        self.buttons["refresh"].setEnabled(not mode.diagnosing)
        self.action_grid.setVisible(not self.confirming)
        self.confirm_panel.setVisible(self.confirming)
        self.confirm_text.setText(_("确定重启应用吗？重启约需半分钟，期间本机不能使用。"))
        self.confirm_yes.setText(_("确定重启"))
        self.confirm_no.setText(_("取消"))
        self.test_text.setText("\n".join(self._test_lines(mode.tests)) or _("自检：点上方按钮打印测试页、读卡或扫码。"))
        self._draw_findings(mode.findings)

    def _test_lines(self, tests: dict[str, SelfTest]) -> list[str]:
        lines = []
        for kind in ("print", "a4print", "card", "scan"):
            test = tests.get(kind)
            if test is not None:
                lines.append(self._test_line(test))
        return lines

    def _test_line(self, test: SelfTest) -> str:
        d = test.detail
        if test.kind == "print":
            if test.state == "waiting":
                return _("测试页：正在打印…")
            if test.state == "passed":
                return _("测试页：已打印，{lines} 行，{cm} 厘米").format(lines=d.get("lines"), cm=d.get("length_cm"))
            return _("测试页：未打印（{error}）").format(error=d.get("error", ""))
        if test.kind == "a4print":
            if test.state == "waiting":
                return _("A4测试页：正在打印…")
            if test.state == "passed":
                return _("A4测试页：已打印，{seconds} 秒（{conditions}）").format(
                    seconds=d.get("seconds"), conditions=d.get("conditions") or "-")
            return _("A4测试页：未打印（{error}）").format(error=d.get("error", ""))
        if test.kind == "card":
            if test.state == "waiting":
                return _("读卡：请把身份证放在读卡区（30 秒内）…")
            if test.state == "timeout":
                return _("读卡：30 秒内没有放置证件")
            if test.state == "passed":
                f = d.get("fields", {})
                ok = _("正确") if f.get("check_digit_ok") else _("错误")
                valid_to = _("长期") if f.get("valid_to") == "长期" else f.get("valid_to", "")
                return _("读卡：成功 · {card_type} · {name} · {number} · 校验位{ok} · 有效期至 {valid_to}").format(
                    card_type=_(CARD_TYPES[f["card_type"]]) if f.get("card_type") in CARD_TYPES else f.get("card_type", ""),
                    name=f.get("name", ""), number=f.get("id_number", ""),
                    ok=ok, valid_to=valid_to)
            return _("读卡：失败（{error}）").format(error=d.get("error", ""))
        if test.state == "waiting":
            return _("扫码：请扫描预约码、缴费通知书或中心网址（30 秒内）…")
        if test.state == "timeout":
            return _("扫码：30 秒内没有扫码")
        if test.state == "passed":
            kind = d.get("kind", "")
            return _("扫码：成功 · 类型 {kind}").format(kind=_(CODE_KINDS[kind]) if kind in CODE_KINDS else kind)
        return _("扫码：被拒绝（{error}）").format(error=d.get("error", ""))

    def _draw_findings(self, findings: list[Finding] | None) -> None:
        self.findings_list.clear()
        if findings is None:
            self.findings_list.add(label(_("正在诊断…"), role="hint"))
            return
        grouped = by_section(findings)
        for section in SECTIONS:
            items = grouped.get(section) or []
            if not items:
                continue
            card = Card()
            card.body.setContentsMargins(24, 16, 24, 16)
            card.body.setSpacing(8)
            card.body.addWidget(label(_(SECTION_TITLES[section]), role="section"))
            for finding in items:
                card.body.addWidget(self._finding_row(finding))
                if section == "log":
                    for line in log_lines(finding, self.context.now().tzinfo or HALL_ZONE):
                        card.body.addWidget(label(line, role="mono"))
            self.findings_list.add(card)

    def _finding_row(self, finding: Finding) -> QWidget:
        row = QFrame()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        verdict = label(_("正常") if finding.ok else _("异常"), role="ok" if finding.ok else "fail", wrap=False)
        verdict.setFixedWidth(px(80, self.context.elderly))
        verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        name = _(CHECK_NAMES[finding.name]) if finding.name in CHECK_NAMES else finding.name
        text = label(_("{name}：{text}").format(name=name, text=finding_words(finding)))
        layout.addWidget(verdict)
        layout.addWidget(text, 1)
        return row
