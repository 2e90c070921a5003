"""The Debian package: it builds (fast mode, no dependency wheels) and holds exactly what it should.

The listing is compared with the full expected set, so a stray file fails the test as surely as a
missing one. Maintainer scripts pass `sh -n` and shellcheck; the units pass `systemd-analyze
verify`; the settings that keep the kiosk up and locked down are checked one by one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from config.local import load_settings

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build-deb.sh"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
PACKAGE = PROJECT["name"]
VERSION = PROJECT["version"]

EXPECTED_FILES = {
    "etc/kiosk/kiosk.toml",
    "lib/systemd/system/kiosk.service",
    "lib/systemd/system/kiosk-gateway.service",
    "lib/udev/rules.d/70-kiosk-devices.rules",
    "usr/lib/systemd/logind.conf.d/90-kiosk.conf",
    "usr/lib/systemd/system.conf.d/90-kiosk.conf",
    "usr/lib/sysctl.d/90-kiosk-lockdown.conf",
    "usr/lib/modules-load.d/kiosk.conf",
    f"usr/share/doc/{PACKAGE}/README.md",
    f"usr/share/doc/{PACKAGE}/examples/usbguard-rules.conf",
    f"usr/share/doc/{PACKAGE}/examples/nginx-kiosk-gateway.conf",
    f"usr/share/doc/{PACKAGE}/copyright",
    f"usr/share/doc/{PACKAGE}/changelog.Debian.gz",
    f"usr/share/lintian/overrides/{PACKAGE}",
    f"opt/kiosk/wheels/{PACKAGE.replace('-', '_')}-{VERSION}-py3-none-any.whl",
}
EXPECTED_LINKS = {
    "usr/bin/kiosk": "/opt/kiosk/venv/bin/kiosk",
    "usr/bin/kiosk-gateway": "/opt/kiosk/venv/bin/kiosk-gateway",
    "usr/bin/kiosk-admin": "/opt/kiosk/venv/bin/kiosk-admin",
}
MAINTAINER_SCRIPTS = ("postinst", "prerm", "postrm")


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


def unit_settings(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections → key → every value (systemd allows a key more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections.setdefault(current, {})
            continue
        key, _, value = line.partition("=")
        sections[current].setdefault(key, []).append(value)
    return sections


# --- the package and its listing -------------------------------------------------------------

def test_fast_build_is_named_so_it_never_replaces_a_real_one(deb: Path) -> None:
    assert deb.name.startswith(f"{PACKAGE}_{VERSION}-1~fast_")
    assert run("dpkg", "--compare-versions", f"{VERSION}-1~fast", "lt", f"{VERSION}-1").returncode == 0


def test_listing_is_exactly_what_the_kiosk_needs(listing) -> None:
    files = {path for mode, _o, path, _t in listing if mode.startswith("-")}
    links = {path: target for mode, _o, path, target in listing if mode.startswith("l")}
    dirs = {path for mode, _o, path, _t in listing if mode.startswith("d")}
    assert files == EXPECTED_FILES
    assert links == EXPECTED_LINKS
    # No stray directories: each one leads to something that is shipped.
    shipped = files | set(links)
    assert {d for d in dirs if d and not any(p.startswith(d + "/") for p in shipped)} == set()


def test_everything_belongs_to_root_and_nothing_is_writable_by_others(listing) -> None:
    assert {owner for _m, owner, _p, _t in listing} == {"root/root"}
    for mode, _owner, path, _target in listing:
        if mode.startswith("-"):
            assert mode == "-rw-r--r--", path
        elif mode.startswith("d"):
            assert mode == "drwxr-xr-x", path


def test_control_fields(control_dir: Path) -> None:
    control = dict(re.findall(r"^(\S+): (.*)$", (control_dir / "control").read_text(), re.M))
    assert control["Package"] == PACKAGE
    assert control["Version"] == f"{VERSION}-1~fast"
    assert control["Architecture"] == run("dpkg", "--print-architecture").stdout.strip()
    depends = {d.strip().split()[0] for d in control["Depends"].split(",")}
    # cage stops at once without Xwayland; pyusb (USB printers) loads libusb; Qt's wayland
    # plugin and Mesa behind libglvnd draw the window; init-system-helpers: deb-systemd-helper.
    assert {"python3", "python3-venv", "cage", "xwayland", "adduser", "fonts-noto-cjk", "libwayland-egl1",
            "libwayland-cursor0", "libxkbcommon0", "libegl1", "libegl-mesa0", "libgl1", "libusb-1.0-0", "seatd", "procps",
            "init-system-helpers", "espeak-ng", "alsa-utils"} <= depends
    assert re.fullmatch(r"[^<>@]+ <[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]{2,}>", control["Maintainer"])
    assert "localhost" not in control["Maintainer"]
    assert "python3 (<< 3.12)" in control["Depends"]  # the wheels are built for CPython 3.11
    assert int(control["Installed-Size"]) > 0


def test_conffiles_are_the_local_configuration(control_dir: Path) -> None:
    assert (control_dir / "conffiles").read_text().split() == ["/etc/kiosk/kiosk.toml"]


def test_md5sums_cover_every_file(control_dir: Path) -> None:
    listed = {line.split(maxsplit=1)[1] for line in (control_dir / "md5sums").read_text().splitlines()}
    assert listed == EXPECTED_FILES


# --- maintainer scripts ----------------------------------------------------------------------

@pytest.mark.parametrize("script", MAINTAINER_SCRIPTS)
def test_maintainer_script_parses_and_has_no_placeholders(control_dir: Path, script: str) -> None:
    path = control_dir / script
    assert path.stat().st_mode & 0o111
    text = path.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert "@" not in re.sub(r"\$@|'@'", "", text), "a build placeholder was not filled in"
    result = run("sh", "-n", path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", [*MAINTAINER_SCRIPTS, "build-deb.sh"])
def test_shellcheck(control_dir: Path, script: str) -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt install shellcheck)")
    path = BUILD if script == "build-deb.sh" else control_dir / script
    result = run("shellcheck", "--severity=style", path)
    assert result.returncode == 0, result.stdout


def test_postinst_creates_user_dirs_venv_and_masks_ctrl_alt_del(control_dir: Path) -> None:
    postinst = (control_dir / "postinst").read_text()
    assert "adduser --quiet --system --ingroup kiosk" in postinst
    for directory in ("/etc/kiosk", "/var/lib/kiosk", "/var/log/kiosk"):
        assert directory in postinst
    assert "--no-index --find-links" in postinst
    assert f'PACKAGE="{PACKAGE}"' in postinst and f'DIST_VERSION="{VERSION}"' in postinst
    assert "ln -s /dev/null /etc/systemd/system/ctrl-alt-del.target" in postinst
    # Units as debhelper handles them: enablement kept by deb-systemd-helper, restarts through
    # deb-systemd-invoke (which honours policy-rc.d), systemctl only for daemon-reload.
    assert "deb-systemd-helper update-state" in postinst
    assert 'deb-systemd-invoke try-restart kiosk.service kiosk-gateway.service' in postinst
    scripts = {name: (control_dir / name).read_text() for name in MAINTAINER_SCRIPTS}
    for name, text in scripts.items():
        calls = re.findall(r"^\s*systemctl\b.*$", text, re.M)
        assert all("daemon-reload" in call for call in calls), (name, calls)
    assert "deb-systemd-invoke stop kiosk.service kiosk-gateway.service" in scripts["prerm"]
    assert "deb-systemd-helper purge kiosk.service kiosk-gateway.service" in scripts["postrm"]


# --- systemd -----------------------------------------------------------------------------------

def test_units_pass_systemd_analyze_verify(root: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    host_units = Path("/lib/systemd/system")
    if not (host_units / "sysinit.target").exists():
        pytest.skip("no systemd units on this machine to resolve kiosk.service's dependencies against")
    # verify needs the targets the units refer to and executables where ExecStart points.
    shutil.copytree(host_units, root / "usr/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
    for stub in ("usr/bin/cage", "bin/sh", "opt/kiosk/venv/bin/kiosk", "opt/kiosk/venv/bin/kiosk-gateway"):
        (root / stub).parent.mkdir(parents=True, exist_ok=True)
        (root / stub).unlink(missing_ok=True)
        (root / stub).write_text("#!/bin/sh\n")
        (root / stub).chmod(0o755)
    result = run("systemd-analyze", "verify", f"--root={root}", "kiosk.service", "kiosk-gateway.service")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # warnings (unknown keys, bad values) too


def test_kiosk_service_is_a_watched_cage_session(root: Path) -> None:
    unit = unit_settings(root / "lib/systemd/system/kiosk.service")
    service = unit["Service"]
    assert unit["Unit"]["StartLimitIntervalSec"] == ["0"]
    assert "getty@tty1.service" in unit["Unit"]["Conflicts"]
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["all"]  # cage is the main process, the app its child
    assert 10 <= int(service["WatchdogSec"][0]) <= 120
    assert service["Restart"] == ["always"]
    assert int(service["RestartSec"][0]) >= 1
    # `kiosk session` reads [display] rotation and execs cage (which stays the main process)
    exec_start = service["ExecStart"][0].split()
    assert exec_start == ["/opt/kiosk/venv/bin/kiosk", "session", "--config", "/etc/kiosk/kiosk.toml"]
    assert service["User"] == ["kiosk"]
    assert service["TTYPath"] == ["/dev/tty1"]
    # No logind session (pam_systemd would move cage and the app out of this unit's cgroup, and
    # systemd would ignore their READY=1 and WATCHDOG=1): the seat comes from seatd.
    assert "PAMName" not in service
    assert "LIBSEAT_BACKEND=seatd" in service["Environment"]
    assert "seatd.service" in unit["Unit"]["Wants"]
    assert "XDG_RUNTIME_DIR=/run/kiosk" in service["Environment"] and service["RuntimeDirectory"] == ["kiosk"]
    # systemd stops the app first (it ends a citizen's session), cage then exits with its client
    assert "pkill -TERM --parent" in service["ExecStop"][0]


def test_kiosk_service_hardening_still_reaches_its_devices(root: Path) -> None:
    service = unit_settings(root / "lib/systemd/system/kiosk.service")["Service"]
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
                       "DevicePolicy": "closed", "LimitCORE": "0"}.items():
        assert service[key] == [value], key
    # The Wayland socket is in the unit's own runtime directory, so homes can be hidden entirely.
    assert service["ProtectHome"] == ["yes"]
    assert service["StateDirectory"] == ["kiosk"]
    allowed = {entry.split()[0] for entry in service["DeviceAllow"]}
    assert {"/dev/tty1", "char-drm", "char-ttyUSB", "char-ttyACM", "char-usb_device", "char-usb"} <= allowed
    assert "PrivateDevices" not in service
    assert "MemoryDenyWriteExecute" not in service
    modules = (root / "usr/lib/modules-load.d/kiosk.conf").read_text().split()
    assert {"usbserial", "cdc_acm"} <= set(modules)  # so char-ttyUSB/char-ttyACM resolve at start


def test_gateway_service(root: Path) -> None:
    unit = unit_settings(root / "lib/systemd/system/kiosk-gateway.service")
    assert unit["Service"]["ExecStart"][0].startswith("/opt/kiosk/venv/bin/kiosk-gateway")
    assert unit["Service"]["Restart"] == ["always"]
    assert unit["Service"]["DynamicUser"] == ["yes"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


# --- lockdown and devices ----------------------------------------------------------------------

def test_lockdown_settings(root: Path) -> None:
    sysctl = (root / "usr/lib/sysctl.d/90-kiosk-lockdown.conf").read_text()
    assert re.search(r"^kernel\.sysrq\s*=\s*0$", sysctl, re.M)
    logind = unit_settings(root / "usr/lib/systemd/logind.conf.d/90-kiosk.conf")["Login"]
    assert logind["NAutoVTs"] == ["0"] and logind["ReserveVT"] == ["0"]
    assert logind["HandlePowerKey"] == ["ignore"]
    manager = unit_settings(root / "usr/lib/systemd/system.conf.d/90-kiosk.conf")["Manager"]
    assert manager["CtrlAltDelBurstAction"] == ["none"]
    # cage allows console switching only with -s.
    exec_start = unit_settings(root / "lib/systemd/system/kiosk.service")["Service"]["ExecStart"][0]
    assert " -s" not in exec_start.split("--")[0]


UDEV_PAIR = re.compile(r'^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*$')


def udev_rules(path: Path) -> list[dict[str, tuple[str, str]]]:
    rules = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rule = {}
        for pair in line.split(","):
            match = UDEV_PAIR.match(pair)
            assert match, f"not a udev key-operator-value pair: {pair!r} in {line!r}"
            rule[match[1]] = (match[2], match[3])
        rules.append(rule)
    return rules


def test_udev_rules_name_the_devices_for_the_kiosk_group_only(root: Path) -> None:
    rules = udev_rules(root / "lib/udev/rules.d/70-kiosk-devices.rules")
    named = [r for r in rules if "SYMLINK" in r]
    assert {r["SYMLINK"][1] for r in named} == {"kiosk-idreader", "kiosk-printer", "kiosk-scanner"}
    for rule in named + [r for r in rules if "GROUP" in r]:
        assert rule["GROUP"] == ("=", "kiosk") and rule["MODE"] == ("=", "0660")
        assert {"ATTRS{idVendor}", "ATTR{idVendor}"} & set(rule), rule  # matched by USB ids
    serial = [r for r in named if r.get("SUBSYSTEM") == ("==", "tty")]
    assert serial and all(r["ENV{ID_MM_DEVICE_IGNORE}"] == ("=", "1") for r in serial)


def test_example_config_is_valid_and_uses_the_udev_names(root: Path) -> None:
    settings = load_settings(root / "etc/kiosk/kiosk.toml")
    assert settings.state_dir == Path("/var/lib/kiosk")
    assert settings.devices.idcard == "serial:///dev/kiosk-idreader?baudrate=115200"
    assert settings.devices.scanner == "serial:///dev/kiosk-scanner?baudrate=9600"
    assert settings.devices.printer.startswith(("usb://", "serial:///dev/kiosk-printer"))
    assert settings.gateway.token_file == Path("/etc/kiosk/gateway.token")
    assert settings.gateway.token is None  # secrets live in the token file, never in the conffile
    shown = tomllib.loads((root / "etc/kiosk/kiosk.toml").read_text(encoding="utf-8"))
    assert set(shown["fleet"]) == {"heartbeat_s", "bundle_poll_s"}  # the installer sees the fleet intervals
    assert (settings.fleet.heartbeat_s, settings.fleet.bundle_poll_s) == (60, 300)


def test_usbguard_example_allows_only_listed_devices(root: Path) -> None:
    rules = (root / f"usr/share/doc/{PACKAGE}/examples/usbguard-rules.conf").read_text()
    statements = [line for line in rules.splitlines() if line.strip() and not line.startswith("#")]
    assert statements and all(line.startswith("allow ") for line in statements)
    assert all(" id " in line or "09:00:*" in line for line in statements)  # no blanket allow
    for vendor_product in ("1a86:7523", "0416:5011"):
        assert f"allow id {vendor_product}" in rules
    # The shapes USBGuard's rule grammar accepts: id VID:PID (PID may be *), interface
    # class:subclass:protocol (class always given), set operators it knows.
    rule = re.compile(
        r"^allow( id [0-9a-f]{4}:([0-9a-f]{4}|\*))?"
        r" with-interface (equals|match-all|one-of|all-of|none-of) \{( [0-9a-f]{2}:([0-9a-f]{2}|\*):([0-9a-f]{2}|\*))+ \}$")
    assert [line for line in statements if not rule.match(line)] == []


# --- failure paths of the build command --------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--bogus"], "unknown option '--bogus'"),
    (["--revision", "1;rm"], "--revision must look like"),
])
def test_build_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("bash", BUILD, "--out", tmp_path, *args, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- postinst: the application environment is switched over only when complete ------------------

FAKE_PYTHON3 = """#!/bin/sh
# Stands in for Debian's python3: `python3 -m venv DIR` makes DIR/bin/python, whose
# `-m pip install …` records its arguments and exits with $FAKE_PIP_RC.
[ "$1 $2" = "-m venv" ] || exit 64
mkdir -p "$3/bin"
cat > "$3/bin/python" <<'PY'
#!/bin/sh
echo "$@" >> "$PIP_LOG"
exit "${FAKE_PIP_RC:-0}"
PY
chmod +x "$3/bin/python"
"""


@pytest.fixture
def venv_step(control_dir: Path, tmp_path: Path):
    """Runs postinst's build_venv with /opt/kiosk moved into tmp_path and a stand-in python3."""
    functions = control_dir.joinpath("postinst").read_text().split('\ncase "$1" in')[0]
    (tmp_path / "functions.sh").write_text(functions)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/python3").write_text(FAKE_PYTHON3)
    (tmp_path / "bin/python3").chmod(0o755)
    (tmp_path / "wheels").mkdir()

    def step(build: str, pip_rc: int = 0) -> subprocess.CompletedProcess[str]:
        script = (f'. "{tmp_path}/functions.sh"\nWHEELS="{tmp_path}/wheels"\nVENVS="{tmp_path}/venvs"\n'
                  f'CURRENT="{tmp_path}/venv"\nVENV_ID="{build}"\nbuild_venv\n')
        env = {"PATH": f"{tmp_path}/bin:/usr/bin:/bin", "PIP_LOG": str(tmp_path / "pip.log"),
               "FAKE_PIP_RC": str(pip_rc)}
        return run("sh", "-c", script, env=env, timeout=30)

    return step


