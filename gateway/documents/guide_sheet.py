"""A service guide (办事指南) as HTML for A4: what to bring, the steps, fee, time limit, where, and a QR.

Laid out with the certificates' style sheet (``sheet.css``: the hall's header on every page, the
page count at the foot) by the same renderer; a guide is information, not a certificate, so it is
neither sealed nor signed, carries no verification code, and says it is for reference.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from gateway.documents.hall_key import HALL_NAME
from gateway.documents.sheet import CSS_PATH, _qr_svg

_EXTRA_CSS = """
@page { @bottom-left { content: string(docnumber) "   " string(code); } }  /* no verification code on a guide */
ol.steps { margin: 2mm 0 2mm 6mm; padding-left: 4mm; line-height: 1.7; }
ol.steps .en { display: block; }
p.summary { line-height: 1.7; margin: 3mm 0; }
.take-away { display: flex; align-items: center; margin-top: 6mm; font-size: 8.5pt; line-height: 1.6; }
.take-away img { width: 26mm; height: 26mm; margin-right: 3mm; }
"""


def _e(value: Any) -> str:
    return escape("—" if value in (None, "") else str(value))


def _row(zh: str, en: str, value_zh: Any, value_en: Any = "") -> str:
    english = f"<br><span class='en'>{_e(value_en)}</span>" if value_en else ""
    return f"<tr><td class='k'>{zh}<br><span class='en'>{en}</span></td><td>{_e(value_zh)}{english}</td></tr>"


def guide_html(guide: dict[str, Any], printed_at: datetime) -> str:
    """The guide (``contract.content.Guide`` as a dict) as one HTML document for the renderer."""
    materials = "".join(
        f"<tr><td>{n}</td><td>{_e(m.get('name_zh'))}<br><span class='en'>{_e(m.get('name_en'))}</span></td>"
        f"<td>{_e(m.get('copies'))}</td><td>{escape(m.get('note_zh') or '')}"
        f"{'<br><span class=en>' + escape(m.get('note_en') or '') + '</span>' if m.get('note_en') else ''}</td></tr>"
        for n, m in enumerate(guide.get("materials") or [], 1))
    materials_table = (
        "<table class='rows'><thead><tr><th>序号<br><span class='en'>No.</span></th>"
        "<th>材料名称<br><span class='en'>Material</span></th><th>份数<br><span class='en'>Copies</span></th>"
        f"<th>说明<br><span class='en'>Note</span></th></tr></thead><tbody>{materials}</tbody></table>"
        if materials else "<p class='summary'>无需提交材料。<span class='en'>No materials needed.</span></p>")
    steps = "".join(f"<li>{_e(s.get('zh'))}<span class='en'>{_e(s.get('en'))}</span></li>"
                    for s in guide.get("steps") or [])
    facts = "<table>" + "".join([
        _row("办理部门", "Department", guide.get("department_zh"), guide.get("department_en")),
        _row("收费标准", "Fee", guide.get("fee_zh"), guide.get("fee_en")),
        _row("办结时限", "Time limit", guide.get("time_limit_zh"), guide.get("time_limit_en")),
        _row("办理地点", "Where", guide.get("where_zh"), guide.get("where_en")),
    ]) + "</table>"
    url = guide.get("online_url") or ""
    take_away = (f"<div class='take-away'><img src='{_qr_svg(url)}' alt='QR'><div>扫码在手机上查看本指南和网上办理<br>"
                 f"{escape(url)}<br><span class='en'>Scan to read this guide on your phone and apply online.</span>"
                 "</div></div>") if url else ""
    printed = printed_at.strftime("%Y年%m月%d日 %H:%M")
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>办事指南 {_e(guide.get('name_zh'))}</title><meta name="author" content="{HALL_NAME}">
<style>{CSS_PATH.read_text(encoding="utf-8")}{_EXTRA_CSS}</style></head><body>
<div class="hall-header"><span class="name">{HALL_NAME}</span><span class="en">Xiamen Administrative Service Center</span>
<span class="right">办事指南 · 仅供参考<br>Service guide · for reference</span></div>
<div class="marks" data-number="办事指南 {_e(guide.get('service_id'))}" data-code="打印于 {printed}"></div>
<h1>{_e(guide.get('name_zh'))}</h1><div class="title-en">{_e(guide.get('name_en'))}</div>
<p class="summary">{_e(guide.get('summary_zh'))}<br><span class="en">{escape(guide.get('summary_en') or '')}</span></p>
{facts}
<h2>申请材料 What to bring</h2>{materials_table}
<h2>办理流程 Steps</h2><ol class="steps">{steps or '<li>到窗口咨询办理。<span class=en>Ask at the window.</span></li>'}</ol>
{take_away}
<div class="notes">本指南打印于 {printed}，仅供参考，以窗口受理时的要求为准。<br>
<span class="en">Printed at the time shown, for reference; the window's requirements on the day apply.</span></div>
</body></html>"""
