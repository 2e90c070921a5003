"""A certificate as HTML: the hall's header, the title, the citizen's data as that certificate shows it.

``sheet.css`` lays it out on A4 (WeasyPrint): the header and the page number "第 1 页 / 共 2 页"
repeat on every page, the document number and verification code stand at the foot of each page,
the watermark lies under every page, and the seal overlaps the issuer's line at the end.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from gateway.documents.hall_key import HALL_NAME
from gateway.documents.kinds import DocumentKind
from gateway.documents.watermark import watermark_png

CSS_PATH = Path(__file__).with_name("sheet.css")
INSURANCES = {"pension": "养老", "medical": "医疗", "unemployment": "失业", "injury": "工伤", "maternity": "生育"}


@dataclass(frozen=True)
class Certificate:
    """Everything one printed certificate shows."""

    kind: DocumentKind
    holder_name: str
    id_number: str
    record: Any  # the lookup's record: a dict (social security, household) or a list (properties)
    number: str
    code: str
    verify_url: str
    issued_at: datetime
    seal_png: bytes


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"{fen / 100:,.2f}"


def _e(value: Any) -> str:
    return escape("—" if value in (None, "") else str(value))


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1,
                error_correction=qrcode.constants.ERROR_CORRECT_M).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _pairs(rows: list[tuple[str, str, Any]]) -> str:
    cells = "".join(f"<tr><td class='k'>{zh}<br><span class='en'>{en}</span></td><td>{_e(value)}</td></tr>"
                    for zh, en, value in rows)
    return f"<table>{cells}</table>"


def _holder(c: Certificate) -> list[tuple[str, str, Any]]:
    return [("姓名", "Name", c.holder_name), ("公民身份号码", "ID number", c.id_number)]


def _social_security(c: Certificate) -> str:
    r = c.record
    lead = (f"兹证明 <b>{_e(c.holder_name)}</b>（公民身份号码 {_e(c.id_number)}）在厦门市参加社会保险，"
            f"累计缴费 <b>{_e(r.get('months_paid'))}</b> 个月，参保缴费情况如下。")
    facts = _pairs([*_holder(c),
                    ("参保状态", "Insured status", r.get("insured_status_zh")),
                    ("首次参保年月", "Insured since", r.get("insured_since")),
                    ("参保单位", "Employer", r.get("employer")),
                    ("累计缴费月数", "Months paid", r.get("months_paid")),
                    ("生育保险", "Maternity insurance", r.get("maternity_note_zh")),
                    ("社会保障卡", "Social security card",
                     f"{r.get('card_status_zh') or ''} {r.get('card_number_masked') or ''}".strip()),
                    ("月基本养老金（元）", "Monthly pension (yuan)", _yuan(r.get("pension_monthly_fen")))])
    rows = r.get("contributions") or []
    if not rows:
        table = "<p class='lead'>近期无个人缴费记录（退休人员按月领取养老金）。</p>"
    else:
        body = "".join(
            f"<tr><td>{_e(x['month'])}</td><td class='ins'>{_e(' '.join(INSURANCES.get(i, i) for i in x['insurances']))}</td>"
            f"<td class='num'>{_yuan(x['base_fen'])}</td><td class='num'>{_yuan(x['personal_fen'])}</td>"
            f"<td class='num'>{_yuan(x['employer_fen'])}</td><td>{_e(x.get('employer'))}</td></tr>" for x in rows)
        table = ("<table class='rows'><thead><tr><th>缴费年月<br><span class='en'>Month</span></th>"
                 "<th>险种<br><span class='en'>Insurances</span></th><th>缴费基数（元）<br><span class='en'>Base</span></th>"
                 "<th>个人缴纳（元）<br><span class='en'>Personal</span></th><th>单位缴纳（元）<br>"
                 "<span class='en'>Employer</span></th><th>缴费单位<br><span class='en'>Paid by</span></th></tr></thead>"
                 f"<tbody>{body}</tbody></table>")
    return (f"<p class='lead'>{lead}</p>{facts}<h2>缴费明细 Contributions by month</h2>{table}")


def _property(c: Certificate) -> str:
    items = c.record or []
    lead = (f"经查询厦门市不动产登记簿，权利人 <b>{_e(c.holder_name)}</b>（公民身份号码 {_e(c.id_number)}）"
            f"名下登记的不动产共 <b>{len(items)}</b> 处，具体如下。")
    parts = [f"<p class='lead'>{lead}</p>", _pairs(_holder(c))]
    for n, p in enumerate(items, 1):
        limits = "、".join(x for x, on in (("抵押", p.get("mortgaged")), ("查封", p.get("seized"))) if on) or "无"
        parts.append(f"<h2>第 {n} 处 Property {n}</h2>" + _pairs([
            ("不动产权证书号", "Certificate number", p.get("certificate_number")),
            ("坐落", "Address", p.get("address")),
            ("建筑面积（㎡）", "Floor area (m²)", f"{float(p.get('floor_area_m2') or 0):.2f}"),
            ("规划用途", "Use", p.get("use_zh")),
            ("登记日期", "Registered on", p.get("registered_on")),
            ("共有情况", "Ownership", p.get("share_zh")),
            ("权利限制（抵押、查封）", "Mortgage, seizure", limits)]))
    return "".join(parts)


def _population(c: Certificate) -> str:
    r = c.record
    lead = (f"经查询厦门市人口信息管理系统，<b>{_e(c.holder_name)}</b>（公民身份号码 {_e(c.id_number)}）"
            "的户籍登记信息如下。")
    return f"<p class='lead'>{lead}</p>" + _pairs([
        *_holder(c),
        ("户号", "Household number", r.get("household_number")),
        ("与户主关系", "Relation to head", r.get("relation_zh")),
        ("户籍地址", "Registered address", r.get("registered_address")),
        ("户别", "Household type", r.get("household_type_zh")),
        ("民族", "Ethnicity", r.get("ethnicity_zh")),
        ("婚姻状况", "Marital status", r.get("marital_status_zh")),
        ("迁入本址日期", "Moved in on", r.get("moved_in_on")),
        ("登记机关", "Registered by", r.get("police_station"))])


_BODIES = {"social_security": _social_security, "property": _property, "population": _population}


def html(c: Certificate) -> str:
    """The certificate as one HTML document (the CSS inline, images as data URIs)."""
    issued = c.issued_at.strftime("%Y年%m月%d日 %H:%M")
    seal = "data:image/png;base64," + base64.b64encode(c.seal_png).decode("ascii")
    watermark = "data:image/png;base64," + base64.b64encode(watermark_png()).decode("ascii")
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(c.kind.title_zh)} {escape(c.number)}</title>
<meta name="author" content="{HALL_NAME}"><meta name="keywords" content="{escape(c.number)} {escape(c.code)}">
<meta name="description" content="{escape(c.kind.title_en)}">
<style>{CSS_PATH.read_text(encoding="utf-8")}
@page {{ background: url("{watermark}") no-repeat center / 100% 100%; }}</style></head><body>
<div class="hall-header"><span class="name">{HALL_NAME}</span><span class="en">Xiamen Administrative Service Center</span>
<span class="right">自助服务终端出具<br>Issued at a self-service kiosk</span></div>
<div class="marks" data-number="文书编号 {escape(c.number)}" data-code="{escape(c.code)}"></div>
<h1>{escape(c.kind.title_zh)}</h1><div class="title-en">{escape(c.kind.title_en)}</div>
{_BODIES[c.kind.name](c)}
<div class="closing">
<img class="seal" src="{seal}" alt="seal">
<div class="issuer">出具单位：{HALL_NAME}<br>出具时间：{issued}<br>文书编号：{escape(c.number)}</div>
<div class="check"><img src="{_qr_svg(c.verify_url)}" alt="QR"><div>
核验码 Verification code<br><span class="code">{escape(c.code)}</span><br>
扫码或访问 {escape(c.verify_url)} 核验真伪<br><span class="en">Scan or open the address to check this document.</span>
</div></div></div>
<div class="notes">说明：1. 本证明由{HALL_NAME}根据有关部门登记信息出具，加盖电子印章并经数字签名，与窗口出具的纸质证明具有同等效力。
2. 本证明内容如有涂改或与核验结果不一致，以核验结果为准。3. 本证明仅证明出具时的登记情况。<br>
<span class="en">Issued from the registers' records at the time shown; signed electronically. Check it at the address above.</span></div>
</body></html>"""