def test_postinst_switches_environments_and_keeps_the_previous_one(venv_step, tmp_path: Path) -> None:
    current = tmp_path / "venv"
    assert venv_step("b1").returncode == 0
    assert current.resolve() == tmp_path / "venvs/b1"
    assert (tmp_path / "venvs/b1/.complete").exists()
    pip_call = (tmp_path / "pip.log").read_text()
    assert "-m pip install" in pip_call and "--no-index" in pip_call
    assert f"--find-links {tmp_path}/wheels" in pip_call and f"{PACKAGE}=={VERSION}" in pip_call

    assert venv_step("b1").returncode == 0  # reinstalling the same build reuses it
    assert len((tmp_path / "pip.log").read_text().splitlines()) == 1

    venv_step("b2")
    venv_step("b3")
    assert current.resolve() == tmp_path / "venvs/b3"
    assert sorted(p.name for p in (tmp_path / "venvs").iterdir()) == ["b2", "b3"]  # b1 pruned


def test_postinst_failed_install_leaves_the_running_environment_alone(venv_step, tmp_path: Path) -> None:
    assert venv_step("good").returncode == 0
    failed = venv_step("broken", pip_rc=1)
    assert failed.returncode == 1
    assert "cannot install the application" in failed.stderr
    assert (tmp_path / "venv").resolve() == tmp_path / "venvs/good"
    assert not (tmp_path / "venvs/broken").exists()


