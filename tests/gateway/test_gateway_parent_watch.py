"""A gateway started beside a kiosk ends when the kiosk ends, however it ends (the demo's reference gateway)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from gateway import parent_watch

ROOT = Path(__file__).resolve().parents[2]

PARENT = """
import sys, time
from pathlib import Path
from gateway.embedded import EmbeddedGateway
gateway = EmbeddedGateway(Path(sys.argv[1]), port=0).start()
print(gateway.pid, flush=True)
time.sleep(120)
"""


def test_the_gateway_stops_itself_when_the_kiosk_that_started_it_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path / "gateway.db")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        gateway_pid = int(parent.stdout.readline())
        gateway = psutil.Process(gateway_pid)
        assert gateway.is_running() and gateway.ppid() == parent.pid
        parent.send_signal(signal.SIGKILL)  # as the watchdog would: no stop hooks run
        parent.wait(10)
        gateway.wait(timeout=20)  # ends by itself (psutil.TimeoutExpired otherwise)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        if parent.stdout is not None:
            parent.stdout.close()


def test_a_gateway_whose_starter_has_already_gone_does_not_start(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    answer = subprocess.run([sys.executable, "-m", "gateway", "--port", "0", "--db", str(tmp_path / "g.db"),
                             "--parent-pid", str(gone.pid)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 1
    assert f"process {gone.pid} that started it has already ended" in answer.stderr
    assert "Traceback" not in answer.stderr


def test_parent_gone_compares_with_the_parent_of_this_process() -> None:
    assert not parent_watch.parent_gone(os.getppid())
    assert parent_watch.parent_gone(os.getppid() + 1_000_000)


def test_the_watch_sends_sigterm_once_the_parent_differs(monkeypatch) -> None:
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(parent_watch.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    thread = parent_watch.watch(os.getppid() + 1_000_000, poll_s=0.01)
    thread.join(5)
    assert sent == [(os.getpid(), signal.SIGTERM)]
