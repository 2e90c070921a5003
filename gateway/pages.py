"""Small HTML pages for phones and second browsers: ticket status, document check, demo cashier, e-receipt.

These are what the QR codes on paper point at, so they need no kiosk credential; their ids are
unguessable, and they show nothing personal beyond masked names.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.payments import yuan
from gateway import payments_book, queue_book
from gateway.context import GatewayContext, get_context
from gateway.problems import Problem

router = APIRouter(include_in_schema=False)

_STYLE = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f6fa;color:#1d2733}
main{max-width:28rem;margin:0 auto;padding:1.2rem}
h1{font-size:1.3rem;color:#0b4f8a}.big{font-size:3.2rem;font-weight:700;color:#0b4f8a;margin:.2rem 0}
.card{background:#fff;border-radius:.8rem;padding:1rem 1.2rem;margin:.8rem 0;box-shadow:0 1px 4px #0002}
.ok{color:#17803d}.warn{color:#b3261e}.muted{color:#5b6b7b;font-size:.9rem}
button{font-size:1.3rem;padding:.8rem 2rem;border:0;border-radius:.6rem;background:#17803d;color:#fff;width:100%}
dt{color:#5b6b7b;font-size:.85rem}dd{margin:0 0 .6rem 0;font-size:1.1rem}
"""


def _page(title: str, body: str, refresh_s: int | None = None, status: int = 200) -> HTMLResponse:
    refresh = f'<meta http-equiv="refresh" content="{refresh_s}">' if refresh_s else ""
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">{refresh}'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>{body}"
            f'<p class="muted">厦门市行政服务中心 · Xiamen Administrative Service Center · 12345</p>'
            f"</main></body></html>")
    return HTMLResponse(html, status_code=status)


def _not_found(what_zh: str, what_en: str) -> HTMLResponse:
    return _page("Not found", f'<h1 class="warn">未找到{what_zh}</h1><p>{what_en} not found.</p>', status=404)


_STATE = {
    "waiting": ("等候中", "Waiting"), "called": ("请到窗口办理", "Please go to the window now"),
    "done": ("已办理", "Served"), "missed": ("已过号", "Missed — please take a new number"),
}


@router.get("/t/{ticket_id}", response_class=HTMLResponse)
def ticket_page(ticket_id: str = Path(max_length=40), ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    with ctx.db.transaction() as conn:
        row = conn.one("SELECT * FROM tickets WHERE ticket_id = ?", (ticket_id,))
        if row is None:
            return _not_found("该号票", "Ticket")
        t = queue_book.ticket_view(ctx, conn, row)
    zh, en = _STATE.get(t["state"], (t["state"], t["state"]))
    body = (f"<h1>排队进度 · Queue status</h1><div class='card'><div class='big'>{escape(t['number'])}</div>"
            f"<div>{escape(t['service_name_zh'])}<br><span class='muted'>{escape(t['service_name_en'])}</span></div></div>"
            f"<div class='card'><dl><dt>状态 Status</dt><dd class='{'ok' if t['state'] == 'called' else ''}'>"
            f"{zh} · {en}</dd><dt>前面还有 People ahead</dt><dd>{t['people_ahead']}</dd>"
            f"<dt>预计等候 Estimated wait</dt><dd>{t['estimated_wait_min']} 分钟 min</dd>"
            f"<dt>当前叫号 Now serving</dt><dd>{escape(t['now_serving'] or '—')}</dd>"
            f"<dt>办理窗口 Window</dt><dd>{escape(t['window_zh'])}<br><span class='muted'>{escape(t['window_en'])}</span></dd>"
            f"</dl></div><p class='muted'>本页每30秒自动刷新 · This page refreshes every 30 s. 过号请重新取号。</p>")
    return _page(f"{t['number']} 排队进度", body, refresh_s=30)


def _order_card(o: dict[str, Any]) -> str:
    return (f"<div class='card'><dl><dt>缴费项目 Item</dt><dd>{escape(o['item_zh'])}<br>"
            f"<span class='muted'>{escape(o['item_en'])}</span></dd>"
            f"<dt>金额 Amount</dt><dd class='big'>¥{yuan(o['amount_fen'])}</dd>"
            f"<dt>缴款通知书 Notice</dt><dd>{escape(o['notice_number'])}</dd>"
            f"<dt>订单 Order</dt><dd>{escape(o['order_id'])}</dd></dl></div>")


@router.get("/cashier/{order_id}", response_class=HTMLResponse)
def cashier_page(order_id: str = Path(max_length=40), ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    try:
        with ctx.db.transaction() as conn:
            o = payments_book.order_view(ctx, conn, order_id, None)
    except Problem:
        return _not_found("该订单", "Order")
    head = "<h1>演示收银台 · Demo cashier</h1><p class='muted'>代替统一公共支付平台用于演示，不会真实扣款。" \
           "Stands in for the payment platform; no real money moves.</p>"
    if o["status"] == "open":
        action = (f"<form method='post' action='/cashier/{escape(order_id)}/pay'>"
                  f"<button type='submit'>确认支付 Pay ¥{yuan(o['amount_fen'])}</button></form>")
    elif o["status"] == "paid":
        action = (f"<p class='ok'>✔ 已支付 Paid · {escape(o['transaction_ref'] or '')}</p>"
                  f"<p><a href='/receipts/{escape(order_id)}'>电子票据 E-receipt</a></p>")
    else:
        action = f"<p class='warn'>订单已{'关闭' if o['status'] == 'closed' else '过期'} · Order {o['status']}</p>"
    return _page("支付 Pay", head + _order_card(o) + action)


@router.post("/cashier/{order_id}/pay")
def cashier_pay(order_id: str = Path(max_length=40), ctx: GatewayContext = Depends(get_context)) -> RedirectResponse:
    try:
        with ctx.db.transaction() as conn:
            payments_book.pay(ctx, conn, order_id)
    except Problem:
        pass  # the cashier page then shows why (closed, expired, unknown)
    return RedirectResponse(f"/cashier/{order_id}", status_code=303)


@router.get("/receipts/{order_id}", response_class=HTMLResponse)
def receipt_page(order_id: str = Path(max_length=40), ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    try:
        with ctx.db.transaction() as conn:
            o = payments_book.order_view(ctx, conn, order_id, None)
    except Problem:
        return _not_found("该票据", "Receipt")
    if o["status"] != "paid":
        return _page("未支付", "<h1 class='warn'>订单未支付 · Not paid</h1>", status=404)
    body = ("<h1>福建省非税收入电子票据 · E-receipt (demo)</h1>" + _order_card(o) +
            f"<div class='card'><dl><dt>交易流水号 Transaction</dt><dd>{escape(o['transaction_ref'] or '')}</dd>"
            f"<dt>支付时间 Paid at</dt><dd>{escape(o['paid_at'] or '')}</dd></dl></div>")
    return _page("电子票据 E-receipt", body)
