"""The panel: its size (config, or the display cage drives), the design's scale, rotation, the launcher."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.local import load_display, parse_settings, parse_size
from kiosk.cli import main
from kiosk.cli.session import cage_command
from kiosk.shell import panel
from kiosk.shell.panel import Panel, fit

# an EDID header with a 52 cm × 29 cm screen (bytes 21-22)
EDID = bytes([0, 255, 255, 255, 255, 255, 255, 0]) + bytes(13) + bytes([52, 29]) + bytes(105)


def drm(tmp_path: Path, *connectors: tuple[str, str, str, bytes]) -> Path:
    root = tmp_path / "drm"
    root.mkdir()
    (root / "card0").mkdir()  # the card itself has no status: not an output
    for name, status, modes, edid in connectors:
        folder = root / name
        folder.mkdir()
        (folder / "status").write_text(status + "\n")
        (folder / "modes").write_text(modes)
        (folder / "edid").write_bytes(edid)
    return root


@pytest.mark.parametrize(("size", "scale", "logical"), [
    ((1080, 1920), 1.0, (1080, 1920)),
    ((720, 1280), 2 / 3, (1080, 1920)),
    ((768, 1366), 768 / 1080, (1080, 1921)),
    ((2160, 3840), 2.0, (1080, 1920)),
    ((1920, 1080), 1080 / 1920, (3413, 1920)),  # landscape: the design's full height, wide bands
])
def test_the_whole_design_fits_every_panel(size, scale, logical):
    result = fit(Panel(*size))
    assert result.scale == pytest.approx(scale)
    assert result.size == logical
    assert result.width >= panel.DESIGN_WIDTH and result.height >= panel.DESIGN_HEIGHT


def test_a_configured_scale_wins():
    assert fit(Panel(1080, 1920), 1.25).size == (864, 1536)


def test_touch_targets_in_millimetres_and_a_warning_below_a_fingertip(caplog):
    counter_top = Panel(1920, 1080, 476.0, 268.0)  # 21.5 inch
    assert panel.touch_mm(counter_top, fit(counter_top).scale) == pytest.approx(13.3, abs=0.1)
    small = Panel(720, 1280, 62.0, 110.0)  # a 5 inch phone-sized panel
    assert panel.check_touch_size(small, fit(small).scale) < panel.MIN_TOUCH_MM
    assert "less than 9 mm" in caplog.text
    assert panel.touch_mm(Panel(1080, 1920), 1.0) is None  # size on the glass unknown


def test_sizes_are_read_and_bad_ones_explained():
    assert parse_size("1080x1920") == (1080, 1920)
    assert parse_size(" 720×1280 ") == (720, 1280)
    for bad, words in (("1080", "WIDTHxHEIGHT"), ("axb", "WIDTHxHEIGHT"), ("100x1920", "between")):
        with pytest.raises(ValueError, match=words):
            parse_size(bad)


def test_the_display_cage_drives_is_found_in_sysfs(tmp_path: Path):
    root = drm(tmp_path, ("card0-DP-1", "disconnected", "", b""),
               ("card0-HDMI-A-1", "connected", "1920x1080\n1280x720\n", EDID))
    found = panel.probe_drm(root)
    assert (found.width, found.height, found.width_mm, found.height_mm) == (1920, 1080, 520.0, 290.0)
    assert found.source == "drm:card0-HDMI-A-1"
    turned = panel.find_panel(None, 90, root=root)  # cage -r: the kiosk gets a portrait output
    assert (turned.width, turned.height, turned.width_mm) == (1080, 1920, 290.0)
    assert panel.find_panel(None, 180, root=root).landscape


def test_without_a_display_or_when_windowed_the_design_size(tmp_path: Path):
    assert panel.probe_drm(tmp_path / "missing") is None
    root = drm(tmp_path, ("card0-HDMI-A-1", "connected", "1920x1080\n", b"short"))
    assert panel.probe_drm(root).width_mm is None  # an EDID without a size
    windowed = panel.find_panel(None, 0, probe=False, root=root)
    assert (windowed.width, windowed.height, windowed.source) == (1080, 1920, "design")
    configured = panel.find_panel("768x1366", 90, root=root)  # the configured size is the output's own
    assert (configured.width, configured.height, configured.source) == (768, 1366, "config")


def test_the_scale_is_put_in_force_before_the_application(monkeypatch):
    monkeypatch.delenv("QT_SCALE_FACTOR", raising=False)
    assert panel.scale_before_start(Panel(720, 1280)).size == (1080, 1920)
    assert float(os.environ["QT_SCALE_FACTOR"]) == pytest.approx(2 / 3)
    monkeypatch.delenv("QT_SCALE_FACTOR")
    panel.scale_before_start(Panel(1080, 1920))
    assert "QT_SCALE_FACTOR" not in os.environ  # the design's own size: nothing to scale
    monkeypatch.setenv("QT_SCALE_FACTOR", "2")  # chosen by hand: kept
    assert panel.scale_before_start(Panel(1080, 1920)).size == (540, 960)
    assert os.environ["QT_SCALE_FACTOR"] == "2"


def test_the_output_shape_against_the_configured_orientation():
    assert panel.orientation_notice("portrait", 1080, 1920) is None
    assert "rotation = 90" in panel.orientation_notice("portrait", 3413, 1920)
    assert panel.orientation_notice("landscape", 3413, 1920) is None
    assert "orientation" in panel.orientation_notice("landscape", 1080, 1920)


def test_display_section_is_checked_like_the_rest():
    text = '[kiosk]\nid = "XM-1"\n[display]\nrotation = 90\norientation = "portrait"\nscale = 1.0\nsize = "1080x1920"\n'
    display = parse_settings(text).display
    assert (display.rotation, display.orientation, display.scale, display.size) == (90, "portrait", 1.0, "1080x1920")
    with pytest.raises(ConfigError) as error:
        parse_settings('[kiosk]\nid = "XM-1"\n[display]\nrotation = 45\nsize = "big"\nturn = 1\n')
    problems = "\n".join(error.value.problems)
    assert "display.rotation = 45" in problems and "display.size = 'big'" in problems
    assert "display.turn: unknown key" in problems


def test_the_launcher_reads_only_the_display_section(tmp_path: Path):
    local = tmp_path / "kiosk.toml"
    local.write_text('[kiosk]\nid = "not checked here"\n[display]\nrotation = 270\n')
    assert load_display(local).rotation == 270
    local.write_text('[display]\nrotation = 45\n')
    with pytest.raises(ConfigError, match="display.rotation"):
        load_display(local)
    with pytest.raises(ConfigError, match="file not found"):
        load_display(tmp_path / "missing.toml")


@pytest.mark.parametrize(("rotation", "turns"), [(0, 0), (90, 1), (180, 2), (270, 3)])
def test_cage_turns_the_output_once_per_quarter(rotation, turns):
    command = cage_command("/usr/bin/cage", rotation, Path("/etc/kiosk/kiosk.toml"), "/opt/kiosk/venv/bin/kiosk")
    assert command == ["/usr/bin/cage", *["-r"] * turns, "--", "/opt/kiosk/venv/bin/kiosk", "run",
                       "--config", "/etc/kiosk/kiosk.toml"]
    assert "-s" not in command  # no console switching from the kiosk


def test_session_command_line(tmp_path: Path, capsys):
    local = tmp_path / "kiosk.toml"
    local.write_text('[display]\nrotation = 90\n')
    assert main(["session", "--config", str(local), "--dry-run"]) == 0
    out = capsys.readouterr().out.split()
    assert out[:3] == ["/usr/bin/cage", "-r", "--"] and out[-3:] == ["run", "--config", str(local)]
    local.write_text('[display]\nrotation = "left"\n')
    assert main(["session", "--config", str(local)]) == 2
    assert "display.rotation" in capsys.readouterr().err
    local.write_text('[display]\nrotation = 0\n')
    assert main(["session", "--config", str(local), "--cage", str(tmp_path / "no-cage")]) == 127
    assert "cannot start" in capsys.readouterr().err
