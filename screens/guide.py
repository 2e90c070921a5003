"""Service guide screens: departments, services, pinyin search, the guide itself with its QR code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import partial

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget

from config.catalogue import Department, Service
from contract.content import Guide, GuideMaterial, GuideStep
from kiosk.hall.guide_library import GuideView
from kiosk.journeys.guide import ServiceGuideJourney
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, current_language, pick
from screens.base import Navigator
from screens.guide_print import GuidePrintRow
from screens.guide_sheet import GuideSheet
from screens.heading_mark import heading_row
from screens.journey_screen import JourneyScreen
from screens.open_counters import counters_note
from screens.pictogram_names import service_pictogram
from screens.status_panel import StatusPanel
from screens.widgets import KineticScrollArea, LetterPad, Tile, TileEntry, TileList, TouchButton, label

PAGES = ("departments", "services", "search", "loading", "guide", "missing")


class GuideScreen(GuidePrintRow, JourneyScreen[ServiceGuideJourney]):
    name = "guide"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.layout_.insertLayout(0, heading_row(self.heading, "journey/guide"))
        self.page: dict[str, QWidget] = {}
        self._departments_built_for: tuple[str, int] | None = None

        # departments: a search button and the departments
        departments = QWidget()
        column = QVBoxLayout(departments)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(24)
        self.search_button = TouchButton(role="primary", on_tap=self.journey_slot(lambda journey: journey.open_search()))
        self.department_list = KineticScrollArea()
        column.addWidget(self.search_button)
        column.addWidget(self.department_list, 1)
        self.page["departments"] = departments

        self.service_list = TileList(min_height=130)
        self.page["services"] = self.service_list

        # search: what was typed, the letter pad, the matches
        search = QWidget()
        column = QVBoxLayout(search)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        self.search_hint = label(role="hint")
        self.entry = label(role="entry", wrap=False)
        self.letters = LetterPad()
        self.letters.changed.connect(self._initials_typed)
        self.match_list = TileList(min_height=130)
        for widget in (self.search_hint, self.entry, self.letters):
            column.addWidget(widget)
        column.addWidget(self.match_list, 1)
        self.page["search"] = search

        self.loading_panel = StatusPanel()  # the clock mark while the guide comes, filling the page
        self.loading, self.page["loading"] = self.loading_panel.what, self.loading_panel

        # the guide
        self.guide_scroll = GuideSheet()
        self.page["guide"] = self._guide_page(self.guide_scroll)

        self.missing_panel = StatusPanel()  # the "!" mark, what is missing and where to ask, filling the page
        self.missing_what, self.missing_next = self.missing_panel.what, self.missing_panel.next_step
        self.page["missing"] = self.missing_panel

        for name in PAGES:
            self.pages.addWidget(self.page[name])

    # -- the framework's hooks ------------------------------------------------------------------
    def step_back(self) -> bool:
        return bool(self.journey and self.journey.step_back())

    def _initials_typed(self, text: str) -> None:
        if self.journey is not None:
            self.journey.type_initials(text)

    def clear_personal(self) -> None:
        """Guides are public; only the search letters are the citizen's own input."""
        self.entry.clear()

    def show_state(self, journey: ServiceGuideJourney) -> None:
        state = journey.state if journey.state in self.page else "departments"
        self.heading.setText(_("办事指南"))
        getattr(self, f"_show_{state}")(journey)
        self.pages.setCurrentWidget(self.page[state])

    def ready_ahead(self, size: QSize, ratio: float = 1.0) -> None:
        """The department tiles built too before the rehearsal (they depend only on the language and
        the catalogue), so that the first visit finds them laid out and painted once."""
        self._build_departments(self.context.catalogue.departments)
        super().ready_ahead(size, ratio)

    def _show_departments(self, journey: ServiceGuideJourney) -> None:
        self.search_button.setText(_("按拼音首字母查找"))
        self._build_departments(journey.departments)

    def _build_departments(self, departments: Sequence[Department]) -> None:
        # The department tiles change only with the language or the catalogue: build them once for
        # each, not on every visit (a tap reaches whichever journey is running then).
        built_for = (current_language(), id(self.context.catalogue))
        if self._departments_built_for == built_for:
            return
        self._departments_built_for = built_for
        self.department_list.clear()
        for department in departments:
            tile = Tile(min_height=140)
            tile.set_texts(pick(department.name_zh, department.name_en),
                           _("{count} 项服务").format(count=len(department.services)))
            tile.set_pictogram(f"department/{department.id}")
            tile.clicked.connect(self.journey_slot(partial(ServiceGuideJourney.choose_department,
                                                           department_id=department.id)))
            self.department_list.add(tile)

    def _service_tiles(self, target: TileList, services: Iterable[Service], journey: ServiceGuideJourney,
                       note: str = "") -> None:
        def entry(service: Service) -> TileEntry:
            department = journey.env.catalogue.department_of(service.id)
            return (pick(service.name_zh, service.name_en), pick(department.name_zh, department.name_en), (),
                    self.journey_slot(lambda journey: journey.open_guide(service.id)),
                    service_pictogram(service.id, service.journey))

        target.show_tiles((entry(service) for service in services), note)

    def _show_services(self, journey: ServiceGuideJourney) -> None:
        department = journey.department or journey.departments[0]
        self.heading.setText(_("办事指南") + " · " + pick(department.name_zh, department.name_en))
        services = self.context.catalogue.services_of(department.id)
        self._service_tiles(self.service_list, services, journey)

    def _show_search(self, journey: ServiceGuideJourney) -> None:
        self.search_hint.setText(_("输入事项名称的拼音首字母，例如“社保卡”输入 SBK"))
        self.entry.setText(journey.query or " ")
        shown = journey.matches[: 4 if self.context.elderly else 8]
        nothing = journey.query and not journey.matches
        self._service_tiles(self.match_list, shown, journey, _("没有找到匹配的事项，请检查字母或按部门查找") if nothing else "")

    def _show_loading(self, journey: ServiceGuideJourney) -> None:
        self.loading_panel.show_status("wait", self.context.elderly, _("正在打开办事指南…"))

    def _show_missing(self, journey: ServiceGuideJourney) -> None:
        problem = journey.problem
        self.missing_panel.show_status("problem", self.context.elderly, problem.what() if problem else "",
                                       problem.next_step() if problem else "")

    def _show_guide(self, journey: ServiceGuideJourney) -> None:
        view = journey.view
        if view is None:
            return
        self.heading.setText(pick(view.guide.name_zh, view.guide.name_en))
        self.guide_scroll.show_guide(view, journey.guide_payload(), counters_note(self.context))
        self._show_guide_print(journey)

    # -- tour -------------------------------------------------------------------------------------
    def tour(self) -> Iterator[str]:
        self.activate()
        journey = self.journey
        assert journey is not None
        yield "departments"
        journey.choose_department("social-security")
        yield "services"
        journey.open_search()
        journey.type_initials("SB")
        yield "search"
        journey.view = GuideView(sample_guide(), age_s=3 * 3600)
        journey.service = journey.env.catalogue.service("ss-card-apply")
        journey.go("guide")
        yield "guide-offline"
        journey._loaded(None)  # what a guide neither the gateway nor the cache has looks like
        yield "missing"


