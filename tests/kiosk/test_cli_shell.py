"""The kiosk command line: help, config check, no display, tour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from config.local import DEMO_CONFIG
from kiosk.cli import main


def test_config_check_accepts_the_demo_file(capsys):
    assert main(["config", "check", str(DEMO_CONFIG)]) == 0
    assert "XM-HALL-001" in capsys.readouterr().out


def test_config_check_names_the_bad_key(tmp_path: Path, capsys):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[kiosk]\nid = "xm 1"\n[session]\nidle_timeout_s = "soon"\n')
    assert main(["config", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "kiosk.id" in err and "session.idle_timeout_s = 'soon'" in err
    assert "Traceback" not in err


def test_every_subcommand_has_help():
    for command in (["--help"], ["run", "--help"], ["tour", "--help"], ["config", "check", "--help"]):
        result = subprocess.run([sys.executable, "-m", "kiosk", *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "usage: kiosk" in result.stdout


def test_run_without_a_display_says_how_to_see_the_kiosk(tmp_path: Path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--demo", "--windowed",
                             "--state-dir", str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 3
    assert "no display" in result.stderr and "kiosk tour" in result.stderr
    assert "Traceback" not in result.stderr


def test_tour_renders_png_files(qapp, demo_settings, tmp_path: Path):
    from kiosk.app.tour import render_tour

    written = render_tour(demo_settings, tmp_path / "tour", only=["home", "unavailable"], variants=["en"])
    names = {p.name for p in written}
    assert {"home--default--en.png", "unavailable--offline--en.png"} <= names
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "tour" / "home--default--en.png"))
    assert (image.width(), image.height()) == (1080, 1920)


def test_the_demo_panel_can_be_left_out(demo_settings):
    import argparse

    from kiosk.app import startup
    from kiosk.cli.run import register

    assert startup.start_demo_panel in startup.hooks(demo_settings, demo=True)
    without = startup.hooks(demo_settings, demo=True, demo_panel=False)
    assert startup.start_demo_panel not in without and startup.start_devices in without
    assert startup.start_demo_panel not in startup.hooks(demo_settings, demo=False)
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    assert parser.parse_args(["run", "--demo", "--no-demo-panel"]).demo_panel is False
    assert parser.parse_args(["run", "--demo"]).demo_panel is True
