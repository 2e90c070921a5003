"""Configuration errors that say which file, which key, what value and what was expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.sections import SectionError


class ConfigError(Exception):
    """A configuration source is unusable. ``problems`` holds one line per wrong key."""

    def __init__(self, source: str | Path, problems: list[str]) -> None:
        self.source = str(source)
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"configuration error in {self.source}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def _key_path(loc: tuple[Any, ...]) -> str:
    """pydantic's location tuple as the dotted TOML key a person would look for."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        else:
            parts.append(str(part))
    return ".".join(parts) or "(top level)"


def _line(key: str, kind: str, value: object, reason: str) -> str:
    if kind in ("extra_forbidden", "unknown"):
        return f"{key}: unknown key (check its spelling; it is not a setting)"
    if kind == "missing":
        return f"{key}: missing (this setting is required)"
    if kind == "whole":
        return f"{key}: {reason}"
    return f"{key} = {value!r}: {reason}"


def from_section_error(source: str | Path, error: SectionError, where: tuple[Any, ...] = ()) -> ConfigError:
    """Turn a :class:`SectionError` into a :class:`ConfigError` with one line per key (under ``where``)."""
    return ConfigError(source, _section_lines(error, where))


def _section_lines(error: SectionError, where: tuple[Any, ...]) -> list[str]:
    return [_line(_key_path(where + p.where), p.kind, p.value, p.reason) for p in error.problems]


def from_validation_error(source: str | Path, error: Any) -> ConfigError:
    """Turn a pydantic ``ValidationError`` into a :class:`ConfigError` with one line per key.

    A section of the kiosk's own (``config/sections.py``) inside a pydantic model reports its own
    problems, each under its key.
    """
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item.get("loc", ()))
        inner = (item.get("ctx") or {}).get("error")
        if isinstance(inner, SectionError):
            problems += _section_lines(inner, loc)
            continue
        problems.append(_line(_key_path(loc), item.get("type", ""), item.get("input"),
                              item.get("msg", "invalid value")))
    return ConfigError(source, problems)
