"""The guide sheet is filled guide after guide: nothing of the previous guide stays on show."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from contract.content import GuideStep
from kiosk.hall.guide_library import GuideView
from screens.guide import sample_guide
from screens.guide_sheet import GuideSheet


def shown(sheet: GuideSheet) -> list[str]:
    return [w.text() for w in sheet.content.findChildren(QLabel) if w.isVisibleTo(sheet) and w.text()]


def test_a_shorter_guide_after_a_longer_one_shows_only_its_own_lines(qtbot):
    sheet = GuideSheet()
    qtbot.addWidget(sheet)
    long_guide = sample_guide()
    sheet.show_guide(GuideView(long_guide, age_s=3 * 3600), long_guide.online_url)
    texts = shown(sheet)
    assert any("离线信息" in t for t in texts)
    assert sum(t.startswith(("1.", "2.", "3.")) for t in texts) == 5  # two materials, three steps
    labels_before = len(sheet.step_lines) + len(sheet.material_lines)

    short = long_guide.model_copy(update={"service_id": "x", "name_zh": "短", "materials": [], "fee_zh": "",
                                          "summary_zh": "", "steps": [GuideStep(zh="到窗口办理", en="At the window")]})
    sheet.show_guide(GuideView(short), "https://zwfw.xm.gov.cn/guide/x")
    texts = shown(sheet)
    assert not any("离线信息" in t for t in texts)  # live now
    assert "1. 到窗口办理" in texts and not any("居民身份证" in t or "取号并" in t for t in texts)
    assert not sheet.materials.isVisibleTo(sheet) and "收费标准" not in texts
    assert sheet.qr.property("qr_payload") == "https://zwfw.xm.gov.cn/guide/x"
    assert len(sheet.step_lines) + len(sheet.material_lines) == labels_before  # no new labels were made

    sheet.show_guide(GuideView(long_guide), long_guide.online_url)
    assert sum(t.startswith(("1.", "2.", "3.")) for t in shown(sheet)) == 5 and sheet.materials.isVisibleTo(sheet)
