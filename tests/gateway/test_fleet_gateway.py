"""Fleet endpoints over real HTTP: heartbeats, bundle publishing and roll-out, admin auth, the console login."""

from __future__ import annotations

import http.client
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from fleet_fixtures import (
    ADMIN_PASSWORD,
    HALL,
    NIGHT,
    Api,
    Fleet,
    example_files,
    heartbeat,
    new_key,
    signed_bundle,
)

from config import admin_cli
from gateway import fleet_admin


@pytest.fixture
def fleet(new_database):
    running = Fleet(new_database("fleet"))
    yield running
    running.server.stop()


def test_heartbeats_show_kiosks_online_with_versions_and_alerts_then_offline(fleet):
    assert fleet.kiosks()["XM-HALL-001"]["alerts"][0]["code"] == "never_seen"
    answer = fleet.beat(
        config={"installed_version": 3, "last_refusal": {"reason": "bad_signature", "message": "changed", "version": 4,
                                                         "at": "2026-11-25T10:00:00+08:00"}},
        devices={"idcard": {"state": "error", "last_error": "SAM timeout"}, "printer": {"state": "idle"}},
        paper={"state": "near_end", "left_percent": 4.0, "tickets_left": 30},
        outbox={"pending": 2, "parked": 1, "unfinished": 3}, last_errors=["WARNING devices: SAM timeout"])
    assert answer.status_code == 200, answer.text
    row = fleet.kiosks()["XM-HALL-001"]
    assert row["online"] and row["heartbeat_age_s"] == 0 and row["group"] == "canary"
    assert row["config_version"] == 3 and row["app_version"] == "0.1.0" and row["outbox"]["unfinished"] == 3
    codes = {a["code"] for a in row["alerts"]}
    assert {"paper_low", "reader_error", "outbox_parked", "bundle_refused"} <= codes
    assert row["last_refusal"]["reason"] == "bad_signature" and row["last_errors"] == ["WARNING devices: SAM timeout"]
    assert "maintenance_planned" not in codes
    fleet.clock.advance(seconds=10)
    assert fleet.beat(maintenance="planned").status_code == 200
    row = fleet.kiosks()["XM-HALL-001"]
    assert row["alerts"][0]["code"] == "maintenance_planned" and "planned" in row["alerts"][0]["en"]
    fleet.clock.advance(seconds=200)
    row = fleet.kiosks()["XM-HALL-001"]
    assert not row["online"] and row["heartbeat_age_s"] == 200 and row["alerts"][0]["code"] == "offline"


def test_an_old_heartbeat_replayed_late_does_not_hide_the_newer_state(fleet):
    assert fleet.beat(config={"installed_version": 5}).status_code == 200
    old = (fleet.clock() - timedelta(minutes=30)).isoformat(timespec="seconds")
    assert fleet.beat(sent_at=old, config={"installed_version": 2}).json()["result"] == {"latest": False}
    assert fleet.kiosks()["XM-HALL-001"]["config_version"] == 5
    detail = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks/XM-HALL-001", timeout=10).json()
    assert len(detail["history"]) == 2 and detail["heartbeat"]["config"]["installed_version"] == 5


def test_a_heartbeat_for_another_kiosk_or_malformed_is_refused(fleet):
    api = Api(fleet.url, HALL)
    other = api.post("/outbox/telemetry", json={"payload": heartbeat("XM-24H-001")}, key="hb-other-0001")
    assert other.status_code == 422 and other.json()["code"] == "kiosk_mismatch"
    broken = api.post("/outbox/telemetry", json={"payload": heartbeat(group="Not A Group")}, key="hb-broken-001")
    assert broken.status_code == 422 and broken.json()["code"] == "invalid_payload"
    assert fleet.kiosks()["XM-HALL-001"]["online"] is False


