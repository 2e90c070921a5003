"""PySide6 imported without its ``__feature__`` hook reading the source of every module imported later.

Once PySide6 is loaded, its import hook (``shibokensupport/feature.py``) sees every import that
follows and, for each module it has not seen, decides whether the module "uses PySide6" by reading
the module's whole source file (``inspect.getsource``) and looking for the word. On a kiosk start
that is ~230 files read before the first frame (30–40 ms) and their text kept in ``linecache``
afterwards (~4 million characters, ~6 MB).

The answer only chooses which of PySide6's optional features (``snake_case``, ``true_property``)
the module sees: 0 ("uses PySide6": no features) or -1 ("ignore": whatever selection was in force
last, which is none in a process where no module selects one). No module of the kiosk selects a
feature, so every module is given 0 at once, without its source being read. A module that does
select one (``from __feature__ import snake_case``) still gets it: that import records its
selection before the hook asks about the module, and the hook asks only about modules it has not
recorded.

The few sources the hook read while PySide6 itself was loading (enum, inspect, the command line's
modules: ~200 KB of text) are dropped from ``linecache`` again; a traceback reads them back.

Where PySide6's internals are not as expected (another PySide6 version), nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

FEATURE_MODULE = "shibokensupport.feature"


def _default_features(_module: ModuleType) -> bool:
    """PySide6's question "does this module use PySide6?", answered yes: PySide6's default names."""
    return True


def import_qt() -> bool:
    """Import PySide6 (QtCore) and stop its feature hook reading sources; True when the hook was found."""
    import PySide6.QtCore  # noqa: F401 (loads shiboken6 and its feature hook)

    feature: Any = sys.modules.get(FEATURE_MODULE)  # PySide6's own module, typed by nobody
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _default_features
    import linecache

    linecache.clearcache()
    return True
