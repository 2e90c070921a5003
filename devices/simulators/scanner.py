"""A serial QR/barcode scanner on a pty: sends a code followed by its terminator, like continuous mode.

``SAMPLES`` are the codes the demo panel offers: an appointment of today, payment notices bare and
as URLs, a foreign URL and junk.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

from devices.simulators.pty_link import PtyLink, PtySimulator

DEMO_DOMAIN = "zwfw.xm.gov.cn"


def samples(today: dt.date | None = None, domain: str = DEMO_DOMAIN) -> dict[str, str]:
    """Label → scanned text."""
    day = (today or dt.date.today()).strftime("%Y%m%d")
    return {
        "预约码 appointment": f"YY{day}0001",
        "预约链接 appointment URL": f"https://{domain}/appt/YY{day}0001",
        "缴款通知书 notice 0001": "3502002611000001",
        "缴款链接 notice URL 0002": f"https://{domain}/pay?notice=3502002611000002",
        "已缴 paid notice 0003": "3502002611000003",
        "逾期 overdue notice 0004": "3502002611000004",
        "外部网址 foreign URL": "https://zwfw.xm.gov.cn.example.net/pay?notice=3502002611000001",
        "乱码 junk": "hello-world 12345",
    }


class ScannerSimulator(PtySimulator):
    """The simulated scanner. ``slave_path`` is the port the driver opens."""

    name = "scanner"

    def __init__(self, terminator: bytes = b"\r") -> None:
        self.terminator = terminator
        self.link = PtyLink(self.name, self._on_bytes)
        self.received: deque[bytes] = deque(maxlen=100)  # the latest trigger commands from the driver

    def scan(self, code: str | bytes) -> bool:
        """Send one code with the terminator; False when unplugged."""
        data = code.encode("utf-8") if isinstance(code, str) else code
        return self.link.write(data + self.terminator)

    def send_raw(self, data: bytes) -> bool:
        return self.link.write(data)

    def _on_bytes(self, data: bytes) -> None:
        self.received.append(data)