# --- the units and the command-line interfaces they call agree ----------------------------------

def test_unit_command_lines_are_accepted_by_the_commands(root: Path) -> None:
    from gateway.cli import build_parser as gateway_parser
    from kiosk.cli import build_parser as kiosk_parser

    kiosk_cmd = unit_settings(root / "lib/systemd/system/kiosk.service")["Service"]["ExecStart"][0].split()
    args = kiosk_parser("session").parse_args(kiosk_cmd[kiosk_cmd.index("session"):])
    assert args.config == Path("/etc/kiosk/kiosk.toml") and args.cage == "/usr/bin/cage" and not args.dry_run
    # what the session starts inside cage
    from kiosk.cli.session import cage_command

    inner = cage_command(args.cage, 0, args.config, kiosk_cmd[0])
    args = kiosk_parser("run").parse_args(inner[inner.index("run"):])
    assert args.config == Path("/etc/kiosk/kiosk.toml") and not args.windowed and not args.demo

    gateway_cmd = unit_settings(root / "lib/systemd/system/kiosk-gateway.service")["Service"]["ExecStart"][0]
    defaults = dict(v.split("=", 1) for v in unit_settings(root / "lib/systemd/system/kiosk-gateway.service")
                    ["Service"]["Environment"])
    words = [defaults.get(w[2:-1], w) if w.startswith("${") else w for w in gateway_cmd.split()[1:]]
    words = [w for w in words if not w.startswith("$")]  # $KIOSK_GATEWAY_OPTIONS: empty by default
    args = gateway_parser().parse_args(words)
    assert args.db == Path("/var/lib/kiosk-gateway/gateway.sqlite3") and not args.demo and args.workers == 1
