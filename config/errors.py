"""Configuration errors that say which file, which key, what value and what was expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any


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


def from_validation_error(source: str | Path, error: Any) -> ConfigError:
    """Turn a pydantic ``ValidationError`` into a :class:`ConfigError` with one line per key."""
    problems = []
    for item in error.errors(include_url=False):
        key = _key_path(tuple(item.get("loc", ())))
        kind = item.get("type", "")
        if kind == "extra_forbidden":
            problems.append(f"{key}: unknown key (check its spelling; it is not a setting)")
        elif kind == "missing":
            problems.append(f"{key}: missing (this setting is required)")
        else:
            value = item.get("input")
            problems.append(f"{key} = {value!r}: {item.get('msg', 'invalid value')}")
    return ConfigError(source, problems)
