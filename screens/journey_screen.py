"""Base of the screens that show a journey: start it on activation, redraw on each state change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from config.catalogue import Service
from kiosk.journeys.base import Journey
from kiosk.shell.context import KioskContext
from screens.base import KioskScreen, Navigator
from screens.widgets import PageStack

ShownJourney = TypeVar("ShownJourney", bound=Journey)


class JourneyScreen(KioskScreen, Generic[ShownJourney]):
    """Subclasses add one page per state group to ``self.pages`` and implement ``show_state``.

    A subclass names the journey it draws (``JourneyScreen[FeedbackJourney]``), so its ``journey``
    and ``show_state`` know that journey's steps.
    """

    journey_name = ""

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.pages = PageStack()
        self.layout_.addWidget(self.pages, 1)
        self.journey: ShownJourney | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def host(self) -> Any:  # kiosk.journeys.host.JourneyHost
        return self.context.services.journeys

    def activate(self, **params: Any) -> None:
        self.params = params
        service: Service | None = None
        if params.get("service_id"):
            service = self.context.catalogue.service(params["service_id"])
        self.journey = self.host.begin(self.journey_name or self.name, service)
        self.prepare(self.journey)
        self._unsubscribe = self.journey.subscribe(lambda journey: self.refresh())
        self.refresh()
        self.journey.start()

    def prepare(self, journey: ShownJourney) -> None:
        """What a screen gives its journey before the journey starts (nothing here)."""

    def deactivate(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if self.journey is not None and self.host.journey is self.journey:
            self.host.end()
        self.journey = None

    def refresh(self) -> None:
        if self.journey is not None:
            self.show_state(self.journey)

    def journey_slot(self, step: Callable[[ShownJourney], None]) -> Callable[..., None]:
        """A slot (a tap, a tick) that takes ``step`` on the journey shown; nothing once it has ended."""

        def slot(*_signal_args: object) -> None:
            if self.journey is not None:
                step(self.journey)

        return slot

    def show_state(self, journey: ShownJourney) -> None:
        raise NotImplementedError
