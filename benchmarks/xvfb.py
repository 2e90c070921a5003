"""Run a benchmark under Xvfb on Qt's xcb platform, the X11 path a kiosk really draws through.

``--xvfb`` on a benchmark re-runs the same script in a child process with ``DISPLAY`` set to a
private Xvfb server (1080×1920, 24-bit, no TCP) and ``QT_QPA_PLATFORM=xcb``; the server is stopped
when the child ends. Xvfb and Qt's xcb libraries come from ``KIOSK_WITH_X11=1 bash scripts/bootstrap.sh``;
without them the benchmark says so and stops.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SCREEN = "1080x1920x24"
INSTALL_HINT = "install it with: KIOSK_WITH_X11=1 bash scripts/bootstrap.sh"


@contextmanager
def xvfb_display(screen: str = SCREEN) -> Iterator[str]:
    """A private Xvfb server for the ``with`` block; yields its display name (":N")."""
    server = shutil.which("Xvfb")
    if server is None:
        raise SystemExit(f"Xvfb is not installed; {INSTALL_HINT}")
    read, write = os.pipe()
    process = subprocess.Popen([server, "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp",
                                "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        if not number:
            error = process.stderr.read().decode(errors="replace")[-500:] if process.stderr else ""
            raise SystemExit(f"Xvfb did not start: {error or 'no display number'}")
        yield f":{number}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def rerun_under_xvfb(argv: list[str]) -> int:
    """Run ``sys.executable argv`` (the benchmark without ``--xvfb``) on the xcb platform under Xvfb."""
    with xvfb_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        return subprocess.run([sys.executable, *argv], env=env).returncode


def maybe_rerun(flag: str = "--xvfb") -> None:
    """If ``flag`` is among this process's arguments, re-run without it under Xvfb and exit with its status."""
    if flag in sys.argv[1:]:
        argv = [arg for arg in sys.argv if arg != flag]
        raise SystemExit(rerun_under_xvfb(argv))


def platform() -> str:
    """The Qt platform this process draws on, for the notes beside the figures."""
    name = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    return f"{name} (Xvfb {os.environ.get('DISPLAY', '')}, {SCREEN})" if name == "xcb" else name
