"""The frame of a page read on a citizen's phone: mobile viewport, the hall's name and hotline, cache policy.

The title is escaped here; the body is HTML its caller has already escaped value by value.
"""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

NO_STORE = "no-store"

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f6fa;color:#1d2733;
font-size:17px;line-height:1.5;-webkit-text-size-adjust:100%}
main{max-width:30rem;margin:0 auto;padding:1rem 1rem 2rem}
h1{font-size:1.45rem;color:#0b4f8a;margin:.3rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;color:#0b4f8a;margin:0 0 .5rem}
.card{background:#fff;border-radius:.8rem;padding:.9rem 1.1rem;margin:.8rem 0;box-shadow:0 1px 4px #0002;
overflow-wrap:anywhere}
.muted{color:#5b6b7b;font-size:.92rem}.warn{color:#b3261e}.ok{color:#17803d}
ul,ol{margin:0;padding-left:1.3rem}li{margin:.3rem 0}
dl{margin:0}dt{color:#5b6b7b;font-size:.88rem}dd{margin:0 0 .55rem 0;font-size:1.05rem}
.lang{text-align:right;margin:0}.lang a{display:inline-block;padding:.5rem .9rem;border:1px solid #0b4f8a;
border-radius:1.2rem;color:#0b4f8a;text-decoration:none;font-size:.95rem}
a.tel{font-size:1.25rem;font-weight:700;color:#0b4f8a}
table{width:100%;border-collapse:collapse;font-size:.92rem}th,td{text-align:left;padding:.3rem .2rem;
border-bottom:1px solid #e3e8ee;vertical-align:top}th{color:#5b6b7b;font-weight:500}
.row-warn dd{color:#b3261e;font-weight:600}
footer{margin-top:1.2rem;color:#5b6b7b;font-size:.85rem;text-align:center}
"""

HALL = {"zh": "厦门市行政服务中心", "en": "Xiamen Administrative Service Center"}
HOTLINE = {"zh": "服务热线", "en": "Hotline"}


def phone_page(title: str, body: str, *, lang: str = "zh", hotline: str = "12345", status: int = 200,
               cache: str = NO_STORE) -> HTMLResponse:
    """A complete page: ``cache`` is its Cache-Control (``no-store`` for anything personal)."""
    lang = lang if lang in HALL else "zh"
    html = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">'
            '<meta name="robots" content="noindex,nofollow">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>{body}"
            f"<footer>{HALL[lang]} · {HOTLINE[lang]} {escape(hotline)}</footer></main></body></html>")
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
               "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"}
    if cache == NO_STORE:
        headers["Pragma"] = "no-cache"
    return HTMLResponse(html, status_code=status, headers=headers)
