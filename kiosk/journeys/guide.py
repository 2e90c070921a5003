"""Service guides (办事指南): browse by department or search by pinyin initials, read, take away by QR.

States: ``departments`` → ``services`` (of one department) or ``search`` (letter pad) → ``loading``
→ ``guide`` (with its age when it came from the offline cache) or ``missing`` (no guide here
while offline). Works with no gateway at all as long as the cache has the guide.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from config.catalogue import Department, Service
from kiosk.hall.guide_library import GuideLibrary, GuideView
from kiosk.journeys.base import Journey, JourneyEnv, Problem
from kiosk.journeys.guide_print import GuidePrinting
from kiosk.shell.i18n import current_language


def search_services(services: list[Service], initials: str) -> list[Service]:
    """Services whose pinyin initials start with ``initials`` first, then those containing them."""
    initials = initials.upper()
    if not initials:
        return list(services)
    starts = [s for s in services if s.initials.startswith(initials)]
    contains = [s for s in services if initials in s.initials and s not in starts]
    return starts + contains


class ServiceGuideJourney(GuidePrinting, Journey):
    name = "guide"

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
        super().__init__(env, service)
        library = env.extras.get("guides")
        if library is None:
            library = GuideLibrary(env.extras.get("content"), env.gateway)
        self.library: GuideLibrary = library
        self.department: Department | None = None
        self.query = ""
        self.matches: list[Service] = []
        self.view: GuideView | None = None
        self.history: list[str] = []

    @property
    def departments(self) -> list[Department]:
        return self.env.catalogue.departments

    def start(self) -> None:
        if self.service is not None:
            self.open_guide(self.service.id)
        else:
            self.go("departments")

    # -- browsing ---------------------------------------------------------------------------
    def choose_department(self, department_id: str) -> None:
        self.department = next(d for d in self.departments if d.id == department_id)
        self._forward("services")

    def open_search(self) -> None:
        self.query = ""
        self.matches = search_services(self.env.catalogue.services(), "")
        self._forward("search")

    def type_initials(self, initials: str) -> None:
        self.query = initials.upper()
        self.matches = search_services(self.env.catalogue.services(), self.query)
        self.go("search")

    def open_guide(self, service_id: str) -> None:
        self.service = self.env.catalogue.service(service_id)
        self.print_status, self.print_problem = "", None  # a new guide: nothing printed of it yet
        if not self.env.online():  # known to be offline: the cache at once, with its age, or the missing page
            self._forward("loading")
            self._loaded(self.library.cached(service_id))
            return
        view = self.library.current(service_id)
        if view is not None:  # current in the cache: shown at once
            self.view = view
            self._forward("guide")
            return
        self._forward("loading")
        self.call(lambda: self.library.get(service_id), self._loaded, self._failed)

    def _loaded(self, view: GuideView | None) -> None:
        if view is None:
            self.view = None
            self.fail(Problem(
                "暂时无法获取该事项的办事指南。", "This guide is not available right now.",
                "请稍后再试，或到咨询台领取纸质指南。", "Please try again later, or ask at the information desk.",
                code="guide_missing"), state="missing")
            return
        self.view = view
        self.go("guide")

    def _failed(self, error: BaseException) -> None:
        self._loaded(None)

    # -- navigation inside the journey ----------------------------------------------------------
    def _forward(self, state: str) -> None:
        if self.state not in ("start", "loading") and self.state != state:
            self.history.append(self.state)
        self.go(state)

    def step_back(self) -> bool:
        """One page back; False when already at the first page."""
        while self.history:
            state = self.history.pop()
            if state in ("guide", "missing") and self.view is None:
                continue
            self.go(state)
            return True
        return False

    def guide_payload(self) -> str:
        """What the take-away QR carries: this guide's phone page at the gateway, in the citizen's language."""
        service_id = self.service.id if self.service is not None else ""
        if self.view is not None and self.view.guide.service_id:
            service_id = self.view.guide.service_id
        url = self.env.settings.gateway.phone_url(f"/guides/{quote(service_id, safe='')}")
        return url + ("?lang=en" if current_language() == "en" else "")

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state, "service": self.service.id if self.service else None, "query": self.query}
