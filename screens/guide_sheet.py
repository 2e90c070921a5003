"""A service guide on screen: where, fees, time limit, the take-away QR code, materials and steps.

The sheet is built once and filled for each guide: citizens open guide after guide, and building
its cards and labels anew each time was most of the time a guide took to appear. Lists (materials,
steps) keep their labels and add more only for a longer list; what a guide does not have is hidden.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.hall.availability import age_wording
from kiosk.hall.guide_library import GuideView
from kiosk.shell.i18n import _, current_language, pick
from screens.widgets import Card, KineticScrollArea, label, qr_pixmap


class GuideSheet(KineticScrollArea):
    """Scrolls by finger; :meth:`show_guide` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline = label(role="error")
        self.summary = Card()
        self.department = label(role="subtitle")
        self.about = label(role="value")
        self.summary.body.addWidget(self.department)
        self.summary.body.addWidget(self.about)
        self.facts: list[tuple[QLabel, QLabel]] = []
        for _fact in range(3):  # where, fees, time limit
            key, value = label(role="hint"), label(role="value")
            self.summary.body.addWidget(key)
            self.summary.body.addWidget(value)
            self.facts.append((key, value))
            if not _fact:  # under "where": the counters are closed now (24-hour zone out of hours)
                self.closed_note = label(role="error")
                self.summary.body.addWidget(self.closed_note)
        self.take_away = Card()
        row = QHBoxLayout()
        self.qr = QLabel()
        self.explain = label(role="value")
        row.addWidget(self.qr)
        row.addWidget(self.explain, 1)
        self.take_away.body.addLayout(row)
        self.materials, self.material_lines = Card(), list[QLabel]()
        self.materials_title = label(role="title")
        self.materials.body.addWidget(self.materials_title)
        self.steps, self.step_lines = Card(), list[QLabel]()
        self.steps_title = label(role="title")
        self.steps.body.addWidget(self.steps_title)
        for widget in (self.offline, self.summary, self.take_away, self.materials, self.steps):
            self.add(widget)

    def show_guide(self, view: GuideView, payload: str, closed_note: str = "") -> None:
        """Fill the sheet with ``view``'s guide; ``payload`` is what its take-away QR code carries;
        ``closed_note`` says, under where to go, that the counters are closed now and what works instead."""
        guide = view.guide
        if view.age_s is not None:
            age = age_wording(view.age_s).in_language(current_language())
            self.offline.setText(_("离线信息，更新于{age}").format(age=age))
        self.offline.setVisible(view.age_s is not None)
        self.department.setText(pick(guide.department_zh, guide.department_en))
        about = pick(guide.summary_zh, guide.summary_en)
        self.about.setText(about)
        self.about.setVisible(bool(about))
        facts = ((_("办理地点"), pick(guide.where_zh, guide.where_en)),
                 (_("收费标准"), pick(guide.fee_zh, guide.fee_en)),
                 (_("办结时限"), pick(guide.time_limit_zh, guide.time_limit_en)))
        for (key_label, value_label), (key, value) in zip(self.facts, facts, strict=True):
            key_label.setText(key)
            value_label.setText(value)
            key_label.setVisible(bool(value))
            value_label.setVisible(bool(value))
        self.closed_note.setText(closed_note)
        self.closed_note.setVisible(bool(closed_note))
        self.qr.setPixmap(qr_pixmap(payload, 300, public=True))  # a guide's address is public
        self.qr.setProperty("qr_payload", payload)
        self.explain.setText(_("用手机扫描二维码，把这份指南带走"))
        self.materials_title.setText(_("所需材料"))
        lines = []
        for index, material in enumerate(guide.materials, 1):
            note = pick(material.note_zh, material.note_en)
            text = f"{index}. {pick(material.name_zh, material.name_en)}（{material.copies}）"
            lines.append(text + (f"\n   {note}" if note else ""))
        _fill(self.materials, self.material_lines, lines)
        self.steps_title.setText(_("办理流程"))
        _fill(self.steps, self.step_lines, [f"{index}. {pick(step.zh, step.en)}" for index, step in enumerate(guide.steps, 1)])
        self.verticalScrollBar().setValue(0)


def _fill(card: Card, pool: list[QLabel], texts: list[str]) -> None:
    """Show ``texts`` in ``card``, one label each, reusing the labels of an earlier guide."""
    while len(pool) < len(texts):
        line = label(role="value")
        card.body.addWidget(line)
        pool.append(line)
    for line, text in zip(pool, texts, strict=False):
        line.setText(text)
        line.show()
    for line in pool[len(texts):]:
        line.clear()
        line.hide()
    card.setVisible(bool(texts))
