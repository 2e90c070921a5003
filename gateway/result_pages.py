"""The page a result link opens on the citizen's phone: the result once, masked as on the kiosk, never cached.

A second opening, an expired link and a made-up one each get a plain page saying so (410 or 404),
in both languages since the link's language is gone with its result.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse

from gateway import result_links
from gateway.context import GatewayContext, get_context
from gateway.phone_page import phone_page

router = APIRouter(include_in_schema=False)

_WORDS = {
    "zh": {"holder": "姓名", "id": "证件号码", "number": "文书编号", "issued": "查询时间",
           "once": "本页只能打开一次，请截图保存。关闭后无法再次查看，如需再查请到自助终端。"},
    "en": {"holder": "Name", "id": "ID number", "number": "Document number", "issued": "Looked up at",
           "once": "This page opens only once: take a screenshot to keep it. To see it again, use a kiosk."},
}
_GONE = {
    "used": ("此链接已使用过", "This link has already been used",
             "为保护您的个人信息，查询结果只能在手机上打开一次。",
             "To protect your personal data, a result opens only once on a phone."),
    "expired": ("此链接已过期", "This link has expired",
                "查询结果的链接在10分钟内有效。", "A result link works for 10 minutes."),
    "unknown": ("链接无效或已失效", "This link is not valid or no longer works",
                "请检查是否完整扫描了二维码。", "Check that the whole QR code was scanned."),
}


def _section(section: dict[str, Any]) -> str:
    heading = f"<h2>{escape(section.get('heading', ''))}</h2>"
    if section.get("columns"):
        head = "".join(f"<th>{escape(c)}</th>" for c in section["columns"])
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line) + "</tr>"
                       for line in section.get("cells", []))
        return f"<div class='card'>{heading}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    facts = "".join(
        f"<div{' class=row-warn' if f.get('warn') else ''}><dt>{escape(f.get('label', ''))}</dt>"
        f"<dd>{escape(f.get('value', ''))}</dd></div>" for f in section.get("facts", []))
    return f"<div class='card'>{heading}<dl>{facts}</dl></div>"


def result_body(result: dict[str, Any]) -> str:
    w = _WORDS.get(result.get("language", "zh"), _WORDS["zh"])
    who = [(w["holder"], result.get("holder", "")), (w["id"], result.get("id_number", "")),
           (w["number"], result.get("document_number", "")), (w["issued"], result.get("issued_at", ""))]
    facts = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in who if value)
    return (f"<h1>{escape(result.get('title', ''))}</h1><div class='card'><dl>{facts}</dl></div>"
            + "".join(_section(s) for s in result.get("sections", []))
            + f"<p class='muted'>{w['once']}</p>")


@router.get("/r/{token}", response_class=HTMLResponse)
def result_page(token: str = Path(max_length=200), ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    with ctx.db.transaction() as conn:
        opening = result_links.open_once(ctx, conn, token)
    hotline = ctx.settings.hotline
    if opening.state == "open" and opening.result is not None:
        result = opening.result
        return phone_page(result.get("title", ""), result_body(result), lang=result.get("language", "zh"),
                          hotline=hotline)
    zh, en, zh_hint, en_hint = _GONE[opening.state]
    body = (f"<h1 class='warn'>{zh}</h1><p>{zh_hint}</p><h1 class='warn' lang='en'>{en}</h1><p lang='en'>{en_hint}</p>"
            "<p class='muted'>如需再次查看，请到自助终端重新查询。To see the result again, look it up at a kiosk.</p>")
    return phone_page(f"{zh} · {en}", body, hotline=hotline, status=404 if opening.state == "unknown" else 410)
