"""Hostile or broken bundles: every one is a recorded refusal with a reason, reads are bounded, and the
store's clean-up never breaks a write under way."""

from __future__ import annotations

import json
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config import admin_cli
from config.bundle import BundleRefused, build, parse, public_key_text, read_bundle_file
from kiosk.cli import main
from kiosk.fleet.bundle_updates import BundleUpdates, fetch_bundle
from kiosk.fleet.config_updates import BundleStore
from kiosk.gateway_client.transport import AnswerTooLarge, HttpSession
from kiosk.shell.services import KioskServices
from kiosk.system.clock import SettableClock
from kiosk.system.durable_files import write_atomically

CST = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
KEY = Ed25519PrivateKey.generate()
TRUSTED = [public_key_text(KEY.public_key())]
DEEP = b"[" * 100_000 + b"]" * 100_000
SURROGATE = (b'{"format": "xm-kiosk-bundle", "header": {}, "files": {"settings.toml": "\\ud800"}, '
             b'"signature": null}')


def signed(version: int) -> bytes:
    bundle, _ = build({"settings.toml": "[timeouts]\nidle_timeout_s = 90\n"}, version=version,
                      issued_at=START - timedelta(hours=1), expires_at=START + timedelta(days=30),
                      groups=("canary",))
    return bundle.signed_with(KEY).to_bytes()


def surrogate_in_signed_bundle() -> bytes:
    document = json.loads(signed(3))
    text = json.dumps(document)
    return text.replace("idle_timeout_s = 90", "idle_timeout_s = 90 # \\ud800").encode()


@pytest.mark.parametrize("data", [DEEP, SURROGATE, surrogate_in_signed_bundle(), b'"\\udfff"'],
                         ids=["nested-100000", "lone-surrogate", "surrogate-in-signed", "surrogate-alone"])
def test_malformed_json_is_a_refusal_not_a_crash(data):
    with pytest.raises(BundleRefused) as refused:
        parse(data)
    assert refused.value.reason == "malformed"


@pytest.mark.parametrize("data", [DEEP, SURROGATE], ids=["nested", "surrogate"])
def test_kiosk_config_verify_and_apply_refuse_with_a_reason(tmp_path, capsys, data):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'state_dir = "state"\n[kiosk]\nid = "XM-HALL-009"\n[security]\n'
                      f'trusted_keys = ["{TRUSTED[0]}"]\n', encoding="utf-8")
    bundle = tmp_path / "b.json"
    bundle.write_bytes(data)
    for command in ("verify", "apply"):
        assert main(["config", command, str(bundle), "--config", str(config)]) == 3
        err = capsys.readouterr().err
        assert "REFUSED (malformed)" in err and "Traceback" not in err


def test_kiosk_admin_verify_refuses_nested_json(tmp_path, capsys):
    bundle = tmp_path / "b.json"
    bundle.write_bytes(DEEP)
    assert admin_cli.main(["bundle", "verify", str(bundle), "--trust", TRUSTED[0]]) == 3
    assert "REFUSED (malformed)" in capsys.readouterr().err