def sample_guide() -> Guide:
    """A guide as the gateway sends it, for the tour (the reference gateway serves the same kind)."""
    return Guide(
        service_id="ss-card-apply", name_zh="社会保障卡申领", name_en="Social security card application",
        department_zh="市社保中心", department_en="Social Security Center",
        summary_zh="首次申领第三代社会保障卡，可同时开通金融功能。",
        summary_en="First application for a third-generation social security card, with banking functions.",
        materials=[GuideMaterial(name_zh="居民身份证", name_en="Resident ID card", copies="原件1份"),
                   GuideMaterial(name_zh="近期免冠照片", name_en="Recent photo", copies="1张",
                                 note_zh="可现场免费拍摄", note_en="Taken free of charge on site")],
        steps=[GuideStep(zh="取号并在B区窗口提交材料", en="Take a number and hand in the materials in Zone B"),
               GuideStep(zh="现场拍照、采集信息", en="Photo and details taken on site"),
               GuideStep(zh="选择领卡方式：窗口领取或EMS寄递", en="Collect at the window or by EMS mail")],
        fee_zh="免费", fee_en="Free of charge", time_limit_zh="即时办结（即时制卡）", time_limit_en="Same day (card made on site)",
        where_zh="B区 11–16号窗口", where_en="Zone B, windows 11–16", online_url="https://zwfw.xm.gov.cn/guide/ss-card-apply",
    )
