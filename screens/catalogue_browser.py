"""Browsing the catalogue: departments, then the services of one department."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from config.catalogue import Service
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import N_, _, pick
from screens.base import KioskScreen, Navigator
from screens.home import service_badges
from screens.pictogram_names import service_pictogram
from screens.widgets import TileList, label

JOURNEY_ACTION = {
    "queue_ticket": N_("取号"),
    "social_security": N_("自助查询"),
    "property": N_("自助查询"),
    "population": N_("自助查询"),
    "payment": N_("自助缴费"),
    "guide": N_("办事指南"),
}


def service_tile_badges(context: KioskContext, service: Service) -> list[tuple[str, str]]:
    badges = [(_(JOURNEY_ACTION[service.journey]), "badge")]
    for text, role in service_badges(context, [service]):
        if text != _("需身份证") or service.id_card_required:
            badges.append((text, role))
    if service.hours == "hall" and context.offer(service).available:
        badges.append((_("工作时间办理"), "badge"))
    return badges


class _ListScreen(KioskScreen):
    """A heading, a hint and a list of tiles that scrolls by finger."""

    tile_height = 150

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.hint = label(role="hint")
        self.list = TileList(min_height=self.tile_height)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.hint)
        self.layout_.addWidget(self.list, 1)


class DepartmentsScreen(_ListScreen):
    name = "departments"

    def refresh(self) -> None:
        self.heading.setText(_("全部服务"))
        self.hint.setText(_("请选择部门，上下滑动查看更多"))
        self.list.show_tiles(
            (pick(d.name_zh, d.name_en), _("{count} 项服务").format(count=len(d.services)), (),
             partial(self.nav.go, "services", department=d.id), f"department/{d.id}")
            for d in self.context.catalogue.departments
        )


class ServicesScreen(_ListScreen):
    name = "services"
    tile_height = 170

    def activate(self, **params: Any) -> None:
        if "department" not in params:
            params["department"] = self.context.catalogue.departments[0].id
        super().activate(**params)

    def refresh(self) -> None:
        department = next(
            (d for d in self.context.catalogue.departments if d.id == self.params.get("department")),
            self.context.catalogue.departments[0],
        )
        self.heading.setText(pick(department.name_zh, department.name_en))
        self.hint.setText(_("请选择要办理的业务"))
        services = self.context.catalogue.services_of(department.id)
        self.list.show_tiles(
            (pick(s.name_zh, s.name_en), pick(s.window_zh, s.window_en), service_tile_badges(self.context, s),
             partial(self.nav.start_service, s), service_pictogram(s.id, s.journey))
            for s in services
        )

    def tour(self) -> Iterator[str]:
        for department in self.context.catalogue.departments[:2]:
            self.activate(department=department.id)
            yield department.id
