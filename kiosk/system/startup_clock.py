"""Time since this process was started by the operating system (not since Python got going)."""

from __future__ import annotations

import os
import time


def process_age_s() -> float:
    """Seconds since the kernel started this process (10 ms resolution), or since import on failure."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5); the first two fields were split off
        uptime = time.clock_gettime(time.CLOCK_BOOTTIME)  # the clock stat's starttime counts on
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


_IMPORTED = time.monotonic()
