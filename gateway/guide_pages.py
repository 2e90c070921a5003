"""One phone-sized page per service guide: what the take-away QR on a kiosk's guide page opens.

``/guides/{service_id}`` in Chinese, ``?lang=en`` in English: the materials, fee, time limit, where
to go, the hall's opening hours and hotline. Guides are public, so the page may be cached a while;
every value from the catalogue or the guide texts is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway import content
from gateway.context import GatewayContext, get_context
from gateway.phone_page import phone_page

router = APIRouter(include_in_schema=False)

CACHE_S = 300
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = {"zh": dict(zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)),
        "en": dict(zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))}
_WORDS = {
    "zh": {"title": "办事指南", "materials": "所需材料", "steps": "办理流程", "fee": "收费标准", "limit": "办理时限",
           "where": "办理地点", "hours": "办公时间", "closed": "休息", "hotline": "咨询热线", "none": "无需提交材料",
           "other": "English", "missing": "未找到该事项的办事指南", "missing_hint": "请在自助终端或咨询台查询。",
           "online": "网上办事大厅", "holidays": "法定节假日休息，调休上班日照常办公。",
           "always": "本事项可在24小时自助服务区随时办理。"},
    "en": {"title": "Service guide", "materials": "What to bring", "steps": "Steps", "fee": "Fee",
           "limit": "Time limit", "where": "Where to go", "hours": "Opening hours", "closed": "Closed",
           "hotline": "Hotline", "none": "Nothing to hand in", "other": "中文",
           "missing": "No guide for this service", "missing_hint": "Please ask at a kiosk or the information desk.",
           "online": "Online service hall",
           "holidays": "Closed on public holidays; open on make-up working days.",
           "always": "This service is available at any hour in the 24-hour self-service zone."},
}


def _pick(item: dict[str, Any], key: str, lang: str) -> str:
    """``key_zh`` or ``key_en`` (an English text falls back to the Chinese one), escaped."""
    value = item.get(f"{key}_{lang}") or item.get(f"{key}_zh") or ""
    return escape(str(value))


def _hours(calendar: dict[str, Any], lang: str) -> str:
    """The week as rows, days with the same hours merged (周一至周五 08:30–12:00 13:30–17:30)."""
    week = calendar.get("week") or {}

    def spans(day: str) -> str:
        parts = []
        for span in week.get(day) or []:
            if isinstance(span, dict):
                parts.append(f"{str(span.get('start', ''))[:5]}–{str(span.get('end', ''))[:5]}")
            else:
                parts.append(str(span).replace("-", "–"))
        return "  ".join(parts) or _WORDS[lang]["closed"]

    rows, start = [], 0
    for i in range(1, len(WEEKDAYS) + 1):
        if i == len(WEEKDAYS) or spans(WEEKDAYS[i]) != spans(WEEKDAYS[start]):
            first, last = _DAY[lang][WEEKDAYS[start]], _DAY[lang][WEEKDAYS[i - 1]]
            days = first if start == i - 1 else (f"{first}至{last}" if lang == "zh" else f"{first}–{last}")
            rows.append(f"<dt>{escape(days)}</dt><dd>{escape(spans(WEEKDAYS[start]))}</dd>")
            start = i
    return "<dl>" + "".join(rows) + "</dl>"


def guide_body(guide: dict[str, Any], calendar: dict[str, Any], hotline: str, lang: str,
               round_the_clock: bool = False) -> str:
    """The page's content for ``guide`` (as :func:`gateway.content.guide_for` makes it)."""
    w = _WORDS[lang]
    materials = "".join(
        f"<li><b>{_pick(m, 'name', lang)}</b> <span class='muted'>{escape(str(m.get('copies') or ''))}</span>"
        + (f"<br><span class='muted'>{_pick(m, 'note', lang)}</span>" if m.get("note_zh") or m.get("note_en") else "")
        + "</li>"
        for m in guide.get("materials") or []) or f"<li>{w['none']}</li>"
    steps = "".join(f"<li>{escape(str(s.get(lang) or s.get('zh') or ''))}</li>" for s in guide.get("steps") or [])
    other = "en" if lang == "zh" else "zh"
    summary = _pick(guide, "summary", lang)
    return (
        f"<p class='lang'><a href='?lang={other}' lang='{other}'>{w['other']}</a></p>"
        f"<p class='muted'>{w['title']} · {_pick(guide, 'department', lang)}</p>"
        f"<h1>{_pick(guide, 'name', lang)}</h1>"
        + (f"<p>{summary}</p>" if summary else "")
        + f"<div class='card'><h2>{w['materials']}</h2><ul>{materials}</ul></div>"
        + (f"<div class='card'><h2>{w['steps']}</h2><ol>{steps}</ol></div>" if steps else "")
        + f"<div class='card'><dl><dt>{w['fee']}</dt><dd>{_pick(guide, 'fee', lang)}</dd>"
        f"<dt>{w['limit']}</dt><dd>{_pick(guide, 'time_limit', lang) or '—'}</dd>"
        f"<dt>{w['where']}</dt><dd>{_pick(guide, 'where', lang)}</dd></dl></div>"
        f"<div class='card'><h2>{w['hours']}</h2>"
        + (f"<p class='ok'>{w['always']}</p>" if round_the_clock else "")
        + f"{_hours(calendar, lang)}<p class='muted'>{w['holidays']}</p>"
        f"<p>{w['hotline']} <a class='tel' href='tel:{escape(hotline)}'>{escape(hotline)}</a></p></div>"
    )


@router.get("/guides/{service_id}", response_class=HTMLResponse)
def guide_page(
    request: Request,
    service_id: str = Path(max_length=60),
    lang: Literal["zh", "en"] = Query("zh"),
    ctx: GatewayContext = Depends(get_context),
) -> Response:
    hotline = ctx.settings.hotline
    service = ctx.services.get(service_id)
    if service is None:
        w = _WORDS[lang]
        body = f"<h1 class='warn'>{w['missing']}</h1><p>{w['missing_hint']}</p>"
        return phone_page(w["missing"], body, lang=lang, hotline=hotline, status=404, cache="no-cache")
    guide = content.guide_for(service, ctx.departments[service["department"]])
    hours = content.hours_document()
    etag = f'"{guide["version"]}-{hours["version"]}-{lang}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": f"public, max-age={CACHE_S}"})
    name = guide.get(f"name_{lang}") or guide.get("name_zh") or ""
    page = phone_page(f"{name} · {_WORDS[lang]['title']}",
                      guide_body(guide, hours["calendar"], hotline, lang, service.get("hours") == "24h"), lang=lang, hotline=hotline,
                      cache=f"public, max-age={CACHE_S}")
    page.headers["ETag"] = etag
    return page
