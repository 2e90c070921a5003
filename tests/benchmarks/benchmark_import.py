"""Import a script of ``benchmarks/`` (not a package) by its module name, for the benchmark tests."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")


def benchmark_module(name: str) -> ModuleType:
    sys.path.insert(0, BENCHMARKS)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(BENCHMARKS)