def test_admin_endpoints_need_an_admin_and_wrong_tokens_lock_out(fleet):
    assert requests.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10).status_code == 401
    kiosk = requests.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10,
                         headers={"Authorization": f"Bearer {HALL[1]}", "X-Kiosk-Id": HALL[0]})
    assert kiosk.status_code == 401  # a kiosk token is not an admin token
    for _ in range(fleet_admin.FREE_FAILURES - 2):
        assert requests.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10,
                            headers={"Authorization": "Bearer guess"}).status_code == 401
    locked = requests.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10, headers={"Authorization": "Bearer guess"})
    assert locked.status_code == 401
    again = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10)  # even the right token waits now
    assert again.status_code == 429 and int(again.headers["Retry-After"]) >= 1
    fleet.clock.advance(seconds=fleet_admin.FIRST_LOCK_S + 1)
    assert fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10).status_code == 200


def test_publish_refuses_every_bad_bundle_with_its_reason(fleet):
    stranger, _ = new_key()
    now = datetime.now(UTC).replace(microsecond=0)
    bad_files = example_files(**{"settings.toml": 'theme = "neon"\n'})
    from config.bundle import Bundle, build

    unsigned_invalid, _ = build(example_files(), version=9, issued_at=now, expires_at=now + timedelta(days=1),
                                groups=["*"])
    invalid = Bundle(unsigned_invalid.header, bad_files).signed_with(fleet.key).to_bytes()
    tampered = json.loads(signed_bundle(fleet.key, 9))
    tampered["files"]["settings.toml"] = 'theme = "high-contrast"\n'
    cases = {
        "unsigned": (signed_bundle(None, 9), 422, "bad_signature"),
        "unknown key": (signed_bundle(stranger, 9), 422, "unknown_key"),
        "tampered": (json.dumps(tampered).encode(), 422, "bad_signature"),
        "expired": (signed_bundle(fleet.key, 9, issued=now - timedelta(days=3), days=1), 422, "expired"),
        "schema": (invalid, 422, "schema_invalid"),
        "wrong group": (signed_bundle(fleet.key, 9, groups=("lobby",)), 422, "wrong_group"),
    }
    for name, (data, status, code) in cases.items():
        answer = fleet.publish(data)
        assert (answer.status_code, answer.json()["code"]) == (status, code), name
    malformed = fleet.admin.post(fleet.url + "/api/v1/fleet/bundles", timeout=10,
                                 json={"group": "canary", "bundle": {"format": "something else"}})
    assert malformed.status_code == 422 and malformed.json()["code"] == "malformed"
    assert fleet.publish(signed_bundle(fleet.key, 9)).status_code == 201
    older = fleet.publish(signed_bundle(fleet.key, 8))
    assert older.status_code == 409 and older.json()["code"] == "not_newer"
    same_version = fleet.publish(signed_bundle(fleet.key, 9, groups=("*", "canary")))
    assert same_version.status_code == 409 and same_version.json()["code"] == "version_taken"
    listed = fleet.admin.get(fleet.url + "/api/v1/fleet/rollouts", timeout=10).json()
    assert [r["version"] for r in listed] == [9]


def test_a_bundle_larger_than_other_requests_may_be_is_published(fleet):
    # announcements with a long comment: far over the 64 KiB other requests may carry, well under
    # the 2 MiB the kiosks take
    announcements = example_files()["announcements.toml"]
    padded = "".join(f"# 公告说明 {n:06d} " + "注" * 40 + "\n" for n in range(1500)) + announcements
    data = signed_bundle(fleet.key, 11, files=example_files(**{"announcements.toml": padded}))
    assert 64 * 1024 < len(data) < 2 * 1024 * 1024
    answer = fleet.publish(data)
    assert answer.status_code == 201, answer.text
    fetched = fleet.fetch(installed=0)
    assert fetched.status_code == 200 and json.loads(fetched.content)["files"]["announcements.toml"] == padded
    # other requests keep the small limit, and publishing keeps a limit of its own
    assert declared_body(fleet, "/api/v1/fleet/bundles/11/promote", 70_000) == (413, "body_too_large")
    assert declared_body(fleet, "/api/v1/fleet/bundles", 4 * 1024 * 1024 + 1) == (413, "body_too_large")


