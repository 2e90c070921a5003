"""Sections of the kiosk's own configuration: frozen dataclasses that check their values.

The local file, the service catalogue and a hall's look are read before the kiosk paints its first
frame, so they are declared with the standard library alone (pydantic's import and model building
cost more than a third of the kiosk's start-up; the gateway contract and a bundle's other parts,
read later, use it). A section is a frozen dataclass made with :func:`section`; each field says its
limits with :func:`setting`. A section checks every field against its type and limits whenever it
is made — read from a TOML table (:meth:`Section.from_table`), built in code, or copied with
:func:`dataclasses.replace` — and reports every problem at once, each under its dotted key, as a
:class:`SectionError` (``config.errors`` turns that into a :class:`ConfigError`).

Types a field may have: ``str``, ``int``, ``float``, ``bool``, ``Path``, ``Literal[...]``,
``X | None``, ``list[X]`` and another section.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

Where = tuple[str | int, ...]
SectionType = TypeVar("SectionType", bound="Section")
_NONE = type(None)


@dataclasses.dataclass(frozen=True)
class Limits:
    """What a field's value must be besides its type; ``check`` may also normalise it."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    check: Callable[[Any], Any] | None = None
    description: str = ""


def setting(default: Any = dataclasses.MISSING, *, default_factory: Any = dataclasses.MISSING,
            ge: float | None = None, gt: float | None = None, le: float | None = None,
            min_length: int | None = None, max_length: int | None = None, pattern: str | None = None,
            check: Callable[[Any], Any] | None = None, description: str = "") -> Any:
    """A field of a section with its default (or ``default_factory``) and its limits.

    ``pattern`` is searched for in the text (anchor it with ``^…$``); ``check`` gets the value once
    its type and limits hold and returns it (or a normalised one), or raises ValueError saying what
    is expected.
    """
    limits = Limits(ge, gt, le, min_length, max_length, pattern, check, description)
    return dataclasses.field(default=default, default_factory=default_factory, metadata={"limits": limits})


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a table: where (dotted key), what was there, and why it is wrong."""

    where: Where
    reason: str
    value: object = None
    kind: Literal["invalid", "unknown", "missing", "whole"] = "invalid"  # whole: a check across fields

    def under(self, prefix: Where) -> Problem:
        return dataclasses.replace(self, where=prefix + self.where)


class SectionError(ValueError):
    """A section could not be made; ``problems`` lists every reason, each with its key."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p.where)) or '(section)'}: {p.reason}" for p in problems))


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    type: Any
    limits: Limits
    required: bool


class Section:
    """Base of the sections; make subclasses with :func:`section`."""

    _fields: ClassVar[tuple[_Field, ...] | None] = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for spec in _fields_of(type(self)):
            value = getattr(self, spec.name)
            checked = _checked(spec.type, spec.limits, value, (spec.name,), problems)
            if checked is not value:
                object.__setattr__(self, spec.name, checked)
        if not problems:
            try:
                self.check()
            except ValueError as exc:
                problems.append(Problem((), str(exc), kind="whole"))
        if problems:
            raise SectionError(problems)

    def check(self) -> None:
        """Checks across fields, once each field passed its own: raise ValueError saying what is wrong."""

    @classmethod
    def from_table(cls: type[SectionType], table: object) -> SectionType:
        """The section a TOML table describes; :class:`SectionError` naming every wrong, unknown or missing key."""
        if not isinstance(table, Mapping):
            raise SectionError([Problem((), "expected a table of settings", table)])
        problems: list[Problem] = []
        specs = {spec.name: spec for spec in _fields_of(cls)}
        values: dict[str, Any] = {}
        for key, value in table.items():
            spec = specs.get(key)
            if spec is None:
                problems.append(Problem((key,), "unknown key", value, "unknown"))
            else:
                values[key] = _checked(spec.type, spec.limits, value, (key,), problems)
        problems += [Problem((spec.name,), "missing", kind="missing")
                     for spec in specs.values() if spec.required and spec.name not in table]
        if problems:
            raise SectionError(problems)
        return cls(**values)

    @classmethod
    def limits(cls, name: str) -> Limits:
        """The limits of field ``name`` (a bundle's overrides obey the same ones)."""
        return next(spec.limits for spec in _fields_of(cls) if spec.name == name)


