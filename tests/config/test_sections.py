"""The kiosk's own configuration sections check themselves: every problem at once, each under its key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

import pytest

from config.errors import ConfigError, from_section_error
from config.remote import parse_bundle_files
from config.sections import Section, SectionError, section, setting


def _upper(text: str) -> str:
    if text.strip() != text:
        raise ValueError("expected no spaces around it")
    return text.upper()


@section
class Screen(Section):
    rotation: Literal[0, 90, 180, 270] = 0
    scale: float | None = setting(None, ge=0.3, le=4.0)


@section
class Counter(Section):
    name: str = setting(min_length=1, max_length=8)
    code: str = setting("", check=_upper)


@section
class Hall(Section):
    id: str = setting(pattern=r"^[A-Z]{2}-[0-9]+$")
    open: bool = True
    folder: Path = Path("/var/lib/kiosk")
    screen: Screen = Screen()
    counters: list[Counter] = setting(default_factory=list, max_length=3)

    def check(self) -> None:
        names = [counter.name for counter in self.counters]
        if len(set(names)) != len(names):
            raise ValueError("expected each counter once")


def _lines(table: object) -> list[str]:
    with pytest.raises(SectionError) as caught:
        Hall.from_table(table)
    return from_section_error("hall.toml", caught.value).problems


def test_a_table_becomes_a_section_with_converted_values():
    hall = Hall.from_table({"id": "XM-1", "folder": "/srv/kiosk", "screen": {"scale": 2},
                            "counters": [{"name": "A1", "code": "a1"}]})
    assert hall.folder == Path("/srv/kiosk") and hall.screen.scale == 2.0 and isinstance(hall.screen.scale, float)
    assert hall.counters == [Counter(name="A1", code="A1")]  # check may normalise a value
    assert Hall.from_table({"id": "XM-2"}) == Hall(id="XM-2")


def test_every_problem_is_listed_under_its_dotted_key():
    lines = _lines({"id": "xm", "opne": False, "screen": {"rotation": 45, "scale": 9},
                    "counters": [{"name": ""}, {"name": "B", "code": " b"}]})
    assert lines == [
        "id = 'xm': expected text matching '^[A-Z]{2}-[0-9]+$'",
        "opne: unknown key (check its spelling; it is not a setting)",
        "screen.rotation = 45: expected 0, 90, 180 or 270",
        "screen.scale = 9.0: expected a value less than or equal to 4",
        "counters[0].name = '': expected at least 1 character",
        "counters[1].code = ' b': expected no spaces around it",
    ]


def test_missing_keys_and_wrong_types_are_named():
    assert _lines({"open": 1}) == ["open = 1: expected true or false", "id: missing (this setting is required)"]
    assert _lines({"id": "XM-1", "screen": "big"}) == ["screen = 'big': expected a table of settings"]
    assert _lines({"id": "XM-1", "screen": {"rotation": True}}) == ["screen.rotation = True: expected 0, 90, 180 or 270"]
    assert _lines({"id": "XM-1", "counters": {"name": "A"}}) == ["counters = {'name': 'A'}: expected a list"]
    assert _lines(["not", "a", "table"]) == ["(top level) = ['not', 'a', 'table']: expected a table of settings"]


def test_an_integer_is_not_a_switch_and_a_switch_is_not_a_number():
    assert _lines({"id": "XM-1", "screen": {"scale": True}}) == ["screen.scale = True: expected a number"]


def test_checks_across_fields_run_once_each_field_is_right():
    assert _lines({"id": "XM-1", "counters": [{"name": "A"}, {"name": "A"}]}) == [
        "(top level): expected each counter once"]
    assert _lines({"id": "XM-1", "counters": [{"name": "A"}] * 4}) == [
        "counters = [Counter(name='A', code=''), Counter(name='A', code=''), Counter(name='A', code=''), "
        "Counter(name='A', code='')]: expected at most 3 items"]


def test_a_section_made_in_code_or_copied_is_checked_too():
    with pytest.raises(SectionError, match="scale"):
        Hall(id="XM-1", screen=Screen(scale=0.1))
    hall = Hall(id="XM-1", screen={"rotation": 90})  # a table in code is read like one from a file
    assert hall.screen == Screen(rotation=90)
    with pytest.raises(SectionError, match="id"):
        replace(hall, id="nope")
    with pytest.raises(AttributeError):
        hall.id = "XM-2"  # type: ignore[misc]


def test_a_bundle_lists_its_kiosk_sections_problems_under_their_keys():
    with pytest.raises(ConfigError) as caught:
        parse_bundle_files({"settings.toml": "[voice]\nvolume = 120\nvolum = 3\n[hall]\nemblem = 'logo.png'\n"})
    assert caught.value.problems == [
        "settings.toml: voice.volume = 120: expected a value less than or equal to 100",
        "settings.toml: voice.volum: unknown key (check its spelling; it is not a setting)",
        "settings.toml: hall.emblem = 'logo.png': expected an absolute path to a PNG or SVG file, got 'logo.png'",
    ]
