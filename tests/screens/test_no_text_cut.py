"""No text is cut anywhere: every state of every screen, in Chinese, English and elderly mode.

The tour walks every screen through every state it can reach (``kiosk tour``); in each, every
label, button and tile on show has its text measured with the font it is drawn in against the room
it has, and every scroll bar its width against a finger's (``screens.layout_audit``). One word cut short, one badge out of its tile, and this fails
naming the picture and the widget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

from screens.layout_audit import audit
from screens.tile import Tile

TOUR = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from config.local import demo_settings
from kiosk.app.tour import render_tour

app = QApplication([])
out = Path(sys.argv[1])
problems = []
written = render_tour(demo_settings(out / "state"), out / "tour", problems=problems)
print(json.dumps({"written": [path.name for path in written], "problems": problems}))
"""


def test_every_screen_state_language_and_mode_shows_all_of_its_text(tmp_path):
    # The whole tour in a process of its own: it builds and drops hundreds of windows, and what Qt
    # has left to tidy after them must not reach the next test's event loop.
    done = subprocess.run([sys.executable, "-c", TOUR, str(tmp_path)], capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    problems: list[str] = report["problems"]
    written = [Path(name) for name in report["written"]]
    names = {path.name.split("--")[0] for path in written}
    assert {"home", "services", "social_security", "payment", "queue_ticket", "guide", "take_card"} <= names
    assert {path.name.rsplit("--", 1)[1] for path in written} == {"zh.png", "en.png", "elderly.png"}
    # the pages laid out to fill the screen, the check-in picture and the lists with a scroll rail are all in it
    states = {path.name.rsplit("--", 1)[0] for path in written}
    assert {"payment--receipt", "payment--e_receipt", "payment--voucher-on-screen", "payment--failed",
            "payment--closing", "social_security--printed", "social_security--no_record", "social_security--offline",
            "queue_ticket--checkin", "queue_ticket--no_printer", "queue_ticket--offline", "unavailable--offline",
            "departments--default", "guide--guide-offline", "social_security--results"} <= states
    assert problems == []


def test_a_badge_that_does_not_fit_its_tile_is_found(qtbot):
    window = QWidget()
    window.resize(300, 400)
    qtbot.addWidget(window)
    tile = Tile(window, min_height=200)
    tile.set_texts("社保查询", "参保记录", [("24小时", "badge-alt"), ("需身份证", "badge"), ("工作时间办理", "badge")])
    tile.setGeometry(0, 0, 260, 220)
    window.show()
    qtbot.waitExposed(window)
    assert any("wide for its badges" in problem for problem in audit(window))
    tile.setGeometry(0, 0, 600, 220)
    window.resize(700, 400)
    assert not any("wide for its badges" in problem for problem in audit(window))
