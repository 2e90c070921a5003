"""The anchor: the kiosk's launch against Chromium ``--kiosk`` showing the same home page, under one Xvfb.

Many hall kiosks run a web page in Chromium's kiosk mode instead of a native application. This
benchmark starts, in the same run and interleaved, on the same private Xvfb (1080×1920, xcb):

- the kiosk (``kiosk run --demo --windowed``, bytecode compiled as installed), from spawn to its first
  frame (painted, event loop turning; ``KIOSK_EXIT_AFTER_FIRST_FRAME=1``), and its PSS then;
- Debian's ``chromium --kiosk`` with a fresh profile, background networking, component updates,
  sync and the GPU off, on ``benchmarks/anchor/home.html`` (the same header, greeting, tiles with
  their pictograms and badges, the all-services button and the footer, in Chinese) served from
  127.0.0.1: from spawn to the page's first frame after ``load`` (two animation frames, then the page
  calls back), and the PSS of all its processes half a second later.

Both times count process start-up; both PSS figures count shared pages once per process tree.
Target: the kiosk's first frame sooner than Chromium's, in the same run; its PSS below Chromium's.
Without Xvfb or Chromium the benchmark says how to install them and stops.

    .venv/bin/python benchmarks/bench_chromium_anchor.py [--runs 5]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import xvfb
from report import figure, median, note

ROOT = Path(__file__).resolve().parent.parent
PAGE = Path(__file__).resolve().parent / "anchor" / "home.html"
PICTOGRAMS = ROOT / "screens" / "pictograms"
TILE_COLOUR = b"#0b4ea2"  # the kiosk draws its pictograms in the theme colour; the footer one in text colour is close enough
PYTHON = Path(sys.executable)
CHROMIUM_HINT = "install it with: apt-get install chromium"


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit(f"Chromium is not installed; {CHROMIUM_HINT}")


class PageServer(http.server.ThreadingHTTPServer):
    """The static home page and its pictograms on 127.0.0.1; ``ready`` is set when the page says it is drawn."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ready = threading.Event()
        threading.Thread(target=self.serve_forever, name="anchor-page", daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PageServer

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        if self.path == "/ready":
            self.server.ready.set()
            self._send(b"ok", "text/plain")
        elif self.path.startswith("/pictograms/") and self.path.endswith(".svg"):
            picture = PICTOGRAMS / Path(self.path).name
            if not picture.is_file():
                self.send_error(404)
                return
            self._send(picture.read_bytes().replace(b"currentColor", TILE_COLOUR), "image/svg+xml")
        else:
            self._send(PAGE.read_bytes(), "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def tree_pss_mb(pid: int) -> float:
    """PSS of ``pid`` and all its descendants, MB (0 for any that left meanwhile)."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


def chromium_run(binary: str, server: PageServer, env: dict[str, str]) -> tuple[float, float]:
    """One Chromium --kiosk start: (ms from spawn to the page's first frame after load, PSS MB of its processes)."""
    server.ready.clear()
    with tempfile.TemporaryDirectory(prefix="anchor-profile-", ignore_cleanup_errors=True) as profile:
        command = [binary, "--kiosk", "--no-first-run", "--no-default-browser-check", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-features=Translate,MediaRouter", "--password-store=basic",
                   "--window-position=0,0", "--window-size=1080,1920", f"--user-data-dir={profile}", server.url]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        start = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not server.ready.wait(60):
                raise SystemExit("Chromium did not show the page within 60 s")
            elapsed = (time.monotonic() - start) * 1000
            time.sleep(0.5)
            pss = tree_pss_mb(process.pid)
        finally:
            stop_tree(process)
    return elapsed, pss


def stop_tree(process: subprocess.Popen) -> None:
    """Stop Chromium and every process it started (they write to the profile until they are gone)."""
    import psutil

    try:
        family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for member in family:
        try:
            member.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(family, timeout=10)
    for member in alive:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    process.wait()


def kiosk_run(state: Path, env: dict[str, str]) -> tuple[float, float]:
    """One kiosk start: (ms from spawn to its first frame, PSS MB then)."""
    launcher = PYTHON.parent / "kiosk"
    command = [*([str(launcher)] if launcher.exists() else [str(PYTHON), "-m", "kiosk"]),
               "run", "--demo", "--windowed", "--state-dir", str(state)]
    start = time.monotonic()
    done = subprocess.run(command, env=dict(env, KIOSK_EXIT_AFTER_FIRST_FRAME="1"), cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    for line in done.stdout.splitlines():
        if line.startswith("{") and '"first_frame"' in line:
            report = json.loads(line)
            return (report["monotonic"] - start) * 1000, report["pss_kb"] / 1024
    raise SystemExit(f"no first-frame report from the kiosk (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of each (default 5)")
    args = parser.parse_args()
    binary = chromium()
    from bench_startup import compile_sources

    compile_sources()
    with xvfb.xvfb_display() as display, tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        server = PageServer()
        state = Path(tmp) / "kiosk"
        kiosk_run(state, env)  # warms the page cache for both, as the runs that follow find it
        chromium_run(binary, server, env)
        kiosk_ms, kiosk_pss, chrome_ms, chrome_pss = [], [], [], []
        for _ in range(args.runs):
            ms, pss = kiosk_run(state, env)
            kiosk_ms.append(ms)
            kiosk_pss.append(pss)
            ms, pss = chromium_run(binary, server, env)
            chrome_ms.append(ms)
            chrome_pss.append(pss)
        server.shutdown()
    note(f"{args.runs} starts each, interleaved, under Xvfb 1080x1920 (xcb); load average {os.getloadavg()[0]:.2f}")
    note(f"kiosk first frame min {min(kiosk_ms):.0f} / max {max(kiosk_ms):.0f} ms; Chromium page drawn "
         f"min {min(chrome_ms):.0f} / max {max(chrome_ms):.0f} ms")
    kiosk, chrome = median(kiosk_ms), median(chrome_ms)
    figure("launch -> home painted under Xvfb, kiosk vs Chromium --kiosk (median)", kiosk, "ms", baseline=chrome,
           target="< Chromium", passed=kiosk < chrome)
    figure("PSS at the first frame, kiosk vs Chromium --kiosk (all its processes)", median(kiosk_pss), "MB",
           baseline=median(chrome_pss), target="< Chromium", passed=median(kiosk_pss) < median(chrome_pss))


if __name__ == "__main__":
    main()
