"""The printer simulator starts without Pillow; Pillow loads when a receipt is drawn or a raster printed."""

from __future__ import annotations

import subprocess
import sys


def test_simulators_import_without_pillow_and_load_it_when_drawing() -> None:
    code = (
        "import sys\n"
        "from devices.simulators.printer import PrintedReceipt, render_receipt\n"
        "from devices.simulators.escpos_parser import EscPosParser, PrintedLine\n"
        "before = 'PIL' in sys.modules\n"
        "png = render_receipt(PrintedReceipt(items=[PrintedLine('A1', 'center', True, False, False, False)]))\n"
        "print(before, 'PIL' in sys.modules, png[:4] == b'\\x89PNG')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
