"""`kiosk run` as kiosk.service runs it: a real process, offscreen, talking to a real $NOTIFY_SOCKET.

Stopping (SIGTERM/SIGINT in kiosk mode, timed), the STATUS= lines, and the cases that used to end
in a traceback and a restart loop or, worse, in the demo: no configuration, a broken one, a state
directory that cannot be written (under a regular file: that fails for root too), a log directory
that cannot be, a token file that is not there. Each must still say READY=1, keep the watchdog
fed, say why in one journal line and one status line, and stop cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WATCHDOG_USEC = 1_000_000  # keep-alives every 0.5 s
START_TIMEOUT_S = 30.0  # a loaded test machine; a kiosk normally starts in well under a second


def write_config(folder: Path, *, state_dir: Path | None = None, gateway: str = 'token = "secret"') -> Path:
    path = folder / "kiosk.toml"
    path.write_text(f'''state_dir = "{state_dir or folder / 'state'}"
[kiosk]
id = "XM-TEST-07"
[gateway]
url = "http://127.0.0.1:9"
{gateway}
[session]
stop_grace_s = 3
''', encoding="utf-8")
    return path


class RunningKiosk:
    def __init__(self, args: list[str], cwd: Path, listener_class) -> None:
        self.listener = listener_class()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFY_", "WATCHDOG_"))}
        env.update(NOTIFY_SOCKET=self.listener.address, WATCHDOG_USEC=str(WATCHDOG_USEC),
                   QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1")
        self.process = subprocess.Popen([sys.executable, "-m", "kiosk", "run", *args], cwd=cwd, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr = ""

    def wait_ready(self) -> None:
        ready = self.listener.wait_for("READY=1", timeout=START_TIMEOUT_S)
        assert ready, f"no READY=1; exit code {self.process.poll()}: {self.finish(kill=True)}"

    def statuses(self) -> list[str]:
        return [f[len("STATUS="):] for d in self.listener.received for f in d.fields if f.startswith("STATUS=")]

    def wait_status(self, start: str, timeout: float = START_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [s for s in self.statuses() if s.startswith(start)]
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no STATUS={start}… in {self.statuses()}")

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, float]:
        """Send ``signum``; the exit code and the seconds it took to exit."""
        sent = time.monotonic()
        self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.finish(kill=True)
            raise AssertionError("the kiosk did not exit within 10 s of the signal") from None
        took = time.monotonic() - sent
        self.finish()
        return code, took

    def finish(self, kill: bool = False) -> str:
        if kill and self.process.poll() is None:
            self.process.kill()
        _out, self.stderr = self.process.communicate(timeout=10)
        self.listener.close()
        return self.stderr


@pytest.fixture
def start(tmp_path: Path, notify_listener_class):
    started: list[RunningKiosk] = []

    def run(*args: str) -> RunningKiosk:
        kiosk = RunningKiosk(list(args), tmp_path, notify_listener_class)
        started.append(kiosk)
        kiosk.wait_ready()
        return kiosk

    yield run
    for kiosk in started:
        if kiosk.process.poll() is None:
            kiosk.finish(kill=True)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_at_the_home_screen_quits_at_once_in_kiosk_mode(start, tmp_path: Path, signum) -> None:
    kiosk = start("--config", str(write_config(tmp_path)))  # kiosk mode: the lockdown refuses close requests
    kiosk.wait_status("ready:")
    time.sleep(0.3)  # an idle event loop: the signal must wake it
    code, took = kiosk.stop(signum)
    assert code == 0
    assert took < 3.0, f"took {took:.1f} s"
    stopping = kiosk.listener.with_field("STOPPING=1")
    assert stopping and stopping[0].at - kiosk.listener.with_field("READY=1")[0].at > 0
    assert kiosk.statuses()[-1] == "stopping"
    assert "Traceback" not in kiosk.stderr
    assert "no citizen at the kiosk" in kiosk.stderr


def test_status_lines_say_what_start_up_does_and_how_the_kiosk_serves(start, tmp_path: Path) -> None:
    kiosk = start("--config", str(write_config(tmp_path)))
    line = kiosk.wait_status("ready: kiosk XM-TEST-07, gateway offline")  # nothing listens on port 9
    assert line == "ready: kiosk XM-TEST-07, gateway offline, devices ok"
    kiosk.listener.wait_for("WATCHDOG=1", count=4, timeout=10)
    code, _took = kiosk.stop()
    statuses = kiosk.statuses()
    assert statuses[:2] == ["starting: reading configuration", "starting: opening the window"]
    assert all(a != b for a, b in zip(statuses, statuses[1:], strict=False)), "a line repeated without a change"
    assert len(statuses) <= 6, statuses  # on change, not on every keep-alive
    assert code == 0


def assert_out_of_service(kiosk: RunningKiosk, status_start: str) -> str:
    """READY=1, the reason in systemd's status, keep-alives going on, a clean stop; returns stderr."""
    line = kiosk.wait_status("out of service:")
    assert line.startswith(status_start), line
    assert len(kiosk.listener.wait_for("WATCHDOG=1", count=3, timeout=10)) >= 3
    assert kiosk.process.poll() is None  # still on screen: no restart loop
    code, took = kiosk.stop()
    assert code == 0 and took < 3.0
    assert "Traceback" not in kiosk.stderr
    return kiosk.stderr