@typing.dataclass_transform(kw_only_default=True, frozen_default=True)
def section(cls: type[SectionType]) -> type[SectionType]:
    """Make ``cls`` (a :class:`Section` subclass) a frozen, keyword-only dataclass that checks itself."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


def _fields_of(cls: type[Section]) -> tuple[_Field, ...]:
    found = cls.__dict__.get("_fields")
    if found is None:  # worked out once per class: type hints are strings until resolved
        hints = typing.get_type_hints(cls)
        found = tuple(
            _Field(f.name, hints[f.name], f.metadata.get("limits", Limits()),
                   f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        cls._fields = found
    return found


def _checked(kind: Any, limits: Limits | None, value: Any, where: Where, problems: list[Problem]) -> Any:
    """``value`` as a ``kind`` within ``limits`` (converted where TOML has no such type); problems appended."""
    before = len(problems)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and _NONE in args:
            return None
        (kind,) = [arg for arg in args if arg is not _NONE]
        return _checked(kind, limits, value, where, problems)
    if origin is Literal:
        if not any(value == choice and type(value) is type(choice) for choice in args):
            problems.append(Problem(where, f"expected {_choices(args)}", value))
    elif origin is list:
        if not isinstance(value, list | tuple):
            problems.append(Problem(where, "expected a list", value))
        else:
            value = [_checked(args[0], None, item, (*where, n), problems) for n, item in enumerate(value)]
    elif isinstance(kind, type) and issubclass(kind, Section):
        if not isinstance(value, kind):
            try:
                value = kind.from_table(value)
            except SectionError as exc:
                problems += [problem.under(where) for problem in exc.problems]
    else:
        value = _scalar(kind, value, where, problems)
    if limits is not None and len(problems) == before:
        value = _within(limits, value, where, problems)
    return value


_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    str: ((str,), "expected text"),
    int: ((int,), "expected an integer"),
    float: ((int, float), "expected a number"),
    bool: ((bool,), "expected true or false"),
    Path: ((str, Path), "expected a file path"),
}


def _scalar(kind: Any, value: Any, where: Where, problems: list[Problem]) -> Any:
    accepted, expected = _SCALARS[kind]
    if not isinstance(value, accepted) or (isinstance(value, bool) and kind is not bool):
        problems.append(Problem(where, expected, value))
        return value
    if kind is float and isinstance(value, int | float):
        return float(value)
    if kind is Path and isinstance(value, str):
        return Path(value)
    return value


def _within(limits: Limits, value: Any, where: Where, problems: list[Problem]) -> Any:
    reasons: list[str] = []
    if isinstance(value, int | float):
        if limits.ge is not None and not value >= limits.ge:
            reasons.append(f"expected a value greater than or equal to {limits.ge:g}")
        if limits.gt is not None and not value > limits.gt:
            reasons.append(f"expected a value greater than {limits.gt:g}")
        if limits.le is not None and not value <= limits.le:
            reasons.append(f"expected a value less than or equal to {limits.le:g}")
    if isinstance(value, str | list):
        unit = "character" if isinstance(value, str) else "item"
        if limits.min_length is not None and len(value) < limits.min_length:
            reasons.append(f"expected at least {limits.min_length} {unit}{'s' * (limits.min_length != 1)}")
        if limits.max_length is not None and len(value) > limits.max_length:
            reasons.append(f"expected at most {limits.max_length} {unit}{'s' * (limits.max_length != 1)}")
    if isinstance(value, str) and limits.pattern is not None and re.search(limits.pattern, value) is None:
        reasons.append(f"expected text matching {limits.pattern!r}")
    if not reasons and limits.check is not None:
        try:
            value = limits.check(value)
        except ValueError as exc:
            reasons.append(str(exc))
    problems += [Problem(where, reason, value) for reason in reasons]
    return value


def _choices(args: tuple[Any, ...]) -> str:
    shown = [repr(arg) for arg in args]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
