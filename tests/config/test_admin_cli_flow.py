"""`kiosk-admin` end to end: keygen → build → sign → verify → publish, and the kiosk taking the bundle."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config.admin_cli import PUBLISH_PATH, main
from kiosk.cli import main as kiosk_main

EXAMPLE = Path(__file__).parents[2] / "config" / "defaults" / "bundle-example"


def admin(*argv: str) -> int:
    return main([str(a) for a in argv])


PASSPHRASE = "鹭江道 signing key 2026"


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def keys(tmp_path: Path, passphrase_file: Path) -> Path:
    """``first`` written unencrypted on purpose, ``second`` encrypted with a passphrase."""
    folder = tmp_path / "keys"
    assert admin("keygen", "--out", folder, "--name", "first", "--no-passphrase") == 0
    assert admin("keygen", "--out", folder, "--name", "second", "--passphrase-file", passphrase_file) == 0
    return folder


@pytest.fixture
def signed_bundle(tmp_path: Path, keys: Path, passphrase_file: Path) -> Path:
    out = tmp_path / "bundle-7.json"
    assert admin("bundle", "build", EXAMPLE, "--version", 7, "--expires", 30, "--group", "canary",
                 "--group", "hall-2f", "--out", out) == 0
    assert admin("bundle", "sign", out, "--key", keys / "second.key", "--passphrase-file", passphrase_file) == 0
    return out


def kiosk_config(tmp_path: Path, keys: Path, group: str = "canary", trust: tuple[str, ...] = ("first", "second")) -> Path:
    trusted = ", ".join(f'"{(keys / f"{name}.pub").read_text().strip()}"' for name in trust)
    path = tmp_path / f"kiosk-{group}.toml"
    path.write_text(f'state_dir = "state-{group}"\n[kiosk]\nid = "XM-HALL-007"\ngroup = "{group}"\n'
                    f"[security]\ntrusted_keys = [{trusted}]\n", encoding="utf-8")
    return path


def test_keygen_writes_a_private_key_only_the_owner_can_read(keys, capsys):
    mode = stat.S_IMODE((keys / "first.key").stat().st_mode)
    assert mode == 0o600
    assert (keys / "first.key").read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert len((keys / "first.pub").read_text().strip()) == 44
    assert admin("keygen", "--out", keys, "--name", "first", "--no-passphrase") == 2  # never overwrites a key
    assert "already exists" in capsys.readouterr().err


def test_keygen_encrypts_the_private_key_unless_told_not_to(tmp_path, keys, passphrase_file, capsys):
    assert (keys / "second.key").read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert PASSPHRASE.encode() not in (keys / "second.key").read_bytes()
    # no terminal to ask on (as here) and neither option: nothing is written
    assert admin("keygen", "--out", keys, "--name", "third") == 2
    assert "--no-passphrase" in capsys.readouterr().err and not (keys / "third.key").exists()
    short = tmp_path / "short.txt"
    short.write_text("xiamen\n", encoding="utf-8")
    assert admin("keygen", "--out", keys, "--name", "third", "--passphrase-file", short) == 2
    assert "at least 12 characters" in capsys.readouterr().err and not (keys / "third.key").exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert admin("keygen", "--out", keys, "--name", "third", "--passphrase-file", empty) == 2
    assert "is empty" in capsys.readouterr().err


def test_signing_with_an_encrypted_key_needs_its_passphrase(tmp_path, keys, passphrase_file, capsys):
    out = tmp_path / "bundle-8.json"
    assert admin("bundle", "build", EXAMPLE, "--version", 8, "--expires", 30, "--group", "canary", "--out", out) == 0
    unsigned = out.read_bytes()
    assert admin("bundle", "sign", out, "--key", keys / "second.key") == 2
    assert "is encrypted" in capsys.readouterr().err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n", encoding="utf-8")
    assert admin("bundle", "sign", out, "--key", keys / "second.key", "--passphrase-file", wrong) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert out.read_bytes() == unsigned  # a refused signing leaves the bundle as it was
    assert admin("bundle", "sign", out, "--key", keys / "second.key", "--passphrase-file", passphrase_file) == 0
    assert admin("bundle", "verify", out, "--trust", keys / "second.pub") == 0


def test_build_sign_verify_then_the_kiosk_verifies_and_applies(tmp_path, keys, signed_bundle, capsys):
    assert admin("bundle", "verify", signed_bundle, "--trust", keys / "first.pub",
                 "--trust", keys / "second.pub", "--group", "hall-2f") == 0
    out = capsys.readouterr().out
    assert "valid" in out and "version 7" in out and "announcements" in out
    config = kiosk_config(tmp_path, keys)
    assert kiosk_main(["config", "verify", str(signed_bundle), "--config", str(config)]) == 0
    assert "valid: version 7" in capsys.readouterr().out
    assert kiosk_main(["config", "apply", str(signed_bundle), "--config", str(config)]) == 0
    assert "applied: version 7" in capsys.readouterr().out
    installed = tmp_path / "state-canary" / "bundles" / "installed.json"
    assert installed.read_bytes() == signed_bundle.read_bytes()
    assert kiosk_main(["config", "verify", str(signed_bundle), "--config", str(config)]) == 0
    assert "already installed" in capsys.readouterr().out
    audit = (tmp_path / "state-canary" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action":"config_apply"' in audit


def test_a_kiosk_that_only_pins_the_first_key_refuses_the_second(tmp_path, keys, signed_bundle, capsys):
    config = kiosk_config(tmp_path, keys, trust=("first",))
    assert kiosk_main(["config", "apply", str(signed_bundle), "--config", str(config)]) == 3
    err = capsys.readouterr().err
    assert "REFUSED (unknown_key)" in err and "unchanged (the shipped defaults)" in err
    assert not (tmp_path / "state-canary" / "bundles" / "installed.json").exists()


def test_a_kiosk_in_another_group_refuses(tmp_path, keys, signed_bundle, capsys):
    config = kiosk_config(tmp_path, keys, group="hall-3f")
    assert kiosk_main(["config", "verify", str(signed_bundle), "--config", str(config)]) == 3
    assert "REFUSED (wrong_group)" in capsys.readouterr().err


def test_admin_verify_says_why_it_refuses(tmp_path, keys, signed_bundle, capsys):
    assert admin("bundle", "verify", signed_bundle, "--trust", keys / "first.pub") == 3
    assert "REFUSED (unknown_key)" in capsys.readouterr().err
    assert admin("bundle", "verify", signed_bundle, "--trust", keys / "second.pub", "--installed-version", 7) == 3
    assert "REFUSED (not_newer)" in capsys.readouterr().err
    assert admin("bundle", "verify", signed_bundle, "--trust", "not-a-key") == 2
    assert "--trust not-a-key" in capsys.readouterr().err


def test_build_refuses_a_bad_folder_with_every_problem_named(tmp_path, capsys):
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "settings.toml").write_text('theme = "pink"\n[timeouts]\nidle_timeout_s = 2\n', encoding="utf-8")
    (folder / "colours.toml").write_text("x = 1\n", encoding="utf-8")
    (folder / "README.md").write_text("notes for the admins\n", encoding="utf-8")
    out = tmp_path / "b.json"
    assert admin("bundle", "build", folder, "--version", 1, "--expires", 30, "--group", "canary", "--out", out) == 2
    assert "colours.toml: not a bundle file" in capsys.readouterr().err
    (folder / "colours.toml").unlink()
    assert admin("bundle", "build", folder, "--version", 1, "--expires", 30, "--group", "canary", "--out", out) == 2
    err = capsys.readouterr().err
    assert "settings.toml: theme = 'pink'" in err and "settings.toml: timeouts.idle_timeout_s = 2" in err
    assert not out.exists()
    assert admin("bundle", "build", EXAMPLE, "--version", 0, "--expires", 30, "--group", "canary", "--out", out) == 2
    assert admin("bundle", "build", EXAMPLE, "--version", 1, "--expires", 30, "--group", "Bad Group",
                 "--out", out) == 2


def test_sign_refuses_what_is_not_a_bundle_or_not_a_key(tmp_path, keys, signed_bundle, capsys):
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    assert admin("bundle", "sign", junk, "--key", keys / "first.key") == 2
    assert "not a usable bundle" in capsys.readouterr().err
    assert admin("bundle", "sign", signed_bundle, "--key", keys / "first.pub") == 2
    assert "private key" in capsys.readouterr().err


# -- publish, against a stand-in for the gateway's fleet endpoint -------------------------------------

class _Gateway(BaseHTTPRequestHandler):
    status = 201
    answer: dict = {"group": "canary", "config_version": 7}
    received: list[tuple[str, dict, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, dict(self.headers), body))
        payload = json.dumps(self.answer).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def gateway():
    handler = type("Gateway", (_Gateway,), {"received": [], "status": 201,
                                            "answer": {"group": "canary", "config_version": 7}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="fake-fleet-gateway", daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_publish_posts_group_and_bundle_with_the_admin_token(gateway, signed_bundle, capsys):
    handler, url = gateway
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "canary", "--admin-token", "s3cret") == 0
    path, headers, body = handler.received[0]
    assert path == PUBLISH_PATH and headers["Authorization"] == "Bearer s3cret"
    assert body["group"] == "canary" and body["bundle"] == json.loads(signed_bundle.read_bytes())
    assert "published" in capsys.readouterr().out


def test_publish_takes_the_token_from_the_environment(gateway, signed_bundle, monkeypatch):
    handler, url = gateway
    monkeypatch.setenv("KIOSK_ADMIN_TOKEN", "from-env")
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "hall-2f") == 0
    assert handler.received[0][1]["Authorization"] == "Bearer from-env"


def test_publish_reports_the_gateways_refusal(gateway, signed_bundle, capsys):
    handler, url = gateway
    handler.status, handler.answer = 409, {"code": "version_exists", "message": "version 7 already published"}
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "canary", "--admin-token", "t") == 3
    assert "HTTP 409" in (err := capsys.readouterr().err) and "version_exists: version 7 already published" in err
    handler.status, handler.answer = 401, {}
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "canary", "--admin-token", "t") == 3
    assert "admin token" in capsys.readouterr().err


def test_publish_to_an_unreachable_gateway_exits_4(signed_bundle, capsys):
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = admin("publish", signed_bundle, "--gateway", f"http://127.0.0.1:{port}", "--group", "canary",
                 "--admin-token", "t", "--timeout", "5")
    assert code == 4 and "unreachable" in capsys.readouterr().err


def test_publish_checks_before_sending(gateway, tmp_path, keys, signed_bundle, capsys, monkeypatch):
    handler, url = gateway
    monkeypatch.delenv("KIOSK_ADMIN_TOKEN", raising=False)
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "canary") == 2
    assert "admin token" in capsys.readouterr().err
    assert admin("publish", signed_bundle, "--gateway", url, "--group", "hall-9f", "--admin-token", "t") == 2
    assert "would refuse it" in capsys.readouterr().err
    assert admin("publish", signed_bundle, "--gateway", "gw.hall:8765", "--group", "canary",
                 "--admin-token", "t") == 2
    unsigned = tmp_path / "unsigned.json"
    assert admin("bundle", "build", EXAMPLE, "--version", 8, "--expires", 1, "--group", "canary",
                 "--out", unsigned) == 0
    assert admin("publish", unsigned, "--gateway", url, "--group", "canary", "--admin-token", "t") == 2
    assert "not signed" in capsys.readouterr().err
    assert handler.received == []


def test_every_admin_command_has_help():
    for command in (["--help"], ["keygen", "--help"], ["bundle", "--help"], ["bundle", "build", "--help"],
                    ["bundle", "sign", "--help"], ["bundle", "verify", "--help"], ["publish", "--help"]):
        result = subprocess.run([sys.executable, "-m", "config.admin_cli", *command], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "usage: kiosk-admin" in result.stdout