def declared_body(fleet, path: str, length: int) -> tuple[int, str]:
    """POST announcing a body of ``length`` bytes without sending it: the gateway refuses on the length alone
    (a body really sent would race the refusal: the connection is closed with the body half read)."""
    host, port = fleet.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("POST", path)
        for name, value in (("Authorization", f"Bearer {fleet.token}"), ("Content-Type", "application/json"),
                            ("Content-Length", str(length))):
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())["code"]
    finally:
        connection.close()


def test_publish_needs_a_trusted_key_on_the_gateway(fleet):
    fleet_admin.distrust_key(fleet.db, fleet_admin.trusted_keys(fleet.db).ids()[0])
    answer = fleet.publish(signed_bundle(fleet.key, 1))
    assert answer.status_code == 409 and answer.json()["code"] == "no_trusted_keys"


def test_staged_roll_out_canary_first_then_everyone(fleet):
    data = signed_bundle(fleet.key, 4)
    first = fleet.publish(data)
    assert first.status_code == 201 and first.json()["stage"] == "canary"
    assert fleet.publish(data).status_code == 200  # the same bundle again: nothing changes
    got = fleet.fetch(group="canary")
    assert got.status_code == 200 and got.headers["X-Bundle-Version"] == "4"
    assert json.loads(got.content) == json.loads(data)
    assert fleet.fetch(group="canary", installed=4).status_code == 204
    assert fleet.fetch(NIGHT, group="default").status_code == 204  # not yet for everyone
    promoted = fleet.admin.post(fleet.url + "/api/v1/fleet/bundles/4/promote", timeout=10)
    assert promoted.status_code == 200 and promoted.json()["stage"] == "everyone"
    assert fleet.fetch(NIGHT, group="default").headers["X-Bundle-Version"] == "4"
    assert fleet.admin.post(fleet.url + "/api/v1/fleet/bundles/5/promote", timeout=10).status_code == 404
    # a newer canary overtakes the older one for canary kiosks only
    assert fleet.publish(signed_bundle(fleet.key, 5)).status_code == 201
    assert fleet.fetch(group="canary", installed=4).headers["X-Bundle-Version"] == "5"
    assert fleet.fetch(NIGHT, group="default", installed=4).status_code == 204


def test_kiosk_reports_count_against_the_roll_out(fleet):
    assert fleet.publish(signed_bundle(fleet.key, 2)).status_code == 201
    api = Api(fleet.url, HALL)
    refused = api.post("/fleet/reports", json={"version": 2, "outcome": "refused", "reason": "expired",
                                               "message": "clock ahead", "group": "canary"})
    assert refused.status_code == 200
    assert api.post("/fleet/reports", json={"version": 2, "outcome": "exploded", "group": "canary"}).status_code == 422
    fleet.beat(config={"installed_version": 2})
    view = fleet.admin.get(fleet.url + "/api/v1/fleet/rollouts", timeout=10).json()[0]
    assert (view["applied"], view["refused"]) == (1, 1)
    detail = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks/XM-HALL-001", timeout=10).json()
    assert detail["reports"][0]["reason"] == "expired"
    assert fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks/XM-NOPE-9", timeout=10).status_code == 404


def _login_form(session: requests.Session, url: str) -> str:
    page = session.get(url + "/fleet/", timeout=10)
    assert page.status_code == 200 and "Admin password" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_console_login_sets_a_strict_cookie_and_posts_need_the_csrf_token(fleet):
    browser = requests.Session()
    csrf = _login_form(browser, fleet.url)
    forged = browser.post(fleet.url + "/fleet/login", data={"password": ADMIN_PASSWORD, "csrf": "forged"},
                          allow_redirects=False, timeout=10)
    assert forged.status_code == 403 and "fleet_session" not in forged.cookies
    wrong = browser.post(fleet.url + "/fleet/login", data={"password": "nope", "csrf": csrf}, timeout=10)
    assert wrong.status_code == 401 and "Wrong password" in wrong.text
    ok = browser.post(fleet.url + "/fleet/login", data={"password": ADMIN_PASSWORD, "csrf": csrf},
                      allow_redirects=False, timeout=10)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    assert "fleet_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    console = browser.get(fleet.url + "/fleet/", timeout=10)
    session_csrf = re.search(r'name="csrf-token" content="([^"]+)"', console.text).group(1)
    assert browser.get(fleet.url + "/api/v1/fleet/kiosks", timeout=10).status_code == 200
    data = signed_bundle(fleet.key, 1)
    without = fleet.publish(data, session=browser)
    assert without.status_code == 403 and without.json()["code"] == "csrf_failed"
    browser.headers["X-CSRF-Token"] = session_csrf
    assert fleet.publish(data, session=browser).status_code == 201
    for name in ("console.js", "console.css"):
        assert browser.get(fleet.url + f"/fleet/static/{name}", timeout=10).status_code == 200
    assert browser.get(fleet.url + "/fleet/static/..%2Fapp.py", timeout=10).status_code == 404
    browser.post(fleet.url + "/fleet/logout", data={"csrf": session_csrf}, timeout=10)
    assert requests.get(fleet.url + "/api/v1/fleet/kiosks", cookies={"fleet_session": "x"}, timeout=10).status_code == 401
    assert "Admin password" in browser.get(fleet.url + "/fleet/", timeout=10).text


