"""The certificate renderers' process pool: one killed while idle costs the next citizen nothing."""

from __future__ import annotations

import os
import signal

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
