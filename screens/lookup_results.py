"""The lookup screen's result pages: the answer's sections as cards, a page at a time, with the pager."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.journeys.lookup import LookupJourney
from kiosk.journeys.lookup_pages import Section
from kiosk.shell.i18n import _
from screens.journey_screen import JourneyScreen
from screens.widgets import Card, KineticScrollArea, TouchButton, label, page_of

# Lines of facts that fit one page between the identity line and the buttons (see the tour).
PAGE_LINES = 16  # facts in larger type (role fact-large) than the page's other text
PAGE_LINES_ELDERLY = 13

class LookupResultPages(JourneyScreen[LookupJourney]):
    """Mixed into the lookup screen: builds and fills the results page."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    _page: Callable[[], QVBoxLayout]
    _do: Callable[[str], None]

    def _build_results_page(self) -> None:
        box = self._page()
        self.results_page = page_of(box)
        self.identity = label(role="value")
        self.take_card = label(role="hint")
        self.sheet = KineticScrollArea()
        pager = QHBoxLayout()
        pager.setSpacing(24)
        self.previous = TouchButton(role="nav", on_tap=lambda: self._do("previous_page"))
        self.page_number = label(role="value", wrap=False)
        self.next = TouchButton(role="nav", on_tap=lambda: self._do("next_page"))
        pager.addWidget(self.previous, 1)
        pager.addWidget(self.page_number)
        pager.addWidget(self.next, 1)
        actions = QHBoxLayout()
        actions.setSpacing(24)
        self.take_away = TouchButton(role="primary", on_tap=lambda: self._do("show_choices"))
        self.results_done = TouchButton(on_tap=lambda: self._do("finish"))
        actions.addWidget(self.take_away, 2)
        actions.addWidget(self.results_done, 1)
        box.addWidget(self.identity)
        box.addWidget(self.take_card)
        box.addWidget(self.sheet, 1)
        box.addLayout(pager)
        box.addLayout(actions)

    def page_lines(self) -> int:
        return PAGE_LINES_ELDERLY if self.context.elderly else PAGE_LINES

    def _show_results(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.results_page)
        journey.set_page_capacity(self.page_lines())
        self.identity.setText(_("姓名：{name}    证件号码：{id_number}").format(
            name=journey.holder(), id_number=journey.id_masked()))
        self.take_card.setText(_("请取回您的身份证") if journey.card_on_reader else "")
        self.take_card.setVisible(journey.card_on_reader)
        pages = journey.pages()
        page = journey.current_page()
        self.sheet.clear()
        for section in page.sections:
            self.sheet.add(self._section_card(section))
        self.sheet.verticalScrollBar().setValue(0)
        many = len(pages) > 1
        for widget in (self.previous, self.next, self.page_number):
            widget.setVisible(many)
        self.previous.setText("‹ " + _("上一页"))
        self.next.setText(_("下一页") + " ›")
        self.previous.setEnabled(journey.page > 0)
        self.next.setEnabled(journey.page + 1 < len(pages))
        self.page_number.setText(_("第{page}/{pages}页").format(page=journey.page + 1, pages=len(pages)))
        self.take_away.setText(_("打印或带走结果"))
        self.results_done.setText(_("完成"))

    def _fact_role(self) -> str:
        """The facts are what the citizen came for: larger than the page's text (elderly type is large already)."""
        return "value" if self.context.elderly else "fact-large"

    def _section_card(self, section: Section) -> Card:
        card = Card()
        card.body.setSpacing(10)
        card.body.addWidget(label(section.heading, role="section"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        if section.columns:
            for column, heading in enumerate(section.columns):
                grid.addWidget(label(heading, role="hint"), 0, column)
            for row, line in enumerate(section.cells, start=1):
                for column, cell in enumerate(line):
                    grid.addWidget(label(cell, role=self._fact_role()), row, column)
        else:
            for row, fact in enumerate(section.rows):
                grid.addWidget(label(_(fact.label), role="hint"), row, 0)
                grid.addWidget(label(fact.value, role="error" if fact.warn else self._fact_role()), row, 1)
            grid.setColumnStretch(1, 1)
        card.body.addLayout(grid)
        return card
