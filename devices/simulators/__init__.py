"""Wire-level simulators of the kiosk's devices, and the registry of the ones running in this process.

``sim://idcard``, ``sim://printer`` and ``sim://scanner`` start a simulator here (on a pty, in a
background thread) and the real driver opens its port. The demo control panel finds the running
simulators through ``running(name)``.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

_SIMULATORS: dict[str, str] = {
    "idcard": "devices.simulators.idcard_reader:IdCardReaderSimulator",
    "printer": "devices.simulators.printer:PrinterSimulator",
    "scanner": "devices.simulators.scanner:ScannerSimulator",
    "a4printer": "devices.simulators.ipp_printer:IppPrinterSimulator",  # on 127.0.0.1, speaking IPP
}

_running: dict[str, Any] = {}
_lock = threading.Lock()


def known() -> list[str]:
    return list(_SIMULATORS)


def start(name: str) -> Any:
    """The running simulator called ``name``, started on first use."""
    with _lock:
        if name in _running:
            return _running[name]
        if name not in _SIMULATORS:
            raise KeyError(f"no simulator {name!r}; known: {', '.join(_SIMULATORS)}")
        module_name, _, class_name = _SIMULATORS[name].partition(":")
        simulator = getattr(importlib.import_module(module_name), class_name)()
        simulator.start()
        _running[name] = simulator
        return simulator


def running(name: str) -> Any | None:
    """The running simulator called ``name``, or None."""
    with _lock:
        return _running.get(name)


def stop_all() -> None:
    """Close every running simulator (tests, end of a demo)."""
    with _lock:
        simulators = list(_running.values())
        _running.clear()
    for simulator in simulators:
        simulator.close()
