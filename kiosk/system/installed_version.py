"""The installed version of the kiosk software, read from its ``.dist-info`` directory.

``importlib.metadata`` would answer the same, but it brings its own modules (csv, zipfile, the
e-mail parser's header machinery: ~1.5 MB more in the kiosk process) to read one line. An installed
distribution is a ``<name>-<version>.dist-info`` directory on ``sys.path`` whose ``METADATA`` file
carries ``Version:`` among its first lines (the core metadata format, PEP 566); this module reads
just that and nothing else.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

DISTRIBUTION = "xm-hall-kiosk"
UNKNOWN = "unknown"


def _normalized(name: str) -> str:
    """A distribution name as its dist-info directory spells it (runs of -_. become one _)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def kiosk_version() -> str:
    """The kiosk software's installed version, looked up once per process."""
    return installed_version(DISTRIBUTION)


def installed_version(distribution: str = DISTRIBUTION, paths: list[str] | None = None) -> str:
    """The version of ``distribution`` as installed on ``paths`` (sys.path); "unknown" if not installed."""
    wanted = _normalized(distribution)
    for entry in sys.path if paths is None else paths:
        try:
            candidates = sorted(Path(entry or ".").glob("*.dist-info"))
        except OSError:
            continue
        for info in candidates:
            if _normalized(info.name.split("-", 1)[0]) != wanted:
                continue
            try:
                with open(info / "METADATA", encoding="utf-8", errors="replace") as metadata:
                    for line in metadata:
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip() or UNKNOWN
                        if not line.strip():  # the headers end at the first empty line
                            break
            except OSError:
                continue
    return UNKNOWN
