"""The way out of a frozen version floor: a key rotation signed by the key that owns the floor, naming the new
key and floor; and kiosk-admin's guard against version jumps."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config import rotation as rotations
from config.admin_cli import main as admin_main
from config.bundle import MAX_CONFIG_VERSION, BundleRefused, build, public_key_text
from kiosk.cli import main as kiosk_main
from kiosk.fleet.config_updates import BundleStore
from kiosk.fleet.key_rotation import apply_rotation
from kiosk.system.clock import SettableClock

CST = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
OLD, NEW, STRANGER = (Ed25519PrivateKey.generate() for _ in range(3))
EXAMPLE = Path(__file__).parents[2] / "config" / "defaults" / "bundle-example"


def pub(key: Ed25519PrivateKey) -> str:
    return public_key_text(key.public_key())


def signed(version: int, key: Ed25519PrivateKey, idle: int = 90) -> bytes:
    bundle, _ = build({"settings.toml": f"[timeouts]\nidle_timeout_s = {idle}\n"}, version=version,
                      issued_at=START - timedelta(hours=1), expires_at=START + timedelta(days=30), groups=("*",))
    return bundle.signed_with(key).to_bytes()


def rotation(old: Ed25519PrivateKey, new: Ed25519PrivateKey, floor: int = 0, **dates) -> bytes:
    issued = dates.get("issued", START - timedelta(minutes=5))
    return rotations.make(old, new.public_key(), floor, issued, issued + timedelta(days=dates.get("days", 7))).to_bytes()


def store_pinning(tmp_path: Path, *keys: Ed25519PrivateKey) -> BundleStore:
    return BundleStore(tmp_path, [pub(k) for k in keys], "canary", SettableClock(START))


def frozen(tmp_path: Path) -> BundleStore:
    """A kiosk that accepted version 2^53−1 from the old key, which the admins have since un-pinned."""
    store = store_pinning(tmp_path, OLD, NEW)
    store.stage(signed(MAX_CONFIG_VERSION, OLD))
    store.apply_pending()
    store.confirm_good()
    return store_pinning(tmp_path, NEW)


def test_the_freeze_and_the_signed_way_out(tmp_path):
    store = frozen(tmp_path)
    with pytest.raises(BundleRefused) as refused:
        store.stage(signed(5, NEW))
    assert refused.value.reason == "not_newer"  # the freeze
    applied = apply_rotation(store, rotation(OLD, NEW, floor=3))
    assert applied.version_floor == 3 and store.accepted_version == 3
    assert store.stage(signed(5, NEW, idle=150)).version == 5
    assert store.apply_pending().timeouts.idle_timeout_s == 150
    assert store.retired_keys() == [rotations.key_id(OLD.public_key())]


def test_the_same_rotation_cannot_be_applied_twice_nor_old_bundles_replayed(tmp_path):
    store = store_pinning(tmp_path, OLD, NEW)
    store.stage(signed(1000, OLD))
    store.apply_pending()
    document = rotation(OLD, NEW, floor=0)
    apply_rotation(store, document)
    with pytest.raises(BundleRefused) as again:
        apply_rotation(store, document)
    assert again.value.reason == "unknown_key" and "does not own" in again.value.message
    with pytest.raises(BundleRefused) as replay:  # the old key is still pinned here, but retired
        store.stage(signed(20, OLD))
    assert replay.value.reason == "retired_key"
    assert store.last_refusal().reason == "retired_key"


@pytest.mark.parametrize("make, reason", [
    (lambda: rotation(STRANGER, NEW), "unknown_key"),          # not the key that owns the floor
    (lambda: rotation(NEW, STRANGER), "unknown_key"),          # a pinned key, but not the floor's owner
    (lambda: rotation(OLD, STRANGER), "unknown_key"),          # the new key is not pinned
    (lambda: rotation(OLD, NEW, days=-1), "expired"),
    (lambda: rotation(OLD, NEW).replace(b'"version_floor": 0', b'"version_floor": 1'), "bad_signature"),
    (lambda: b'{"format": "xm-kiosk-key-rotation", "rotation": [[[[]]]]}', "malformed"),
], ids=["stranger", "other-pinned-key", "new-key-not-pinned", "expired", "tampered", "malformed"])
def test_a_rotation_is_refused_and_recorded_unless_the_floors_owner_signed_it(tmp_path, make, reason):
    store = frozen(tmp_path)
    with pytest.raises(BundleRefused) as refused:
        apply_rotation(store, make())
    assert refused.value.reason == reason
    assert store.accepted_version == MAX_CONFIG_VERSION and store.last_refusal().reason == reason


def test_a_rollback_after_the_rotation_does_not_freeze_again(tmp_path):
    store = store_pinning(tmp_path, OLD, NEW)
    store.stage(signed(MAX_CONFIG_VERSION, OLD))
    store.apply_pending()
    apply_rotation(store, rotation(OLD, NEW, floor=0))
    store.rollback("the screens could not be built")
    assert store.accepted_version == 0


# -- the command lines -------------------------------------------------------------------------------

def kiosk_config(tmp_path: Path, *keys: Ed25519PrivateKey) -> Path:
    path = tmp_path / "kiosk.toml"
    trusted = ", ".join(f'"{pub(k)}"' for k in keys)
    path.write_text(f'state_dir = "state"\n[kiosk]\nid = "XM-HALL-007"\ngroup = "canary"\n'
                    f"[security]\ntrusted_keys = [{trusted}]\n", encoding="utf-8")
    return path


def test_kiosk_admin_rotate_then_kiosk_config_apply(tmp_path, capsys):
    keys = tmp_path / "keys"
    for name in ("old", "new"):
        assert admin_main(["keygen", "--out", str(keys), "--name", name, "--no-passphrase"]) == 0
    old_pub, new_pub = ((keys / f"{n}.pub").read_text().strip() for n in ("old", "new"))
    bundle = tmp_path / "typo.json"
    assert admin_main(["bundle", "build", str(EXAMPLE), "--version", "7000000", "--expires", "30", "--group", "*",
                       "--out", str(bundle), "--allow-version-jump"]) == 0
    assert admin_main(["bundle", "sign", str(bundle), "--key", str(keys / "old.key")]) == 0
    config = tmp_path / "kiosk.toml"
    config.write_text(f'state_dir = "state"\n[kiosk]\nid = "XM-HALL-007"\ngroup = "canary"\n'
                      f'[security]\ntrusted_keys = ["{old_pub}", "{new_pub}"]\n', encoding="utf-8")
    assert kiosk_main(["config", "apply", str(bundle), "--config", str(config)]) == 0
    out = tmp_path / "rotation.json"
    assert admin_main(["rotate", "--key", str(keys / "old.key"), "--new", str(keys / "new.pub"), "--floor", "7",
                       "--out", str(out)]) == 0
    capsys.readouterr()
    assert kiosk_main(["config", "verify", str(out), "--config", str(config)]) == 0
    assert "valid: key rotation" in capsys.readouterr().out
    assert kiosk_main(["config", "apply", str(out), "--config", str(config)]) == 0
    assert "version floor 7" in capsys.readouterr().out
    assert kiosk_main(["config", "apply", str(out), "--config", str(config)]) == 3
    assert "REFUSED (unknown_key)" in capsys.readouterr().err
    audit = (tmp_path / "state" / "audit.jsonl").read_text(encoding="utf-8")
    assert "key_rotation" in audit


def test_kiosk_admin_refuses_a_version_jump_unless_told(tmp_path, capsys):
    out = tmp_path / "b.json"
    common = ["bundle", "build", str(EXAMPLE), "--expires", "30", "--group", "*", "--out", str(out)]
    assert admin_main([*common, "--version", "70000", "--last-published", "7"]) == 2
    assert "--allow-version-jump" in capsys.readouterr().err and not out.exists()
    assert admin_main([*common, "--version", "1007", "--last-published", "7"]) == 0
    assert admin_main([*common, "--version", "9007199254740991"]) == 2
    assert admin_main([*common, "--version", "70000", "--last-published", "7", "--allow-version-jump"]) == 0


class Rollouts(BaseHTTPRequestHandler):
    posted: list[dict] = []

    def log_message(self, *_args: object) -> None:
        pass

    def _json(self, status: int, value: object) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self._json(200, [{"version": 12}, {"version": 9}])

    def do_POST(self) -> None:  # noqa: N802
        Rollouts.posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self._json(201, {})


def test_publish_refuses_a_jump_over_the_gateways_newest(tmp_path, capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Rollouts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        key = tmp_path / "k"
        assert admin_main(["keygen", "--out", str(key), "--name", "k", "--no-passphrase"]) == 0
        bundle = tmp_path / "b.json"
        assert admin_main(["bundle", "build", str(EXAMPLE), "--version", "5000", "--expires", "3", "--group", "*",
                           "--out", str(bundle), "--last-published", "4500"]) == 0
        assert admin_main(["bundle", "sign", str(bundle), "--key", str(key / "k.key")]) == 0
        publish = ["publish", str(bundle), "--gateway", url, "--group", "canary", "--admin-token", "t"]
        assert admin_main(publish) == 2
        assert "above the last published version 12" in capsys.readouterr().err and Rollouts.posted == []
        assert admin_main([*publish, "--allow-version-jump"]) == 0 and len(Rollouts.posted) == 1
    finally:
        server.shutdown()
        server.server_close()
