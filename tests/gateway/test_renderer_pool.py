"""The certificate renderers' process pool: one killed while idle costs the next citizen nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil

from gateway.documents import renderers


def test_a_renderer_killed_while_idle_is_replaced_and_the_next_job_still_done() -> None:
    first = renderers._elsewhere(os.getpid)  # any picklable work will do
    assert first != os.getpid()
    os.kill(first, signal.SIGKILL)  # as the kernel's OOM killer or an operator would
    if psutil.pid_exists(first):
        psutil.Process(first).wait(timeout=10)
    second = renderers._elsewhere(os.getpid)
    assert second not in (first, os.getpid())


def test_a_renderer_ends_with_the_gateway_process_that_started_it() -> None:
    code = ("import os, sys, time; from gateway.documents import renderers; "
            "print(renderers._elsewhere(os.getpid), flush=True); time.sleep(60)")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True) as gateway:
        try:
            renderer = psutil.Process(int(gateway.stdout.readline()))
            gateway.kill()  # killed: no clean shutdown of its pool
            gateway.wait(timeout=10)
            deadline = time.monotonic() + 10
            while _alive(renderer) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _alive(renderer), "the renderer outlived its gateway"
        finally:
            gateway.kill()


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