def test_a_file_over_the_limit_is_refused_without_reading_it_whole(tmp_path, monkeypatch, capsys):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB that take no disk
    tracemalloc.start()
    with pytest.raises(BundleRefused) as refused:
        read_bundle_file(big, 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.value.reason == "oversized" and peak < 1024 * 1024
    assert admin_cli.main(["bundle", "verify", str(big), "--trust", TRUSTED[0]]) == 3
    assert "larger than" in capsys.readouterr().err


# -- the poller --------------------------------------------------------------------------------------

def make_store(tmp_path: Path) -> BundleStore:
    return BundleStore(tmp_path, TRUSTED, "canary", SettableClock(START), max_size=1 << 20)


class FakeSessions:
    active = False

    def on_ended(self, _callback) -> None:
        pass


def poller(store: BundleStore, fetch) -> tuple[BundleUpdates, list[dict]]:
    told: list[dict] = []
    context = SimpleNamespace(sessions=FakeSessions(), services=KioskServices())
    return BundleUpdates(context, store, fetch=fetch, report=told.append), told


class Offer(bytes):
    offered_version: int | None = None


def test_the_poller_records_a_malformed_bundle_and_asks_past_it(qapp, tmp_path):
    store = make_store(tmp_path)
    asked: list[int] = []

    def fetch(_group: str, installed: int) -> bytes | None:
        asked.append(installed)
        if installed >= 7:
            return None
        offer = Offer(DEEP)
        offer.offered_version = 7  # what the gateway's X-Bundle-Version said
        return offer

    updates, told = poller(store, fetch)
    assert updates._fetch_and_stage() is False
    assert store.last_refusal().reason == "malformed"
    assert told[-1]["outcome"] == "refused" and told[-1]["reason"] == "malformed"
    updates._fetch_and_stage()
    assert asked == [0, 7]  # the second poll does not fetch the same bad file again
    assert store.last_refusal().count == 1


def test_a_bundle_refused_for_its_key_is_asked_for_again_once_the_keys_change(tmp_path):
    store = make_store(tmp_path)
    stranger = Ed25519PrivateKey.generate()
    bundle, _ = build({"settings.toml": "[timeouts]\nidle_timeout_s = 90\n"}, version=4,
                      issued_at=START - timedelta(hours=1), expires_at=START + timedelta(days=30), groups=("canary",))
    with pytest.raises(BundleRefused):
        store.stage(bundle.signed_with(stranger).to_bytes(), offered_version=4)
    assert store.skip_through == 4
    repinned = BundleStore(tmp_path, [*TRUSTED, public_key_text(stranger.public_key())], "canary",
                           SettableClock(START))
    assert repinned.skip_through == 0


class BigHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    honest_length = True

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.send_response(200)
        self.send_header("X-Bundle-Version", "9")
        if BigHandler.honest_length:
            self.send_header("Content-Length", str(400 * 1024 * 1024))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b" " * (1024 * 1024)
        try:
            for _ in range(400):
                self.wfile.write(chunk)
        except OSError:
            pass  # the kiosk hung up, as it should


@pytest.fixture
def big_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BigHandler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("honest_length", [True, False], ids=["content-length", "no-length"])
def test_a_huge_gateway_answer_is_refused_while_reading(big_server, honest_length, tmp_path):
    BigHandler.honest_length = honest_length
    session = HttpSession()
    client = SimpleNamespace(base_url=big_server, session=session, timeout=(2.0, 10.0))
    tracemalloc.start()
    with pytest.raises(BundleRefused) as refused:
        fetch_bundle(client, "canary", 0, max_size=2 * 1024 * 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    session.close()
    assert refused.value.reason == "oversized"
    assert peak < 8 * 1024 * 1024  # never the 400 MB answer
    assert refused.value.offered_version == 9
    with pytest.raises(AnswerTooLarge):
        HttpSession().get(big_server + "/x", max_bytes=1000)


def test_the_poller_records_an_oversized_answer(qapp, tmp_path):
    store = make_store(tmp_path)

    def fetch(_group: str, _installed: int) -> bytes | None:
        refused = BundleRefused("oversized", "the gateway's answer is larger than allowed")
        refused.offered_version = 11
        raise refused

    updates, told = poller(store, fetch)
    assert updates._fetch_and_stage() is False
    assert store.last_refusal().reason == "oversized" and store.skip_through == 11
    assert told[-1]["reason"] == "oversized"


# -- the store's clean-up --------------------------------------------------------------------------

def test_opening_the_store_never_removes_a_temporary_file_of_a_write_under_way(tmp_path):
    store = make_store(tmp_path)
    failures: list[BaseException] = []
    stop = threading.Event()

    def keep_writing() -> None:
        for index in range(300):
            try:
                with store._locked():
                    write_atomically(store.record_path, json.dumps({"n": index}).encode())
            except OSError as exc:  # the rename finds its temporary file gone
                failures.append(exc)
        stop.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    while not stop.is_set():
        make_store(tmp_path)
    writer.join()
    assert failures == []


def test_a_stale_temporary_file_is_removed_at_open(tmp_path):
    store = make_store(tmp_path)
    stale = store.folder / ".installed.json.4242.tmp"
    stale.write_bytes(b"half")
    make_store(tmp_path)
    assert not stale.exists()
