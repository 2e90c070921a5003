"""The fleet console in headless Chromium over a province: 10,000 kiosks in one gateway.

The gateway runs as a child process on a database seeded through its own heartbeat code
(:mod:`tests.e2e.fleet_province`). The admin logs in, pages, filters by hall and status, sorts,
opens a kiosk's page (its uptime per day from the hourly history) and the alerts view, where every
alert kind the storage has is listed, the kiosk-raised ``staff_called`` among them. Screenshots
of each page are kept in the test's folder (``KIOSK_CONSOLE_SHOTS`` names another to keep them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.fleet_province import HALLS, kiosk_id, seed

PASSWORD = "province-console-password"


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    from gateway.embedded import EmbeddedGateway

    where = tmp_path_factory.mktemp("province")
    counts = seed(where / "gateway.db")
    password_file = where / "admin-password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    gateway = EmbeddedGateway(where / "gateway.db", demo=False, extra_args=("--admin-password-file", str(password_file)))
    gateway.start(timeout=60)
    yield gateway, counts
    gateway.stop()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_CONSOLE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_console_pages_filters_sorts_and_shows_alerts_for_10000_kiosks(playwright_browser, province, tmp_path):
    gateway, counts = province
    shots = _shots(tmp_path)
    context = playwright_browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    answers: list[str] = []
    page.on("response", lambda r: answers.append(r.url) if "/api/v1/fleet/kiosks?" in r.url else None)
    try:
        page.goto(gateway.url + "/fleet/")
        page.fill("#password", PASSWORD)
        page.click("#login-button")
        page.wait_for_selector(f'tr[data-kiosk="{kiosk_id(0)}"]')
        assert page.locator("#kiosks tbody tr").count() == 50
        assert "10000 台 kiosks" in page.inner_text("#summary")
        assert f"{counts['offline'] + counts['never_seen']} 离线 offline" in page.inner_text("#summary")
        assert "第 1 / 200 页" in page.inner_text("#page-info")
        assert page.is_hidden("#alert-kinds")  # the kinds are the alerts view's
        page.screenshot(path=str(shots / "console-first-page.png"))

        page.click("#page-next")
        page.wait_for_selector(f'tr[data-kiosk="{kiosk_id(50)}"]')
        assert "第 2 / 200 页" in page.inner_text("#page-info")

        # a hall and offline only: the server filters, and the page starts again at 1
        page.select_option("#f-hall", HALLS[9])
        page.select_option("#f-status", "offline")
        page.wait_for_selector('#page-info:has-text("第 1 /")')
        rows = page.locator("#kiosks tbody tr")
        assert rows.count() > 0
        for text in rows.all_inner_texts():
            assert HALLS[9] in text and "离线 offline" in text
        page.screenshot(path=str(shots / "console-filtered.png"))
        page.select_option("#f-status", "")
        page.select_option("#f-hall", "")

        # sorted by kiosk id, descending: the last kiosk first
        page.click('#kiosks th[data-sort="kiosk"]')
        page.wait_for_selector(f'#kiosks tbody tr:first-child[data-kiosk="{kiosk_id(9999)}"]')
        assert page.get_attribute('#kiosks th[data-sort="kiosk"]', "class") == "sorted-desc"

        # one kiosk's page, with its uptime per day from the hourly history
        page.click(f'tr[data-kiosk="{kiosk_id(9999)}"] a')
        page.wait_for_selector("#detail:not([hidden])")
        assert page.inner_text("#detail-id") == kiosk_id(9999)
        assert page.is_hidden("#list") and page.is_hidden("#bundles") and page.is_hidden(".tabs")
        page.goto(gateway.url + "/fleet/#kiosk/" + kiosk_id(1))
        page.wait_for_selector(f'#detail-id:has-text("{kiosk_id(1)}")')
        page.wait_for_selector("#detail-days .day >> nth=29")
        assert "%" in page.inner_text("#detail-uptime")
        page.screenshot(path=str(shots / "console-kiosk-page.png"), full_page=True)
        page.click("#detail-close")
        page.wait_for_selector("#list:not([hidden])")

        # the alerts view: every kind the storage has, the kiosk-raised staff_called too
        page.click("#tab-alerts")
        page.wait_for_selector('#alert-kinds button[data-code="staff_called"]')
        kinds = page.inner_text("#alert-kinds")
        for word in ("市民呼叫工作人员", "打印纸已用完", "打印机故障", "离线", "从未收到心跳"):
            assert word in kinds
        page.click('#alert-kinds button[data-code="staff_called"]')
        page.wait_for_selector('#alert-kinds button.current[data-code="staff_called"]')
        page.wait_for_selector("#kiosks tbody tr .alert-staff_called")
        for text in page.locator("#kiosks tbody tr").all_inner_texts():
            assert "市民呼叫工作人员" in text
        page.screenshot(path=str(shots / "console-alerts.png"))

        # a refresh asks only for what changed (the cursor and the ids it holds)
        page.wait_for_timeout(3500)
        assert any("since=" in url and "known=" in url for url in answers)
        assert errors == []
    finally:
        context.close()
