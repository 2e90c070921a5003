"""The A4 driver against real IPP printers: Debian's ippeveprinter, and a private CUPS queue on it.

Both run in a network namespace of their own (``unshare --net``; ippeveprinter listens on every
address and wants DNS-SD), started and ended by ``ipp_everywhere_net.py``. Needs root (as the
test machines are) and the Debian packages scripts/bootstrap.sh installs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TOOLS = ("unshare", "ippeveprinter", "avahi-daemon", "dbus-daemon", "ip")
pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces and cupsd as nobody need root"),
    pytest.mark.skipif(any(shutil.which(t) is None and not Path("/usr/sbin", t).exists() for t in TOOLS),
                       reason="scripts/bootstrap.sh installs cups-ipp-utils, cups-daemon, avahi-daemon, dbus"),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("ipp-everywhere")
    os.chmod(work, 0o755)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    run = subprocess.run(["unshare", "--net", "--mount", "--", sys.executable, str(HERE / "ipp_everywhere_net.py"),
                          str(work)], capture_output=True, text=True, timeout=240, env=env)
    log = (work / "servers.log").read_text(errors="replace") if (work / "servers.log").exists() else ""
    assert run.returncode == 0, f"{run.stderr}\n{log}"
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_document_on_an_ipp_everywhere_printer_counts_when_completed(results):
    direct = results["ippeveprinter"]
    assert direct["ok"], direct
    assert direct["pages"] == 2 and direct["jobs"] == 1 and direct["progress"][-1] == [2, 2]
    assert direct["state_before"] == 3 and direct["reasons_before"] == []
    assert results["spooled"]  # ippeveprinter kept the document it printed (-k)


def test_a_document_through_a_cups_queue_to_that_printer(results):
    cups = results["cups"]
    assert cups["ok"], cups
    assert cups["pages"] == 2 and cups["jobs"] == 1
