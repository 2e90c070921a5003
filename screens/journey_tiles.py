"""How the six main journeys are named and described on their tiles."""

from __future__ import annotations

from config.catalogue import Journey
from kiosk.shell.i18n import N_

JOURNEY_TEXT: dict[str, tuple[str, str]] = {
    "queue_ticket": (N_("排队取号"), N_("选择业务，领取排队号")),
    "social_security": (N_("社保查询"), N_("参保、缴费记录查询打印")),
    "property": (N_("不动产查询"), N_("房屋权属信息查询打印")),
    "population": (N_("人口信息查询"), N_("户籍信息查询打印")),
    "payment": (N_("非税缴费"), N_("扫码缴纳行政事业性收费")),
    "guide": (N_("办事指南"), N_("所需材料、办理流程，扫码带走")),
}

# In elderly mode the home screen shows fewer, bigger choices; the rest are under "more services".
ELDERLY_TILES: tuple[Journey, ...] = ("queue_ticket", "social_security", "payment")
