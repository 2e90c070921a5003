"""The fleet console's password, sessions and cookies, and the bounded rate-limit bookkeeping."""

from __future__ import annotations

import base64
import hashlib
import re
import time
import tracemalloc

import pytest
import requests
from argon2 import PasswordHasher
from fleet_fixtures import ADMIN_PASSWORD, Fleet

from gateway import fleet_admin
from gateway.admin_password import check_password, needs_rehash
from gateway.ratelimit import RateLimiter


@pytest.fixture
def fleet(new_database):
    running = Fleet(new_database("fleet"))
    yield running
    running.server.stop()


def _scrypt(password: str, n: int = 2**14, r: int = 8, p: int = 1) -> str:
    """A hash as earlier gateways wrote it; with costly parameters only its text (nobody should compute it)."""
    salt = b"0123456789abcdef"
    costly = (n, r, p) != (2**14, 8, 1)
    digest = b"x" * 32 if costly else hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def _login(fleet, password=ADMIN_PASSWORD, headers=None) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    browser.headers.update(headers or {})
    page = browser.get(fleet.url + "/fleet/", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # The pre-login cookie may be Secure (a TLS proxy in front): hand it back as the browser would over TLS.
    nonce = re.search(r"fleet_login=([^;]+)", page.headers["set-cookie"]).group(1)
    answer = browser.post(fleet.url + "/fleet/login", data={"password": password, "csrf": csrf},
                          cookies={"fleet_login": nonce}, allow_redirects=False, timeout=10)
    return browser, answer


# -- the password hash ------------------------------------------------------------------------------------

def test_an_old_scrypt_hash_opens_the_console_once_and_is_replaced_by_argon2id(fleet):
    fleet_admin.set_password(fleet.db, _scrypt(ADMIN_PASSWORD))
    assert fleet_admin.password_hash(fleet.db).startswith("scrypt$")
    _, first = _login(fleet)
    assert first.status_code == 303
    upgraded = fleet_admin.password_hash(fleet.db)
    assert upgraded.startswith("$argon2id$") and not needs_rehash(upgraded)
    _, again = _login(fleet)
    assert again.status_code == 303 and fleet_admin.password_hash(fleet.db) == upgraded


def test_an_argon2_hash_with_weaker_settings_is_rehashed_at_login(fleet):
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(ADMIN_PASSWORD)
    fleet_admin.set_password(fleet.db, weak)
    assert needs_rehash(weak)
    assert _login(fleet)[1].status_code == 303
    assert fleet_admin.password_hash(fleet.db) != weak and not needs_rehash(fleet_admin.password_hash(fleet.db))


def test_a_wrong_password_does_not_rehash(fleet):
    fleet_admin.set_password(fleet.db, _scrypt(ADMIN_PASSWORD))
    assert _login(fleet, "not the password")[1].status_code == 401
    assert fleet_admin.password_hash(fleet.db).startswith("scrypt$")


@pytest.mark.parametrize("stored", [
    _scrypt(ADMIN_PASSWORD, n=2**22),  # 4 GiB of memory per try
    _scrypt(ADMIN_PASSWORD, r=1024),
    _scrypt(ADMIN_PASSWORD, p=64),
    _scrypt(ADMIN_PASSWORD, n=1000),  # not a power of two
    "$argon2id$v=19$m=4194304,t=3,p=4$MDEyMzQ1Njc4OWFiY2RlZg$" + "A" * 43,  # 4 GiB
    "$argon2id$v=19$m=65536,t=100000,p=4$MDEyMzQ1Njc4OWFiY2RlZg$" + "A" * 43,
    "$argon2i$v=19$m=65536,t=3,p=4$MDEyMzQ1Njc4OWFiY2RlZg$" + "A" * 43,  # not Argon2id
])
def test_hash_parameters_read_from_the_database_are_bounded(fleet, stored):
    started = time.monotonic()
    assert check_password(ADMIN_PASSWORD, stored) is False
    assert time.monotonic() - started < 0.5  # refused before any work, not after minutes of it
    with pytest.raises(ValueError, match="damaged or asks for more work"):
        fleet_admin.set_password(fleet.db, stored)
    with fleet.db.transaction() as conn:  # a tampered row is refused at login the same way
        conn.execute("UPDATE fleet_settings SET value = ? WHERE name = 'password_hash'", (stored,))
    assert _login(fleet)[1].status_code == 401


# -- sessions and cookies -----------------------------------------------------------------------------------

def test_logout_ends_the_session_on_the_server(fleet):
    browser, answer = _login(fleet)
    assert answer.status_code == 303
    cookie = re.search(r"fleet_session=([^;]+)", answer.headers["set-cookie"]).group(1)
    copied = {"fleet_session": cookie}
    assert requests.get(fleet.url + "/api/v1/fleet/kiosks", cookies=copied, timeout=10).status_code == 200
    logout = browser.post(fleet.url + "/fleet/logout", data={}, allow_redirects=False, timeout=10)
    assert logout.status_code == 303 and 'fleet_session=""' in logout.headers["set-cookie"]
    assert requests.get(fleet.url + "/api/v1/fleet/kiosks", cookies=copied, timeout=10).status_code == 401
    with fleet.db.transaction() as conn:
        assert conn.one("SELECT COUNT(*) FROM fleet_sessions")[0] == 0


def test_the_cookie_is_secure_behind_a_trusted_tls_proxy_only(new_database):
    proxied = Fleet(new_database("fleet"), trusted_proxies=("127.0.0.1",))
    try:
        _, tls = _login(proxied, headers={"X-Forwarded-Proto": "https"})
        assert tls.status_code == 303 and "; Secure" in tls.headers["set-cookie"]
        _, plain = _login(proxied, headers={"X-Forwarded-Proto": "http"})
        assert "Secure" not in plain.headers["set-cookie"]
    finally:
        proxied.server.stop()


def test_forwarded_headers_from_anyone_else_are_ignored(fleet):
    _, answer = _login(fleet, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9"})
    assert answer.status_code == 303 and "Secure" not in answer.headers["set-cookie"]
    for _ in range(fleet_admin.FREE_FAILURES):
        _login(fleet, "wrong password!", headers={"X-Forwarded-For": f"10.0.0.{_}"})
    # the forged addresses did not spread the failures: the real peer is the one locked out
    assert _login(fleet, headers={"X-Forwarded-For": "10.0.0.99"})[1].status_code == 429


def test_lockouts_hit_the_client_a_trusted_proxy_forwards_for(new_database):
    proxied = Fleet(new_database("fleet"), trusted_proxies=("127.0.0.1",))
    try:
        for _ in range(fleet_admin.FREE_FAILURES):
            _login(proxied, "wrong password!", headers={"X-Forwarded-For": "203.0.113.7"})
        assert _login(proxied, headers={"X-Forwarded-For": "203.0.113.7"})[1].status_code == 429
        assert _login(proxied, headers={"X-Forwarded-For": "198.51.100.2"})[1].status_code == 303
    finally:
        proxied.server.stop()


# -- bounded bookkeeping ---------------------------------------------------------------------------------

def test_a_flood_of_distinct_keys_keeps_the_buckets_bounded():
    limiter = RateLimiter(10 / 60, 10, clock=lambda: 1000.0, max_keys=5_000)
    tracemalloc.start()
    try:
        limiter.take("warm-up")
        baseline, _ = tracemalloc.get_traced_memory()
        for i in range(100_000):
            limiter.take(f"XM-FLOOD-{i:06d}")
        grown, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(limiter) <= 5_000
    assert grown - baseline < 5 * 1024 * 1024  # 100 000 strangers, a few MiB at most


def test_refilled_buckets_are_forgotten_and_a_limited_key_stays_limited_through_a_flood():
    now = [0.0]
    limiter = RateLimiter(1.0, 3, clock=lambda: now[0], max_keys=1_000, sweep_every=100)
    for _ in range(3):
        assert limiter.take("XM-HALL-001") == 0
    assert limiter.take("XM-HALL-001") > 0
    for i in range(500):
        limiter.take(f"stranger-{i}")
        limiter.take("XM-HALL-001")  # the guessed kiosk id keeps being tried: it stays recent
    assert limiter.take("XM-HALL-001") > 0
    now[0] += 10  # everyone has refilled: the next sweep forgets them all
    for i in range(100):
        limiter.take(f"later-{i}")
    assert len(limiter) <= 100


def test_failed_login_rows_of_quiet_addresses_are_pruned(fleet):
    start = fleet.clock().timestamp()
    for i in range(300):
        fleet_admin.note_failure(fleet.db, f"198.51.100.{i}", start)
    fleet_admin.note_failure(fleet.db, "203.0.113.1", start + fleet_admin.FAILURES_KEPT_S + 1)
    with fleet.db.transaction() as conn:
        assert conn.one("SELECT COUNT(*) FROM fleet_login_failures")[0] == 1