def test_repeated_wrong_passwords_lock_the_console_login(fleet):
    browser = requests.Session()
    csrf = _login_form(browser, fleet.url)
    statuses = [browser.post(fleet.url + "/fleet/login", data={"password": f"guess-{i}", "csrf": csrf},
                             timeout=10).status_code for i in range(fleet_admin.FREE_FAILURES)]
    assert statuses == [401] * (fleet_admin.FREE_FAILURES - 1) + [429]
    locked = browser.post(fleet.url + "/fleet/login", data={"password": ADMIN_PASSWORD, "csrf": csrf}, timeout=10)
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.text
    fleet.clock.advance(seconds=fleet_admin.FIRST_LOCK_S + 1)
    ok = browser.post(fleet.url + "/fleet/login", data={"password": ADMIN_PASSWORD, "csrf": csrf},
                      allow_redirects=False, timeout=10)
    assert ok.status_code == 303


def test_password_is_kept_only_as_an_argon2id_hash(fleet):
    stored = fleet_admin.password_hash(fleet.db)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and ADMIN_PASSWORD not in stored
    assert fleet_admin.check_password(ADMIN_PASSWORD, stored) and not fleet_admin.check_password("x", stored)
    assert not fleet_admin.check_password(ADMIN_PASSWORD, "scrypt$broken")
    assert not fleet_admin.check_password(ADMIN_PASSWORD, "$argon2id$broken")
    with pytest.raises(ValueError, match="at least"):
        fleet_admin.set_password(fleet.db, "short")


def test_kiosk_admin_publish_talks_to_this_endpoint(fleet, tmp_path, capsys):
    path = tmp_path / "v6.json"
    path.write_bytes(signed_bundle(fleet.key, 6))
    assert admin_cli.main(["publish", str(path), "--gateway", fleet.url, "--group", "canary",
                           "--admin-token", fleet.token]) == 0
    assert "published" in capsys.readouterr().out
    assert admin_cli.main(["publish", str(path), "--gateway", fleet.url, "--group", "canary",
                           "--admin-token", "wrong"]) == admin_cli.REFUSED
    assert "bad_credentials" in capsys.readouterr().err


def test_gateway_admin_commands_set_password_token_and_keys(tmp_path, monkeypatch, capsys):
    import io

    from gateway import cli
    from gateway.storage import Database

    db_path = tmp_path / "gw.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSWORD + "\n"))
    assert cli.main(["admin", "set-password", "--password-stdin", "--db", str(db_path)]) == 0
    _, public = new_key()
    assert cli.main(["admin", "trust-key", public, "--db", str(db_path)]) == 0
    assert cli.main(["admin", "trust-key", "not-a-key", "--db", str(db_path)]) == 2
    assert cli.main(["admin", "new-token", "--db", str(db_path)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["admin", "set-password", "--password-stdin", "--db", str(db_path)]) == 2
    db = Database(db_path)
    try:
        assert fleet_admin.check_password(ADMIN_PASSWORD, fleet_admin.password_hash(db))
        assert fleet_admin.check_token(db, token) and len(fleet_admin.trusted_keys(db)) == 1
    finally:
        db.close()
