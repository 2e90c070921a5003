"""What every screen is: a widget that renders the kiosk's state and reports what the citizen asked.

A screen is activated with parameters, re-renders itself on language or mode changes, clears
anything personal it showed when the session ends, and can walk itself through every state it
can show (for ``kiosk tour``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.shell.context import KioskContext
from screens.theme import GAP

if TYPE_CHECKING:
    from config.catalogue import Service


class Navigator(Protocol):
    def go(self, name: str, **params: Any) -> None: ...
    def back(self) -> None: ...
    def home(self) -> None: ...
    def finish(self) -> None: ...
    def start_service(self, service: Service) -> None: ...


class KioskScreen(QWidget):
    """Base of every screen. Subclasses build widgets in ``__init__`` and set texts in ``refresh``."""

    name = "screen"
    has_back = True

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.nav = nav
        self.setObjectName("ScreenBody")  # (the window paints the background behind every screen)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(48, 36, 48, 36)
        self.layout_.setSpacing(GAP)
        self.params: dict[str, Any] = {}

    def extra_style(self, elderly: bool) -> str:
        """Style rules this screen adds to the kiosk's (the window appends them to the screen's sheet)."""
        return ""

    def title(self) -> str:
        """The screen's name for the header/back bar, in the current language."""
        return ""

    def activate(self, **params: Any) -> None:
        """Called when the screen is shown; ``params`` come from ``Navigator.go``."""
        self.params = params
        self.refresh()

    def deactivate(self) -> None:
        """Called when another screen replaces this one."""

    def refresh(self) -> None:
        """(Re)set every text from the current state and language."""

    def ready_ahead(self, size: QSize, ratio: float = 1.0) -> None:
        """Rehearse this screen's first showing at ``size`` while it is not on show (screens/rehearsal.py):
        the screen with the page on show in each of its page stacks, then each other page."""
        from screens.rehearsal import rehearse
        from screens.widgets import PageStack

        rehearse(self, size, ratio)
        for stack in self.findChildren(PageStack):
            for index in range(stack.count()):
                page = stack.widget(index)
                if page is not None and page is not stack.currentWidget():
                    rehearse(page, stack.contentsRect().size(), ratio)

    def step_back(self) -> bool:
        """Go one step back inside this screen (e.g. a journey's previous page); False if at its start."""
        return False

    def clear_personal(self) -> None:
        """Drop everything personal this screen shows (the session ended)."""

    def tour(self) -> Iterator[str]:
        """Put the screen in each state it can show, yielding the state's name after each."""
        self.activate()
        yield "default"
