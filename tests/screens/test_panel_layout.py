"""Every panel size: nothing overlaps or is cut (the layout check), the landscape column, the notices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from screens.layout_audit import audit
from screens.widgets import TouchButton, label, qr_pixmap

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("home", "social_security", "queue_ticket")  # home, a journey, a lookup with its results


def test_the_check_finds_overlaps_cut_text_cut_pictures_and_small_buttons(qtbot):
    window = QWidget()
    window.resize(400, 600)
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    roomy = label("fits", wrap=False)
    column.addWidget(roomy)
    column.addStretch(1)
    window.show()
    qtbot.waitExposed(window)
    assert audit(window) == []

    squeezed = label("a sentence far too long for the room the label is given here", wrap=False, parent=window)
    squeezed.setGeometry(0, 0, 60, 30)  # placed by hand, outside any layout: its text is checked all the same
    squeezed.show()
    wrapped = label("words " * 40, wrap=True)
    column.insertWidget(0, wrapped)
    wrapped.setMaximumHeight(40)
    qr = QLabel()
    qr.setPixmap(qr_pixmap("https://zwfw.xm.gov.cn/q/A012", 300))
    qr.setMaximumHeight(100)
    column.insertWidget(0, qr)
    small = TouchButton("OK")
    small.setMinimumHeight(0)
    small.setFixedHeight(40)
    column.insertWidget(0, small)
    window.show()
    qtbot.wait(10)
    problems = "\n".join(audit(window))
    assert "'words words" in problems and "needs" in problems  # wrapped text taller than its label
    assert "shows a 300x300 picture" in problems
    assert "less than a finger" in problems
    assert "'a sentence far too long" in problems



def test_the_check_finds_widgets_on_top_of_each_other_and_sticking_out(qtbot):
    window = QWidget()
    window.resize(400, 600)
    qtbot.addWidget(window)
    grid = QGridLayout(window)
    grid.addWidget(TouchButton("first"), 0, 0)
    grid.addWidget(TouchButton("second"), 0, 0)  # the same cell
    box = QWidget(window)  # placed by hand, smaller than what its layout needs
    inner = QVBoxLayout(box)
    big = TouchButton("big")
    big.setFixedSize(200, 200)
    inner.addWidget(big)
    window.show()
    qtbot.waitExposed(window)
    box.setGeometry(0, 400, 100, 100)
    qtbot.wait(10)
    problems = "\n".join(audit(window))
    assert "TouchButton 'first' and TouchButton 'second' overlap" in problems
    assert "TouchButton 'big' sticks out of QWidget" in problems


@pytest.mark.parametrize("size", ["720x1280", "1080x1920", "1920x1080"])
def test_representative_screens_fit_every_panel(size: str, tmp_path: Path):
    """The tour at the panel's real scale (a process of its own: Qt takes the scale at start)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_SCALE_FACTOR", None)
    only = [arg for name in SCREENS for arg in ("--only", name)]
    result = subprocess.run([sys.executable, "-m", "kiosk", "tour", "--size", size, "--check", "--out",
                             str(tmp_path), *only], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    width, height = (int(side) for side in size.split("x"))
    for variant in ("zh", "en", "elderly"):
        for name in ("home--default", "social_security--results", "queue_ticket--issued_qr-print_failed"):
            image = QImage(str(tmp_path / f"{name}--{variant}.png"))
            assert (image.width(), image.height()) == (width, height), name


def test_a_landscape_window_keeps_the_screens_in_a_column(qapp, demo_settings):
    from kiosk.app.runtime import build_runtime
    from kiosk.shell.panel import COLUMN_WIDTH

    runtime = build_runtime(demo_settings, kiosk_mode=False, start_hooks=[], window_size=(3413, 1920))
    window = runtime.window
    window.show()
    qapp.processEvents()
    try:
        assert window.header.width() == 3413 and window.footer.width() == 3413  # the bands: full width
        screen = window.stack.geometry()
        assert abs(screen.width() - COLUMN_WIDTH) <= 1 and abs(screen.center().x() - 3413 / 2) <= 1
        hall = window.header.hall.mapTo(window, window.header.hall.rect().topLeft())
        assert hall.x() >= screen.x()  # the header's text starts where the screen's does
        assert audit(window) == []
    finally:
        window.closing_allowed = True
        window.close()
        runtime.stop()
        runtime.context.close()


def test_an_output_of_the_wrong_shape_is_said_on_screen(kiosk, qapp, caplog):
    from kiosk.app.runtime import check_output
    from kiosk.shell import i18n
    from kiosk.shell.panel import Fit, Panel

    check_output(kiosk, qapp, Panel(1080, 1920), Fit(1.0, 1080, 1920))
    assert not kiosk.window.banner.isVisibleTo(kiosk.window)
    check_output(kiosk, qapp, Panel(1920, 1080), Fit(0.5625, 3413, 1920))
    assert kiosk.window.banner.isVisibleTo(kiosk.window)
    assert "rotation = 90" in kiosk.window.banner.text.text()
    assert "[display] rotation" in caplog.text
    kiosk.context.set_language("en")
    assert "set rotation = 90 or 270" in kiosk.window.banner.text.text()
    i18n.set_language("zh")