def test_without_a_configuration_file_it_says_not_configured_and_never_starts_the_demo(start, tmp_path) -> None:
    missing = tmp_path / "etc" / "kiosk.toml"
    kiosk = start("--config", str(missing))
    stderr = assert_out_of_service(kiosk, f"out of service: this kiosk is not configured ({missing}: file not found)")
    errors = [line for line in stderr.splitlines() if '"level": "ERROR"' in line]
    assert len(errors) == 1 and str(missing) in errors[0] and "--demo" in errors[0]
    # The demo's kiosk id, its reference gateway and its simulated devices never appear.
    assert "XM-HALL-001" not in stderr and "reference gateway" not in stderr and "sim://" not in stderr
    assert not (tmp_path / "var" / "demo").exists()


def test_a_broken_configuration_is_named_on_screen_and_in_the_journal(start, tmp_path: Path) -> None:
    config = write_config(tmp_path, gateway='token = "secret"\nretries = 3')
    kiosk = start("--config", str(config))
    stderr = assert_out_of_service(kiosk, f"out of service: configuration error in {config}: gateway.retries")
    assert "unknown key" in stderr


def test_a_state_directory_that_cannot_be_written_is_out_of_service_not_a_traceback(start, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a regular file: nothing can be created under it, not even by root")
    state = blocker / "state"
    kiosk = start("--config", str(write_config(tmp_path, state_dir=state)))
    stderr = assert_out_of_service(kiosk, f"out of service: state directory {state} is not usable: Not a directory")
    assert str(state) in stderr and "Not a directory" in stderr


def test_a_log_directory_that_cannot_be_written_falls_back_to_the_journal(start, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "logs").write_text("a file where the log directory should be")
    kiosk = start("--config", str(write_config(tmp_path, state_dir=state)))
    kiosk.wait_status("ready: kiosk XM-TEST-07")
    code, _took = kiosk.stop()
    assert code == 0
    fallback = [line for line in kiosk.stderr.splitlines() if "cannot write the log file" in line]
    assert len(fallback) == 1 and str(state / "logs") in fallback[0]
    assert "Traceback" not in kiosk.stderr
    assert "first_frame" in kiosk.stderr  # the log still goes somewhere: the journal


def test_a_missing_token_file_is_one_line_and_the_kiosk_shows_itself_offline(start, tmp_path: Path) -> None:
    token = tmp_path / "gateway.token"
    kiosk = start("--config", str(write_config(tmp_path, gateway=f'token_file = "{token}"')))
    kiosk.wait_status("ready: kiosk XM-TEST-07, gateway offline")
    time.sleep(1.0)  # start-up steps that call the gateway (content, bundles, heartbeat) have run
    code, _took = kiosk.stop()
    assert code == 0
    assert "Traceback" not in kiosk.stderr
    missing = [line for line in kiosk.stderr.splitlines() if "no gateway token" in line]
    assert len(missing) == 1, missing
    assert str(token) in missing[0] and "No such file or directory" in missing[0]


def test_the_demo_needs_demo(start, tmp_path: Path) -> None:
    kiosk = start("--demo", "--state-dir", str(tmp_path / "demo-state"))
    line = kiosk.wait_status("ready: kiosk XM-HALL-001 (DEMO configuration)")
    assert "DEMO" in line
    code, _took = kiosk.stop()
    assert code == 0
