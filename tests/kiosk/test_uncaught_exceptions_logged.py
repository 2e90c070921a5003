"""An exception nobody caught (a Qt slot, a worker thread) is one structured log line, not a loose traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import threading
    from PySide6.QtCore import QCoreApplication, QTimer
    from kiosk.system.logs import install_exception_logging, setup_logging

    setup_logging(None)
    install_exception_logging()
    app = QCoreApplication([])

    def broken_slot():
        raise RuntimeError("printer answered nonsense for 350203194803120021")

    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(10, lambda: threading.Thread(target=lambda: 1 / 0, name="device-open").start())
    QTimer.singleShot(300, app.quit)
    app.exec()
    print("still running after both", flush=True)
""")


def test_uncaught_exceptions_are_one_json_line_each_and_the_kiosk_carries_on() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "still running after both" in result.stdout
    lines = result.stderr.splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON record: no loose traceback lines
    uncaught = [r for r in records if r.get("event") == "uncaught_exception"]
    assert [r["level"] for r in uncaught] == ["ERROR", "ERROR"]
    assert uncaught[0]["msg"].startswith("uncaught RuntimeError: printer answered nonsense")
    assert "broken_slot" in uncaught[0]["exc"]
    assert "350203194803120021" not in result.stderr  # redacted like every other record
    assert uncaught[1]["msg"] == "uncaught ZeroDivisionError in thread device-open: division by zero"
